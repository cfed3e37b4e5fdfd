#include "web/static_files.hpp"

#include <filesystem>
#include <fstream>
#include <sstream>

#include "crypto/encoding.hpp"
#include "crypto/hash.hpp"

namespace tb::web {

namespace {

constexpr size_t kMaxFiles = 2000;
constexpr uintmax_t kMaxFileBytes = 5 * 1024 * 1024;

std::string content_type_of(const std::filesystem::path& p) {
  static const std::map<std::string, std::string> types = {{".html", "text/html; charset=utf-8"},
                                                           {".js", "text/javascript; charset=utf-8"},
                                                           {".mjs", "text/javascript; charset=utf-8"},
                                                           {".css", "text/css; charset=utf-8"},
                                                           {".json", "application/json; charset=utf-8"},
                                                           {".svg", "image/svg+xml"},
                                                           {".png", "image/png"},
                                                           {".ico", "image/x-icon"},
                                                           {".webmanifest", "application/manifest+json"},
                                                           {".txt", "text/plain; charset=utf-8"},
                                                           {".woff2", "font/woff2"}};
  auto it = types.find(p.extension().string());
  return it == types.end() ? "application/octet-stream" : it->second;
}

}  // namespace

Result<StaticFiles> StaticFiles::load(const std::string& root) {
  namespace fs = std::filesystem;
  std::error_code ec;
  if (!fs::is_directory(root, ec)) return Error::make(ErrorKind::InvalidArgument, "--web-dir " + root + ": not a directory");
  StaticFiles out;
  for (auto it = fs::recursive_directory_iterator(root, ec); !ec && it != fs::recursive_directory_iterator(); it.increment(ec)) {
    if (!it->is_regular_file()) continue;
    std::string rel = "/" + fs::relative(it->path(), root).generic_string();
    if (rel.find("/.") != std::string::npos) continue;  // dot files and folders stay private
    if (out.files_.size() >= kMaxFiles || it->file_size() > kMaxFileBytes)
      return Error::make(ErrorKind::InvalidArgument, "--web-dir " + root + ": too many or too large files");
    std::ifstream in(it->path(), std::ios::binary);
    std::stringstream ss;
    ss << in.rdbuf();
    File f{ss.str(), content_type_of(it->path()), ""};
    f.etag = "\"" + crypto::hex(crypto::sha256(f.body)).substr(0, 16) + "\"";
    out.files_.emplace(rel, std::move(f));
  }
  if (ec) return Error::make(ErrorKind::InvalidArgument, "--web-dir " + root + ": " + ec.message());
  return out;
}

std::optional<net::HttpResponse> StaticFiles::serve(std::string_view path, bool head, const std::string* if_none_match) const {
  // Dot segments, hidden files and escapes never name an app file: refused outright, not sent the page.
  if (path.find("/.") != std::string_view::npos || path.find('%') != std::string_view::npos || path.find('\\') != std::string_view::npos)
    return std::nullopt;
  std::string key(path == "/" ? "/index.html" : path);
  auto it = files_.find(key);
  if (it == files_.end()) {
    // An app route such as /profile: the page, which reads the path itself.
    bool has_extension = path.find('.', path.rfind('/')) != std::string_view::npos;
    if (has_extension) return std::nullopt;
    it = files_.find("/index.html");
    if (it == files_.end()) return std::nullopt;
  }
  const File& f = it->second;
  net::HttpResponse r;
  r.headers = {{"Content-Type", f.content_type},
               {"ETag", f.etag},
               {"Cache-Control", "no-cache"},  // revalidated each time: a new version shows at once
               {"Content-Security-Policy", kContentSecurityPolicy},
               {"X-Content-Type-Options", "nosniff"}};
  if (if_none_match && *if_none_match == f.etag) {
    r.status = 304;
    return r;
  }
  r.status = 200;
  if (!head) r.body = f.body;
  return r;
}

}  // namespace tb::web
