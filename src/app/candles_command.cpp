#include "app/candles_command.hpp"

#include <utility>  // before Asio's awaitable header: Boost 1.74 misses it

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/io_context.hpp>
#include <filesystem>
#include <fstream>
#include <limits>
#include <ostream>
#include <sstream>

#include <nlohmann/json.hpp>

#include "app/data_dir.hpp"
#include "app/robots_command.hpp"
#include "net/asio_sleeper.hpp"
#include "net/http_client.hpp"
#include "robots/candles.hpp"
#include "robots/live.hpp"
#include "robots/time_text.hpp"
#include "venues/common/nonce.hpp"
#include "venues/registry.hpp"

namespace tb::app {

namespace {

constexpr int64_t kDefaultFetch = 500;  // candles, when --from is not given

int fail(const Error& e, std::ostream& err) {
  nlohmann::json j = {{"kind", to_string(e.kind)}, {"message", e.message}};
  if (!e.field.empty()) j["field"] = e.field;
  err << nlohmann::json{{"error", j}}.dump(2) << "\n";
  return e.kind == ErrorKind::InvalidArgument || e.kind == ErrorKind::NotFound ? 2 : 1;
}

struct Range {
  int64_t from = 0, to = std::numeric_limits<int64_t>::max();
};

Result<Range> range_of(const CandlesOptions& o) {
  Range r;
  if (!o.from.empty()) {
    auto t = robots::parse_utc(o.from, "from");
    if (!t) return t.error();
    r.from = *t;
  }
  if (!o.to.empty()) {
    auto t = robots::parse_utc(o.to, "to");
    if (!t) return t.error();
    r.to = *t;
  }
  if (r.from >= r.to) return Error::invalid("to", "must come after --from");
  return r;
}

// The venue, market and timeframe as robots know them.
Result<Timeframe> check_market(const CandlesOptions& o) {
  if (!venues::find_venue(o.venue)) return Error::invalid("venue", "unknown venue '" + o.venue + "'");
  if (!robots::find_market(known_markets(), o.venue, o.symbol))
    return Error::invalid("symbol", "the venue " + o.venue + " has no market '" + o.symbol + "' robots run on");
  return robots::parse_robot_timeframe(o.timeframe);
}

// co_spawn needs a default-constructible result type; Result has none, so the outcome goes into a slot.
net::Task<void> fetch_into(std::optional<Result<std::vector<Candle>>>* slot, venues::Venue& venue, std::string symbol, Timeframe tf,
                           int64_t from, int64_t to, int64_t now) {
  slot->emplace(co_await robots::fetch_closed_candles(venue, std::move(symbol), tf, from, to, now, 500));
}

Result<std::vector<Candle>> fetch(const CandlesOptions& o, Timeframe tf, Range range) {
  boost::asio::io_context io;
  net::HttpClient client(io, net::HttpClientOptions{});
  net::AsioSleeper sleeper;
  venues::NonceSource nonces(SystemClock::instance());
  venues::VenueConfig config;
  config.base_url = o.base_url;
  auto venue = venues::make_venue(o.venue, {&client, &sleeper, &SystemClock::instance(), &nonces}, config);
  if (!venue) return Error::invalid("venue", "venue '" + o.venue + "' is not available");
  const int64_t now = SystemClock::instance().now_ms(), width = timeframe_ms(tf);
  if (o.from.empty()) range.from = (std::min(now, range.to) / width - kDefaultFetch) * width;
  std::optional<Result<std::vector<Candle>>> got;
  boost::asio::co_spawn(io, fetch_into(&got, *venue, o.symbol, tf, range.from, range.to, now), [&](std::exception_ptr e) {
    if (e) got.emplace(Error::make(ErrorKind::Internal, "the venue call failed"));
  });
  io.run();
  if (!got) return Error::make(ErrorKind::NetworkError, "the venue call did not complete");
  return std::move(*got);
}

Result<std::vector<Candle>> read_file(const std::string& path) {
  if (path.empty()) return Error::invalid("file", "import needs --file");
  std::ifstream in(path, std::ios::binary);
  if (!in) return Error::invalid("file", "cannot read " + path);
  std::ostringstream text;
  text << in.rdbuf();
  return robots::parse_candles_csv(text.str());
}

// A file's candles on the timeframe asked: as they are, or built from a smaller one.
Result<std::vector<Candle>> import_file(const std::string& path, Timeframe tf) {
  auto candles = read_file(path);
  if (!candles) return candles.error();
  return robots::candles_for_timeframe(std::move(*candles), tf);
}

}  // namespace

int run_candles(const CandlesOptions& o, std::ostream& out, std::ostream& err) {
  if (o.action != "fetch" && o.action != "import" && o.action != "export")
    return fail(Error::invalid("action", "'" + o.action + "' is none of fetch, import, export"), err);
  auto tf = check_market(o);
  if (!tf) return fail(tf.error(), err);
  auto range = range_of(o);
  if (!range) return fail(range.error(), err);
  if (o.database.empty() && !std::filesystem::is_directory(o.data_dir))
    return fail(Error::invalid("data-dir", "no directory " + o.data_dir), err);
  auto store = open_database(o.database, o.data_dir, SystemClock::instance());
  if (!store) return fail(store.error(), err);
  if (o.action == "export") {
    auto candles = (*store)->candles(o.venue, o.symbol, *tf, range->from, range->to);
    if (!candles) return fail(candles.error(), err);
    if (o.file.empty()) {
      out << robots::write_candles_csv(*candles);
      return 0;
    }
    std::ofstream file(o.file, std::ios::binary | std::ios::trunc);
    if (!(file << robots::write_candles_csv(*candles))) return fail(Error::invalid("file", "cannot write " + o.file), err);
    out << nlohmann::json{{"exported", candles->size()}, {"file", o.file}}.dump() << "\n";
    return 0;
  }
  auto candles = o.action == "fetch" ? fetch(o, *tf, *range) : import_file(o.file, *tf);
  if (!candles) return fail(candles.error(), err);
  if (auto st = (*store)->save_candles(o.venue, o.symbol, *tf, *candles); !st) return fail(st.error(), err);
  nlohmann::json j = {{o.action == "fetch" ? "fetched" : "imported", candles->size()}};
  if (!candles->empty())
    j["from"] = robots::iso_utc(candles->front().open_time_ms), j["to"] = robots::iso_utc(candles->back().open_time_ms);
  out << j.dump() << "\n";
  return 0;
}

}  // namespace tb::app
