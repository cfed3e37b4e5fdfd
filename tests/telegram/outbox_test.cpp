// The outbox on virtual time: a chat's burst and then one message per interval, chats independent of each
// other, the overall rate, 429s waited out for retry_after (and the chat's later messages behind them),
// edits merged while queued, retries only where repeating is harmless, 403 reported, and waiting for a
// chat's queue to be out.
#include <gtest/gtest.h>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>

#include "support/harness.hpp"
#include "telegram/outbox.hpp"
#include "telegram/virtual_time.hpp"

namespace tb::telegram {
namespace {

using nlohmann::json;

struct Call {
  int64_t at_ms;
  std::string method;
  json params;
};

struct World {
  explicit World(RateLimits limits = {})
      : outbox(api, clock, time, io.get_executor(), limits, [this](std::string_view l) { log.emplace_back(l); }) {
    transport.set_handler([this](const net::HttpRequest& r) { return answer(r); });
  }

  Result<net::HttpResponse> answer(const net::HttpRequest& r) {
    std::string method = r.url.substr(r.url.rfind('/') + 1);
    calls.push_back({clock.now_ms(), method, json::parse(r.body)});
    if (script) {
      if (auto scripted = script(calls.back())) return *scripted;
    }
    return tb::test::json_response(200, json{{"ok", true}, {"result", {{"message_id", static_cast<int>(calls.size())}}}}.dump());
  }

  std::vector<int64_t> times(const std::string& method, int64_t chat) const {
    std::vector<int64_t> out;
    for (const auto& c : calls)
      if (c.method == method && c.params.value("chat_id", int64_t{0}) == chat) out.push_back(c.at_ms - start);
    return out;
  }

