#pragma once
// The web app's files (the repository's web/ folder), read once at start and served from memory: a
// request can only ever name a file that was there at start, so no path can climb out of the folder.
// Every answer carries a strict Content-Security-Policy (scripts, styles and connections from this
// origin only; no inline script, no framing). Paths without an extension that name no file get
// index.html, so the app's own routes (/profile, /portfolio) survive a reload; paths with dot segments,
// hidden names or %-escapes get nothing.
#include <map>
#include <optional>
#include <string>

#include "core/error.hpp"
#include "net/http.hpp"

namespace tb::web {

inline constexpr const char* kContentSecurityPolicy =
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; font-src 'self'; "
    "connect-src 'self'; manifest-src 'self'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'";

class StaticFiles {
 public:
  // Loads every regular file under `root` (at most 2,000 files of 5 MB each).
  static Result<StaticFiles> load(const std::string& root);
  // The answer for GET/HEAD of `path` (already without the query), or nullopt when nothing matches.
  std::optional<net::HttpResponse> serve(std::string_view path, bool head, const std::string* if_none_match) const;
  size_t size() const { return files_.size(); }

 private:
  struct File {
    std::string body;
    std::string content_type;
    std::string etag;
  };
  std::map<std::string, File, std::less<>> files_;  // "/index.html" -> file
};

}  // namespace tb::web
