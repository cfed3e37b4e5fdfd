#pragma once
// HTTP/1.1 framing shared by the client and the server: what goes on the wire, checked against header
// injection. Internal to net/.
#include <string>
#include <string_view>

#include "core/error.hpp"
#include "net/http.hpp"

namespace tb::net {

// A header name is an RFC 9110 token; a value has no CR, LF or NUL (no smuggled headers).
bool valid_header_name(std::string_view name);
bool valid_header_value(std::string_view value);

// "METHOD target HTTP/1.1", Host and User-Agent unless the request sets them, the request's headers in
// order, Content-Length computed here (a caller's own is dropped), then the body.
Result<std::string> serialize_request(const HttpRequest& request, const Url& url, std::string_view user_agent);

// Status line, the response's headers in order, Content-Length computed here, Connection: close when the
// connection ends after this response. HEAD answers carry the length but no body.
std::string serialize_response(const HttpResponse& response, bool keep_alive, bool head);

// The start of a streaming response: status line, the response's headers in order, no Content-Length or
// Transfer-Encoding (the body is delimited by the end of the connection), Connection: close, then the
// response's body unless `head`. A status outside 200..999 becomes 500; the server never streams 204 or 304.
std::string serialize_stream_head(const HttpResponse& response, bool head);

std::string_view reason_phrase(int status);

}  // namespace tb::net
