// The Bot API client over a scripted transport: the request it makes, the envelope, Telegram's errors as
// tb::Errors (429 with retry_after from the body or the header), the token kept out of every error, and the
// updates parsed at the edge.
#include <gtest/gtest.h>

#include "support/harness.hpp"
#include "telegram/bot_api.hpp"

namespace tb::telegram {
namespace {

using nlohmann::json;

constexpr const char* kToken = "123456789:AAHdqTcvCH1vGWJxfSeofSAs0K5PALDsaw";

struct Api {
  explicit Api(test::Handler h)
      : transport(std::move(h)),
        api(transport, crypto::Secret(kToken), BotApiOptions{"http://127.0.0.1:9/", std::chrono::milliseconds(5000)}) {}
  test::ScriptedTransport transport;
  BotApi api;
  Result<json> call(std::string method, json params) { return test::run(api.call(std::move(method), std::move(params))); }
};

Result<net::HttpResponse> answer(int status, std::string body, std::vector<net::Header> headers = {}) {
  return test::json_response(status, std::move(body), std::move(headers));
}

TEST(BotApiToken, BotIdAndShape) {
  EXPECT_EQ(*token_bot_id(kToken), 123456789);
  for (const char* bad :
       {"", "no-colon", ":secret", "123:", "0123:abc", "12/3:abc", "-5:abc", "12a:abc", "123:ab/c", "123:a b", "99999999999999999:abc"}) {
    auto r = token_bot_id(bad);
    ASSERT_FALSE(r.ok()) << bad;
    EXPECT_EQ(r.error().message, "telegram token: not a bot token (<bot id>:<secret>, from @BotFather)");
  }
  EXPECT_FALSE(token_bot_id(std::string(81, '1')).ok());
}

TEST(BotApi, PostsJsonToTheMethodUrlAndUnwrapsTheResult) {
  Api a([](const net::HttpRequest&) {
    return answer(200, R"({"ok":true,"result":{"message_id":43,"chat":{"id":1,"type":"private"},"date":1}})");
  });
  auto r = a.call("sendMessage", {{"chat_id", 111}, {"text", "hi"}});
  ASSERT_TRUE(r.ok()) << r.error().describe();
  EXPECT_EQ((*r)["message_id"], 43);
  auto reqs = a.transport.requests();
  ASSERT_EQ(reqs.size(), 1u);
  EXPECT_EQ(reqs[0].method, "POST");
  EXPECT_EQ(reqs[0].url, std::string("http://127.0.0.1:9/bot") + kToken + "/sendMessage");  // the trailing slash of the base goes
  EXPECT_EQ(*reqs[0].header("Content-Type"), "application/json");
  EXPECT_EQ(json::parse(reqs[0].body), json({{"chat_id", 111}, {"text", "hi"}}));
  EXPECT_EQ(a.api.bot_id(), 123456789);
  EXPECT_EQ(a.api.redacted_url("getMe"), "http://127.0.0.1:9/bot123456789:[REDACTED]/getMe");
}

TEST(BotApi, ErrorsKeepTelegramsCodeAndDescription) {
  struct Case {
    int status;
    std::string body;
    ErrorKind kind;
  };
  std::vector<Case> cases = {
      {400, R"({"ok":false,"error_code":400,"description":"Bad Request: chat not found"})", ErrorKind::InvalidArgument},
      {401, R"({"ok":false,"error_code":401,"description":"Unauthorized"})", ErrorKind::Unauthenticated},
      {403, R"({"ok":false,"error_code":403,"description":"Forbidden: bot was blocked by the user"})", ErrorKind::PermissionDenied},
      {404, R"({"ok":false,"error_code":404,"description":"Not Found: method not found"})", ErrorKind::NotFound},
      {409,
       R"({"ok":false,"error_code":409,"description":"Conflict: terminated by other getUpdates request; make sure that only one bot instance is running"})",
       ErrorKind::Conflict},
      {502, "<html>Bad Gateway</html>", ErrorKind::ExchangeUnavailable},
      {500, R"({"ok":false,"error_code":500,"description":"Internal Server Error: restart"})", ErrorKind::ExchangeUnavailable},
  };
  for (const auto& c : cases) {
    Api a([&](const net::HttpRequest&) { return answer(c.status, c.body); });
    auto r = a.call("sendMessage", json::object());
    ASSERT_FALSE(r.ok()) << c.body;
    EXPECT_EQ(r.error().kind, c.kind) << c.body;
    EXPECT_EQ(r.error().http_status, c.status);
    if (c.body[0] == '{') {
      EXPECT_EQ(r.error().venue_message, json::parse(c.body)["description"]);
      EXPECT_EQ(r.error().message, "telegram sendMessage: " + json::parse(c.body)["description"].get<std::string>());
    }
  }
}

TEST(BotApi, TooManyRequestsCarriesRetryAfterFromTheBodyOrTheHeader) {
  Api body([](const net::HttpRequest&) {
    return answer(429, R"({"ok":false,"error_code":429,"description":"Too Many Requests: retry after 9","parameters":{"retry_after":9}})",
                  {{"Retry-After", "9"}});
  });
  auto r = body.call("sendMessage", json::object());
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().kind, ErrorKind::RateLimited);
  EXPECT_EQ(r.error().retry_after, std::chrono::milliseconds(9000));
  Api header([](const net::HttpRequest&) {
    return answer(429, R"({"ok":false,"error_code":429,"description":"Too Many Requests: retry after 3"})", {{"Retry-After", "3"}});
  });
  EXPECT_EQ(header.call("x", json::object()).error().retry_after, std::chrono::milliseconds(3000));
  Api neither([](const net::HttpRequest&) { return answer(429, R"({"ok":false,"error_code":429,"description":"Too Many Requests"})"); });
  EXPECT_EQ(neither.call("x", json::object()).error().retry_after, std::chrono::milliseconds(1000));
}

TEST(BotApi, HarmlessErrorsAreRecognised) {
  Api a([](const net::HttpRequest& r) {
    if (r.url.ends_with("/deleteMessage"))
      return answer(400, R"({"ok":false,"error_code":400,"description":"Bad Request: message to delete not found"})");
    return answer(
        400,
        R"({"ok":false,"error_code":400,"description":"Bad Request: message is not modified: specified new message content and reply markup are exactly the same as a current content and reply markup of the message"})");
  });
  EXPECT_TRUE(is_not_modified(a.call("editMessageText", json::object()).error()));
  EXPECT_TRUE(is_already_deleted(a.call("deleteMessage", json::object()).error()));
  EXPECT_FALSE(is_not_modified(a.call("deleteMessage", json::object()).error()));
}

TEST(BotApi, TheTokenNeverTravelsInAnError) {
  Api a([](const net::HttpRequest& r) -> Result<net::HttpResponse> {
    Error e = Error::make(ErrorKind::NetworkError, "connect to " + r.url + " refused");
    e.venue_message = r.url;
    return e;
  });
  auto r = a.call("getMe", json::object());
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().kind, ErrorKind::NetworkError);
  EXPECT_EQ(r.error().message.find("AAHdqTcvCH1vGWJxfSeofSAs0K5PALDsaw"), std::string::npos) << r.error().message;
  EXPECT_EQ(r.error().venue_message.find("AAHdqTcvCH1vGWJxfSeofSAs0K5PALDsaw"), std::string::npos);
  EXPECT_NE(r.error().message.find("[REDACTED]"), std::string::npos);
}