  ManualClock clock{1'700'000'000'000};
  int64_t start = clock.now_ms();
  boost::asio::io_context io;
  test::VirtualTime time{clock, io};
  tb::test::ScriptedTransport transport{
      [](const net::HttpRequest&) -> Result<net::HttpResponse> { return Error::make(ErrorKind::NetworkError, "unset"); }};
  BotApi api{transport, crypto::Secret("123456789:AAHdqTcvCH1vGWJxfSeofSAs0K5PALDsaw"),
             BotApiOptions{"http://127.0.0.1:9", std::chrono::milliseconds(1000)}};
  std::vector<Call> calls;
  std::function<std::optional<Result<net::HttpResponse>>(const Call&)> script;
  std::vector<std::string> log;
  Outbox outbox;
};

json text(int64_t chat, std::string t) { return {{"chat_id", chat}, {"text", std::move(t)}}; }

Result<net::HttpResponse> too_many(int retry_after) {
  return tb::test::json_response(429, json{{"ok", false},
                                           {"error_code", 429},
                                           {"description", "Too Many Requests: retry after " + std::to_string(retry_after)},
                                           {"parameters", {{"retry_after", retry_after}}}}
                                          .dump());
}

net::Task<void> collect(Outbox& o, int64_t chat, std::string method, json params, std::optional<Result<json>>* out) {
  out->emplace(co_await o.to_chat(chat, std::move(method), std::move(params)));
}

net::Task<void> collect_now(Outbox& o, std::string method, json params, std::optional<Result<json>>* out) {
  out->emplace(co_await o.now(std::move(method), std::move(params)));
}

TEST(Outbox, AChatGetsABurstOfThreeThenOneMessagePerSecondInOrder) {
  World w;
  for (int i = 0; i < 6; ++i) w.outbox.post(1, "sendMessage", text(1, "m" + std::to_string(i)));
  w.time.run();
  auto t = w.times("sendMessage", 1);
  ASSERT_EQ(t.size(), 6u);
  EXPECT_LT(t[2], 100);  // three at once (the overall pace spreads them by ~33 ms)
  EXPECT_GE(t[3], 1000);
  EXPECT_GE(t[4], 2000);
  EXPECT_GE(t[5], 3000);
  EXPECT_LT(t[5], 3100);
  for (int i = 0; i < 6; ++i) EXPECT_EQ(w.calls[static_cast<size_t>(i)].params["text"], "m" + std::to_string(i));
  EXPECT_EQ(w.outbox.pending(), 0u);
}

TEST(Outbox, AChatThatEmptiedItsQueueGetsNoFreshBurst) {
  World w;
  for (int i = 0; i < 3; ++i) w.outbox.post(1, "sendMessage", text(1, "a"));
  w.time.run();
  w.outbox.post(1, "sendMessage", text(1, "b"));  // right after: the burst is spent
  w.time.run();
  auto t = w.times("sendMessage", 1);
  ASSERT_EQ(t.size(), 4u);
  EXPECT_GE(t[3], 1000);
}

net::Task<void> note_sent(Outbox& o, int64_t chat, const Clock& clock, int64_t* at) {
  co_await o.chat_sent(chat);
  *at = clock.now_ms();
}

// The bot stores an update as handled only once its replies are out (a kill before leaves it to Telegram).
TEST(Outbox, ChatSentReturnsOnceTheChatsQueueIsOut) {
  World w;
  for (int i = 0; i < 5; ++i) w.outbox.post(1, "sendMessage", text(1, "m"));
  w.outbox.post(2, "sendMessage", text(2, "other"));
  int64_t one = 0, two = 0, idle = 0;
  boost::asio::co_spawn(w.io, note_sent(w.outbox, 1, w.clock, &one), boost::asio::detached);
  boost::asio::co_spawn(w.io, note_sent(w.outbox, 2, w.clock, &two), boost::asio::detached);
  boost::asio::co_spawn(w.io, note_sent(w.outbox, 3, w.clock, &idle), boost::asio::detached);  // nothing queued
  w.time.run();
  ASSERT_EQ(w.times("sendMessage", 1).size(), 5u);
  EXPECT_GE(one - w.start, w.times("sendMessage", 1).back());  // after the last of its five, two intervals on
  EXPECT_GE(one - w.start, 2000);
  EXPECT_LT(two - w.start, 200);  // the other chat's one message, not the busy chat's
  EXPECT_EQ(idle, w.start);
}

TEST(Outbox, ChatsDoNotWaitForEachOther) {
  World w;
  for (int i = 0; i < 8; ++i) w.outbox.post(1, "sendMessage", text(1, "busy"));
  w.outbox.post(2, "sendMessage", text(2, "quiet"));
  w.time.run();
  auto quiet = w.times("sendMessage", 2);
  ASSERT_EQ(quiet.size(), 1u);
  EXPECT_LT(quiet[0], 200);
  EXPECT_GE(w.times("sendMessage", 1).back(), 5000);
}

TEST(Outbox, ThirtyMessagesASecondOverall) {
  World w;
  for (int64_t chat = 1; chat <= 61; ++chat) w.outbox.post(chat, "sendMessage", text(chat, "notice"));
  w.time.run();
  ASSERT_EQ(w.calls.size(), 61u);
  // In any second, at most 30 (+1 at the edge) calls.
  for (size_t i = 0; i < w.calls.size(); ++i) {
    size_t in_window = 0;
    for (size_t j = i; j < w.calls.size() && w.calls[j].at_ms < w.calls[i].at_ms + 1000; ++j) ++in_window;
    EXPECT_LE(in_window, 31u) << "from call " << i;
  }
  EXPECT_GE(w.calls.back().at_ms - w.start, 1950);
}

TEST(Outbox, A429IsWaitedOutThenTheSameCallIsMadeAndTheChatsLaterMessagesWait) {
  World w;
  int refused = 0;
  w.script = [&](const Call& c) -> std::optional<Result<net::HttpResponse>> {
    if (c.params["text"] == "first" && refused++ == 0) return too_many(5);
    return std::nullopt;
  };
  w.outbox.post(1, "sendMessage", text(1, "first"));
  w.outbox.post(1, "sendMessage", text(1, "second"));
  w.outbox.post(2, "sendMessage", text(2, "elsewhere"));
  w.time.run();
  auto t = w.times("sendMessage", 1);
  ASSERT_EQ(t.size(), 3u);  // first (429), first again, second
  EXPECT_EQ(w.calls[0].params["text"], "first");
  std::vector<std::string> order;
  for (const auto& c : w.calls)
    if (c.params["chat_id"] == 1) order.push_back(c.params["text"]);
  EXPECT_EQ(order, (std::vector<std::string>{"first", "first", "second"}));
  EXPECT_GE(t[1] - t[0], 5000);
  EXPECT_GE(t[2], t[1]);
  EXPECT_LT(w.times("sendMessage", 2)[0], 200);  // another chat is not held up
  bool logged = false;
  for (const auto& l : w.log) logged |= l.find("429 on sendMessage in chat 1: waiting 5000 ms") != std::string::npos;
  EXPECT_TRUE(logged);
}

TEST(Outbox, EditsOfOneMessageQueuedBehindOthersAreMerged) {
  World w;
  for (int i = 0; i < 3; ++i) w.outbox.post(1, "sendMessage", text(1, "burst"));
  for (int step = 1; step <= 5; ++step)
    w.outbox.post(1, "editMessageText", {{"chat_id", 1}, {"message_id", 7}, {"text", "step " + std::to_string(step)}});
  w.outbox.post(1, "editMessageText", {{"chat_id", 1}, {"message_id", 8}, {"text", "other message"}});
  w.time.run();
  auto edits = w.times("editMessageText", 1);
  ASSERT_EQ(edits.size(), 2u);
  std::vector<std::string> texts;
  for (const auto& c : w.calls)
    if (c.method == "editMessageText") texts.push_back(c.params["text"]);
  EXPECT_EQ(texts, (std::vector<std::string>{"step 5", "other message"}));
}

TEST(Outbox, ToChatReturnsTheResultAndTreatsNotModifiedAsDone) {
  World w;
  w.script = [](const Call& c) -> std::optional<Result<net::HttpResponse>> {
    if (c.method == "editMessageText")
      return tb::test::json_response(
          400,
          R"({"ok":false,"error_code":400,"description":"Bad Request: message is not modified: specified new message content and reply markup are exactly the same as a current content and reply markup of the message"})");
    return std::nullopt;
  };
  std::optional<Result<json>> sent, edited;
  boost::asio::co_spawn(w.io, collect(w.outbox, 1, "sendMessage", text(1, "hi"), &sent), boost::asio::detached);
  boost::asio::co_spawn(w.io, collect(w.outbox, 1, "editMessageText", {{"chat_id", 1}, {"message_id", 1}, {"text", "hi"}}, &edited),
                        boost::asio::detached);
  w.time.run();
  ASSERT_TRUE(sent && sent->ok());
  EXPECT_EQ((**sent)["message_id"], 1);
  ASSERT_TRUE(edited && edited->ok());
  EXPECT_EQ(**edited, json(true));
}

TEST(Outbox, RetriesOnlyWhereRepeatingIsHarmless) {
  World w;
  int gateway = 0, resets = 0;
  w.script = [&](const Call& c) -> std::optional<Result<net::HttpResponse>> {
    if (c.method == "getMe" && gateway++ < 2) return tb::test::json_response(502, "<html>Bad Gateway</html>");
    if (c.method == "sendMessage" || (c.method == "editMessageText" && resets++ < 2)) {
      Error e = Error::make(ErrorKind::NetworkError, "connection reset after sending");
      e.outcome_unknown = true;
      return Result<net::HttpResponse>(e);
    }
    return std::nullopt;
  };
  std::optional<Result<json>> me, sent, edited;
  boost::asio::co_spawn(w.io, collect(w.outbox, 0, "getMe", json::object(), &me), boost::asio::detached);
  w.time.run();
  boost::asio::co_spawn(w.io, collect(w.outbox, 1, "sendMessage", text(1, "once"), &sent), boost::asio::detached);
  boost::asio::co_spawn(w.io, collect(w.outbox, 1, "editMessageText", {{"chat_id", 1}, {"message_id", 1}, {"text", "x"}}, &edited),
                        boost::asio::detached);
  w.time.run();
  EXPECT_TRUE(me->ok());  // 5xx: tried again with backoff
  ASSERT_FALSE(sent->ok());
  EXPECT_EQ(w.times("sendMessage", 1).size(), 1u);  // maybe delivered: never sent twice
  EXPECT_TRUE(edited->ok());
  EXPECT_EQ(w.times("editMessageText", 1).size(), 3u);  // an edit is safe to repeat
}

TEST(Outbox, AForbiddenChatIsReportedAndNotRetried) {
  World w;
  std::vector<int64_t> forbidden;
  w.outbox.on_forbidden([&](int64_t chat) { forbidden.push_back(chat); });
  w.script = [](const Call&) -> std::optional<Result<net::HttpResponse>> {
    return tb::test::json_response(403, R"({"ok":false,"error_code":403,"description":"Forbidden: bot was blocked by the user"})");
  };
  w.outbox.post(42, "sendMessage", text(42, "hello?"));
  w.time.run();
  EXPECT_EQ(forbidden, std::vector<int64_t>{42});
  EXPECT_EQ(w.calls.size(), 1u);
  EXPECT_FALSE(w.log.empty());
}

TEST(Outbox, NowSkipsTheChatQueue) {
  World w;
  for (int i = 0; i < 5; ++i) w.outbox.post(1, "sendMessage", text(1, "reply"));
  std::optional<Result<json>> deleted;
  boost::asio::co_spawn(w.io, collect_now(w.outbox, "deleteMessage", {{"chat_id", 1}, {"message_id", 9}}, &deleted), boost::asio::detached);
  w.time.run();
  ASSERT_TRUE(deleted && deleted->ok());
  int64_t at = 0;
  for (const auto& c : w.calls)
    if (c.method == "deleteMessage") at = c.at_ms - w.start;
  EXPECT_LT(at, 200);  // not behind the chat's paced replies
}

}  // namespace
}  // namespace tb::telegram
