#include "auth/email.hpp"

#include <algorithm>
#include <cctype>

namespace tb::auth {
namespace {

Error invalid(std::string message) { return Error::make(ErrorKind::InvalidArgument, std::move(message)); }

bool is_space(unsigned char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v'; }

std::string_view trim(std::string_view s) {
  while (!s.empty() && is_space(static_cast<unsigned char>(s.front()))) s.remove_prefix(1);
  while (!s.empty() && is_space(static_cast<unsigned char>(s.back()))) s.remove_suffix(1);
  return s;
}

// RFC 5322 "atext": what an unquoted local part may hold besides dots.
bool is_atext(unsigned char c) {
  return std::isalnum(c) != 0 || std::string_view("!#$%&'*+-/=?^_`{|}~").find(static_cast<char>(c)) != std::string_view::npos;
}

Status check_local(std::string_view local) {
  if (local.empty()) return invalid("email is missing the part before '@'");
  if (local.size() > kMaxEmailLocalLength) return invalid("email part before '@' is too long: at most 64 characters");
  if (local.front() == '.' || local.back() == '.' || local.find("..") != std::string_view::npos)
    return invalid("email part before '@' must not start or end with a dot or contain two dots in a row");
  for (unsigned char c : local)
    if (c != '.' && !is_atext(c))
      return invalid(std::string("email contains a character not allowed before '@': '") + static_cast<char>(c) + "'");
  return ok_status();
}

Status check_domain(std::string_view domain) {
  if (domain.empty()) return invalid("email is missing the domain after '@'");
  if (domain.find('.') == std::string_view::npos) return invalid("email domain must contain a dot, like example.com");
  size_t start = 0;
  while (start <= domain.size()) {
    const size_t dot = std::min(domain.find('.', start), domain.size());
    const std::string_view label = domain.substr(start, dot - start);
    if (label.empty()) return invalid("email domain has an empty part (two dots in a row, or a dot at an end)");
    if (label.size() > 63) return invalid("email domain has a part longer than 63 characters");
    if (label.front() == '-' || label.back() == '-') return invalid("email domain parts must not start or end with '-'");
    for (unsigned char c : label)
      if (std::isalnum(c) == 0 && c != '-')
        return invalid(std::string("email domain contains a character not allowed: '") + static_cast<char>(c) + "'");
    if (dot == domain.size()) {
      if (std::all_of(label.begin(), label.end(), [](unsigned char c) { return std::isdigit(c) != 0; }))
        return invalid("email domain must end in a name, not a number");
      break;
    }
    start = dot + 1;
  }
  return ok_status();
}

std::string lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

// RFC 2606 and 6761 (test, example, invalid, localhost), RFC 6762 (local), RFC 9476 (alt), ICANN's internal.
constexpr std::string_view kReservedTlds[] = {"invalid", "test", "example", "localhost", "local", "alt", "internal"};

}  // namespace

bool is_reserved_domain(std::string_view domain) {
  const std::string d = lower(domain);
  const std::string_view tld = std::string_view(d).substr(d.rfind('.') == std::string::npos ? 0 : d.rfind('.') + 1);
  return std::find(std::begin(kReservedTlds), std::end(kReservedTlds), tld) != std::end(kReservedTlds);
}

Result<std::string> normalize_email(std::string_view raw) {
  const std::string_view email = trim(raw);
  if (email.empty()) return invalid("email is empty");
  if (email.size() > kMaxEmailLength) return invalid("email is too long: at most 254 characters");
  for (unsigned char c : email) {
    if (c >= 0x80) return invalid("email must contain only ASCII characters (international addresses are not supported)");
    if (c < 0x21 || c == 0x7F) return invalid("email must not contain spaces or control characters");
  }
  const size_t at = email.rfind('@');
  if (at == std::string_view::npos) return invalid("email is missing '@'");
  if (email.find('@') != at) return invalid("email must contain exactly one '@'");
  const std::string_view local = email.substr(0, at), domain = email.substr(at + 1);
  if (Status s = check_local(local); !s) return s.error();
  if (Status s = check_domain(domain); !s) return s.error();
  if (is_reserved_domain(domain))
    return invalid("email domain is reserved and receives no mail (like .invalid, .test, .example, .local): use your real address");
  return lower(email);
}

}  // namespace tb::auth
