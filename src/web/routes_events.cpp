// GET /api/v1/events: the caller's account changes and key-test progress as server-sent events.
#include <utility>

#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>

#include "net/response_stream.hpp"
#include "web/route_helpers.hpp"

namespace tb::web {

namespace {

net::Task<net::HttpResponse> events(accounts::EventBus& bus, std::chrono::milliseconds keepalive, RequestContext& ctx) {
  auto executor = co_await boost::asio::this_coro::executor;
  auto stream = std::make_shared<net::QueueStream>(executor, keepalive);
  std::weak_ptr<net::QueueStream> weak = stream;
  auto subscription = std::make_shared<accounts::EventBus::Subscription>(
      bus.subscribe(routes::session(ctx).caller.user_id, [weak](const accounts::AccountEvent& e) {
        if (auto s = weak.lock()) s->push(net::format_sse_event(e.data.dump(), e.type));
      }));
  stream->on_close([subscription] { subscription->reset(); });
  net::HttpResponse r;
  r.status = 200;
  r.headers = {{"Content-Type", "text/event-stream; charset=utf-8"}, {"Cache-Control", "no-store"}, {"X-Accel-Buffering", "no"}};
  // The first event tells the client the stream is live; retry: how soon EventSource reconnects.
  r.body = "retry: 3000\n\n" + net::format_sse_event(R"({"ok":true})", "ready");
  r.stream = stream;
  co_return r;
}

}  // namespace

void Api::add_event_routes() {
  RouteInfo info{"Server-sent events: account.created, key_test.step, account.tested, account.updated, account.invalid, account.deleted",
                 "events"};
  router_.add("GET", "/api/v1/events",
              [this](RequestContext& c) { return events(deps_.accounts.events(), options_.sse_keepalive, c); }, info);
}

}  // namespace tb::web
