#pragma once
// Who the client is behind a reverse proxy. X-Forwarded-For is a list each hop appends to, so only its
// right end was written by proxies we trust; anything further left may be the client's own invention.
// The client is the right-most entry that is not one of our proxies. No Asio here.
#include <string>
#include <string_view>
#include <vector>

namespace tb::net {

// The address in its canonical text ("::ffff:10.0.0.1" → "10.0.0.1", "[::1]" → "::1", "fe80::1%2" →
// "fe80::1": no zone index), or "" when the text is not an IP address.
std::string canonical_ip(std::string_view text);

// The client of a request that came through trusted proxies: walks the comma-separated X-Forwarded-For
// values (every such header, joined in order) from the right, skipping the addresses in `trusted`
// (canonical), and returns the first other one. "" when there is none, or when an entry is not an
// address (then the proxy that sent the request is the best we know).
std::string forwarded_client(std::string_view forwarded_for, const std::vector<std::string>& trusted);

// Headers only a trusted proxy may set: X-Forwarded-For, X-Forwarded-Proto, X-Forwarded-Host, Forwarded.
bool is_forwarding_header(std::string_view name);

}  // namespace tb::net
