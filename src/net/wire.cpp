#include "net/wire.hpp"

#include <algorithm>
#include <cctype>
#include <cstring>

namespace tb::net {
namespace {

bool token_char(unsigned char c) { return std::isalnum(c) || std::strchr("!#$%&'*+-.^_`|~", c) != nullptr; }

bool is_framing_header(std::string_view name) { return iequals(name, "Content-Length") || iequals(name, "Transfer-Encoding"); }

void append_header(std::string& out, std::string_view name, std::string_view value) {
  out.append(name).append(": ").append(value).append("\r\n");
}

}  // namespace

bool valid_header_name(std::string_view name) {
  return !name.empty() && std::all_of(name.begin(), name.end(), [](char c) { return token_char(static_cast<unsigned char>(c)); });
}

bool valid_header_value(std::string_view value) { return value.find_first_of(std::string_view("\r\n\0", 3)) == std::string_view::npos; }

Result<std::string> serialize_request(const HttpRequest& request, const Url& url, std::string_view user_agent) {
  if (!valid_header_name(request.method))
    return Error::make(ErrorKind::InvalidArgument, "invalid HTTP method '" + request.method.substr(0, 40) + "'");
  if (url.target.find_first_of(std::string_view(" \t\r\n\0", 5)) != std::string::npos)
    return Error::make(ErrorKind::InvalidArgument, "URL path or query contains whitespace or control characters");
  for (auto& h : request.headers)
    if (!valid_header_name(h.name) || !valid_header_value(h.value))
      return Error::make(ErrorKind::InvalidArgument, "invalid header '" + h.name.substr(0, 60) + "' (bad name, or CR/LF in its value)");

  std::string out;
  out.reserve(256 + request.body.size());
  out.append(request.method).append(" ").append(url.target).append(" HTTP/1.1\r\n");
  if (!request.header("Host")) append_header(out, "Host", url.authority());
  if (!request.header("User-Agent")) append_header(out, "User-Agent", user_agent);
  for (auto& h : request.headers)
    if (!is_framing_header(h.name)) append_header(out, h.name, h.value);
  bool has_body_method = request.method == "POST" || request.method == "PUT" || request.method == "PATCH";
  if (!request.body.empty() || has_body_method) append_header(out, "Content-Length", std::to_string(request.body.size()));
  out.append("\r\n").append(request.body);
  return out;
}

std::string serialize_response(const HttpResponse& response, bool keep_alive, bool head) {
  std::string out;
  out.reserve(256 + response.body.size());
  int status = response.status >= 100 && response.status <= 999 ? response.status : 500;
  out.append("HTTP/1.1 ").append(std::to_string(status)).append(" ").append(reason_phrase(status)).append("\r\n");
  for (auto& h : response.headers) {
    if (is_framing_header(h.name) || iequals(h.name, "Connection")) continue;
    if (!valid_header_name(h.name) || !valid_header_value(h.value)) continue;  // never let a handler split the response
    append_header(out, h.name, h.value);
  }
  bool bodiless = status == 204 || status == 304 || status < 200;
  if (!bodiless) append_header(out, "Content-Length", std::to_string(response.body.size()));
  if (!keep_alive) append_header(out, "Connection", "close");
  out.append("\r\n");
  if (!head && !bodiless) out.append(response.body);
  return out;
}

std::string serialize_stream_head(const HttpResponse& response, bool head) {
  std::string out;
  out.reserve(256 + response.body.size());
  const bool upgrade = response.status == 101;
  int status = upgrade || (response.status >= 200 && response.status <= 999) ? response.status : 500;
  out.append("HTTP/1.1 ").append(std::to_string(status)).append(" ").append(reason_phrase(status)).append("\r\n");
  for (auto& h : response.headers) {
    if (is_framing_header(h.name) || iequals(h.name, "Connection")) continue;
    if (!valid_header_name(h.name) || !valid_header_value(h.value)) continue;
    append_header(out, h.name, h.value);
  }
  append_header(out, "Connection", upgrade ? "Upgrade" : "close");
  out.append("\r\n");
  if (!head && !upgrade) out.append(response.body);
  return out;
}

std::string_view reason_phrase(int status) {
  switch (status) {
    case 100: return "Continue";
    case 101: return "Switching Protocols";
    case 200: return "OK";
    case 201: return "Created";
    case 202: return "Accepted";
    case 204: return "No Content";
    case 301: return "Moved Permanently";
    case 302: return "Found";
    case 304: return "Not Modified";
    case 400: return "Bad Request";
    case 401: return "Unauthorized";
    case 403: return "Forbidden";
    case 404: return "Not Found";
    case 405: return "Method Not Allowed";
    case 408: return "Request Timeout";
    case 409: return "Conflict";
    case 413: return "Content Too Large";
    case 418: return "I'm a teapot";
    case 429: return "Too Many Requests";
    case 431: return "Request Header Fields Too Large";
    case 500: return "Internal Server Error";
    case 501: return "Not Implemented";
    case 502: return "Bad Gateway";
    case 503: return "Service Unavailable";
    case 504: return "Gateway Timeout";
    default: return "Status";
  }
}

}  // namespace tb::net
