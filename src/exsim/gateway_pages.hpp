#pragma once
// The 502 pages of the CDNs in front of the real venues, for the http_502_html fault: what a client sees
// when the venue's origin does not answer its CDN. HTML, never JSON: a client must not try to parse it.
#include <string_view>

#include "net/http.hpp"

namespace tb::exsim {

net::HttpResponse cloudfront_bad_gateway_answer();                       // AWS CloudFront
net::HttpResponse cloudflare_bad_gateway_answer(std::string_view host);  // Cloudflare

}  // namespace tb::exsim