TEST(BotApi, GetUpdatesLongPollsAndParsesWhatItKnows) {
  const char* batch = R"({"ok":true,"result":[
   {"update_id":815000001,"message":{"message_id":41,"from":{"id":111,"is_bot":false,"first_name":"Alice","username":"alice"},
    "chat":{"id":111,"first_name":"Alice","type":"private"},"date":1767225600,"text":"/start@tradebridge_bot  K7QFM2XDAB ",
    "entities":[{"offset":0,"length":22,"type":"bot_command"}]}},
   {"update_id":815000002,"callback_query":{"id":"477248523815829376","from":{"id":111,"is_bot":false,"first_name":"Alice"},
    "message":{"message_id":42,"from":{"id":222,"is_bot":true,"first_name":"TB"},"chat":{"id":111,"type":"private"},"date":1767225601,
    "text":"Your keys:"},"chat_instance":"-7766554433221100","data":"a:7"}},
   {"update_id":815000003,"message_reaction":{"chat":{"id":1}}},
   {"update_id":815000004,"my_chat_member":{"chat":{"id":111,"type":"private"},"from":{"id":111,"is_bot":false,"first_name":"A"},
    "date":1,"old_chat_member":{"status":"member"},"new_chat_member":{"status":"kicked"}}},
   {"no_update_id":true},
   {"update_id":815000006,"callback_query":{"id":"9","from":{"id":5,"is_bot":false,"first_name":"B"},
    "message":{"message_id":7,"chat":{"id":5,"type":"private"},"date":0},"chat_instance":"1","data":"m"}}
  ]})";
  Api a([&](const net::HttpRequest&) { return answer(200, batch); });
  auto r = test::run(a.api.get_updates(815000001, 25, 100, {"message", "callback_query"}));
  ASSERT_TRUE(r.ok()) << r.error().describe();
  auto req = json::parse(a.transport.requests()[0].body);
  EXPECT_EQ(req["offset"], 815000001);
  EXPECT_EQ(req["timeout"], 25);
  EXPECT_EQ(req["limit"], 100);
  EXPECT_EQ(req["allowed_updates"], json({"message", "callback_query"}));
  EXPECT_EQ(r->last_update_id, 815000006);
  ASSERT_EQ(r->updates.size(), 5u);
  const auto& m = *r->updates[0].message;
  EXPECT_EQ(m.command, "/start");
  EXPECT_EQ(m.command_args, "K7QFM2XDAB");
  EXPECT_EQ(m.from->username, "alice");
  EXPECT_TRUE(m.chat.is_private());
  EXPECT_EQ(r->updates[0].chat_id(), 111);
  const auto& q = *r->updates[1].callback_query;
  EXPECT_EQ(q.id, "477248523815829376");
  EXPECT_EQ(q.data, "a:7");
  EXPECT_EQ(q.message->message_id, 42);
  EXPECT_EQ(r->updates[1].chat_id(), 111);
  EXPECT_EQ(r->updates[2].chat_id(), 0);  // a kind the bot does not handle
  EXPECT_EQ(r->updates[3].my_chat_member->new_status, "kicked");
  EXPECT_EQ(r->updates[4].callback_query->message->date, 0);  // inaccessible

  Api first([&](const net::HttpRequest&) { return answer(200, R"({"ok":true,"result":[]})"); });
  auto none = test::run(first.api.get_updates(0, 0, 1, {}));
  ASSERT_TRUE(none.ok());
  EXPECT_EQ(none->last_update_id, 0);
  EXPECT_FALSE(json::parse(first.transport.requests()[0].body).contains("offset"));  // the first poll: no offset
}

TEST(Updates, TextWithoutACommandEntityIsNoCommand) {
  auto u =
      parse_update(json::parse(R"({"update_id":1,"message":{"message_id":2,"chat":{"id":3,"type":"private"},"date":4,"text":"/start"}})"));
  ASSERT_TRUE(u.ok());
  EXPECT_EQ(u->message->command, "");
  auto edited =
      parse_update(json::parse(R"({"update_id":1,"edited_message":{"message_id":2,"chat":{"id":3,"type":"group"},"date":4,"text":"x"}})"));
  ASSERT_TRUE(edited.ok());
  EXPECT_TRUE(edited->edited);
  EXPECT_FALSE(edited->message->chat.is_private());
  EXPECT_FALSE(parse_update(json::parse(R"({"update_id":"1"})")).ok());
  EXPECT_FALSE(parse_update(json::parse(R"({"update_id":1,"message":{"chat":{"id":3}}})")).ok());
}

}  // namespace
}  // namespace tb::telegram
