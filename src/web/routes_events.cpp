// GET /api/v1/events: the caller's account changes and key-test progress as server-sent events, for as long
// as the session lives: a stream ends with `event: session.ended` when its session is signed out (at once,
// through UserService's listener) or expires, idles out or is deleted elsewhere (seen by a look at the
// store every ApiOptions::session_check_interval).
#include <utility>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/redirect_error.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>

#include "net/response_stream.hpp"
#include "web/account_json.hpp"
#include "web/route_helpers.hpp"

namespace tb::web {

namespace {

constexpr int64_t kStreamsFullRetryAfterSeconds = 10;

net::Task<void> watch_session(std::shared_ptr<EventStreams> streams, users::UserService& users, uint64_t id, std::string token_hash,
                              std::chrono::milliseconds every) {
  boost::asio::steady_timer timer(co_await boost::asio::this_coro::executor);
  for (;;) {
    timer.expires_after(every);
    boost::system::error_code ec;
    co_await timer.async_wait(boost::asio::redirect_error(boost::asio::use_awaitable, ec));
    if (!streams->contains(id)) co_return;  // closed, or ended by a sign-out meanwhile
    if (!users.session_alive(token_hash)) {
      streams->end(id, "expired");
      co_return;
    }
  }
}

}  // namespace

net::Task<net::HttpResponse> Api::events(RequestContext& ctx) {
  const users::Caller& caller = routes::session(ctx).caller;
  auto executor = co_await boost::asio::this_coro::executor;
  auto stream = std::make_shared<net::QueueStream>(executor, options_.sse_keepalive);
  std::weak_ptr<net::QueueStream> weak = stream;
  auto slot = streams_->add(caller.user_id, caller.token_hash, weak);
  if (!slot) {
    co_return to_response(rate_limited(kStreamsFullRetryAfterSeconds,
                                       "events: at most " + std::to_string(streams_->max_per_user()) +
                                           " event streams may be open at once per user; close one (another tab or device) first"));
  }
  auto subscription = std::make_shared<accounts::EventBus::Subscription>(
      deps_.accounts.events().subscribe(caller.user_id, [weak](const accounts::AccountEvent& e) {
        if (auto s = weak.lock())
          s->push(net::format_sse_event(event_data(e).dump(-1, ' ', false, nlohmann::json::error_handler_t::replace), event_name(e)));
      }));
  stream->on_close([subscription, registry = std::weak_ptr<EventStreams>(streams_), id = *slot] {
    subscription->reset();
    if (auto streams = registry.lock()) streams->remove(id);
  });
  if (options_.session_check_interval.count() > 0)
    boost::asio::co_spawn(executor, watch_session(streams_, deps_.users, *slot, caller.token_hash, options_.session_check_interval),
                          boost::asio::detached);
  net::HttpResponse r;
  r.status = 200;
  r.headers = {{"Content-Type", "text/event-stream; charset=utf-8"}, {"Cache-Control", "no-store"}, {"X-Accel-Buffering", "no"}};
  // The first event tells the client the stream is live; retry: how soon EventSource reconnects.
  r.body = "retry: 3000\n\n" + net::format_sse_event(R"({"ok":true})", "ready");
  r.stream = stream;
  co_return r;
}

void Api::add_event_routes() {
  RouteInfo info{
      "Server-sent events: account.created, key_test.step, account.tested, account.updated, account.invalid, "
      "account.deleted; session.ended last, when the session is signed out or expires",
      "events"};
  info.errors = {{429, "too many event streams open for this user: close one, or wait Retry-After seconds"}};
  router_.add(
      "GET", "/api/v1/events", [this](RequestContext& c) { return events(c); }, info);
}

}  // namespace tb::web
