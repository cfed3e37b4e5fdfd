#pragma once
// Puts a real HTTP connection under every scripted venue test. With TB_TEST_OVER_LOOPBACK=1 in the
// environment, ScriptedTransport sends each request through net::HttpClient to a LoopbackServer on
// 127.0.0.1, which hands it, with its original URL and headers, to the test's handler; the answer comes
// back over the same connection. The tests themselves do not change: ctest runs each venue's test binary
// once in-process and once this way (see tests/venues/CMakeLists.txt).
#include "net/http.hpp"
#include "support/harness.hpp"

namespace tb::test {

bool over_loopback();  // TB_TEST_OVER_LOOPBACK=1
// Sends `request` over loopback and answers it with `handler` on the far side. A handler's Error (a
// scripted timeout, a reset) comes back as that same Error, not as whatever the wire makes of it.
net::Task<Result<net::HttpResponse>> relay(net::HttpRequest request, net::RequestOptions options, Handler handler);

}  // namespace tb::test
