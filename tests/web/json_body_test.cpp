#include "web/json_body.hpp"

#include <gtest/gtest.h>

namespace tb::web {
namespace {

const std::string kJson = "application/json";

ApiResult<JsonBody> parse(std::string_view body, const std::string& content_type = kJson, JsonBodyLimits limits = {}) {
  return JsonBody::parse(&content_type, body, limits);
}

// The error of a body that must be refused at parse time.
ApiError refused(std::string_view body, const std::string& content_type = kJson, JsonBodyLimits limits = {}) {
  auto r = parse(body, content_type, limits);
  EXPECT_FALSE(r.ok()) << body;
  return r.ok() ? ApiError{} : r.error();
}

TEST(JsonBody, ReadsKnownFields) {
  auto b = parse(R"({"name":"Main","api_key":"k","limit":25,"enabled":false,"opt":null})");
  ASSERT_TRUE(b.ok());
  EXPECT_EQ(b->optional_string("name", 64), "Main");
  EXPECT_EQ(b->required_string("api_key", 256), "k");
  EXPECT_EQ(b->optional_int("limit", 1, 100), 25);
  EXPECT_EQ(b->optional_bool("enabled"), false);
  EXPECT_EQ(b->optional_string("opt", 10), std::nullopt);  // null counts as absent
  EXPECT_EQ(b->optional_string("missing", 10), std::nullopt);
  EXPECT_EQ(b->optional_int("missing"), std::nullopt);
  EXPECT_EQ(b->optional_bool("missing"), std::nullopt);
  EXPECT_FALSE(b->finish());
}

TEST(JsonBody, ContentTypeMustBeJson) {
  auto none = JsonBody::parse(nullptr, "{}");
  ASSERT_FALSE(none.ok());
  EXPECT_EQ(none.error().status, 415);
  EXPECT_EQ(none.error().code, "unsupported_media_type");

  auto e = refused("{}", "text/plain");
  EXPECT_EQ(e.status, 415);
  EXPECT_NE(e.message.find("application/json"), std::string::npos);
  EXPECT_NE(e.message.find("text/plain"), std::string::npos);  // names what was sent

  EXPECT_EQ(refused("{}", "application/x-www-form-urlencoded").status, 415);
  EXPECT_EQ(refused("{}", "application/json; charset=latin1").status, 415);
  EXPECT_EQ(refused("{}", "application/jsonp").status, 415);
  EXPECT_EQ(refused("{}", "application/json-patch+json").status, 415);
  EXPECT_EQ(refused("{}", "application/json; boundary=x").status, 415);

  for (std::string ok : {"application/json", "Application/JSON", "application/json; charset=utf-8", "application/json;charset=UTF-8",
                         "application/json; charset=\"utf-8\"", "application/json ;"})
    EXPECT_TRUE(parse("{}", ok).ok()) << ok;
}

TEST(JsonBody, RequestOverloadReadsTheHeader) {
  net::HttpRequest req;
  req.method = "POST";
  req.headers.push_back({"content-type", "application/json; charset=utf-8"});
  req.body = R"({"a":1})";
  auto b = JsonBody::parse(req);
  ASSERT_TRUE(b.ok());
  EXPECT_EQ(b->optional_int("a"), 1);
  req.headers.clear();
  EXPECT_EQ(JsonBody::parse(req).error().status, 415);
}

TEST(JsonBody, TooLargeIs413) {
  JsonBodyLimits limits;
  limits.max_bytes = 16;
  auto e = refused(R"({"name":"0123456789"})", kJson, limits);
  EXPECT_EQ(e.status, 413);
  EXPECT_EQ(e.code, "payload_too_large");
  EXPECT_TRUE(parse(R"({"n":"0123456"})", kJson, limits).ok());  // exactly 16 bytes
}

TEST(JsonBody, MalformedJsonSaysWhereButNotWhat) {
  auto e = refused(R"({"api_secret":"s3cr3t", "x": tru})");
  EXPECT_EQ(e.status, 400);
  EXPECT_EQ(e.code, "invalid_argument");
  EXPECT_EQ(e.message.rfind("malformed JSON: ", 0), 0u) << e.message;
  EXPECT_NE(e.message.find("line 1, column"), std::string::npos) << e.message;
  EXPECT_EQ(e.message.find("s3cr3t"), std::string::npos) << e.message;
  EXPECT_EQ(e.message.find("tru"), std::string::npos) << e.message;  // the parser's "last read" is cut

  e = refused("{\"a\":\"unterminated s3cr3t");
  EXPECT_EQ(e.message.find("s3cr3t"), std::string::npos) << e.message;
  e = refused(R"({"a":1} {"b":2})");
  EXPECT_EQ(e.status, 400);
  e = refused(R"({"a":1,})");
  EXPECT_EQ(e.status, 400);
  e = refused("{'a':1}");
  EXPECT_EQ(e.status, 400);
  e = refused("{\"a\":1 // comment\n}");
  EXPECT_EQ(e.status, 400);
}

TEST(JsonBody, EmptyBodyIs400) {
  EXPECT_EQ(refused("").message, "request body is empty; expected a JSON object");
  EXPECT_EQ(refused("  ").status, 400);
}

TEST(JsonBody, TopLevelMustBeAnObject) {
  for (auto body : {"[]", "[{\"a\":1}]", "\"text\"", "1", "null", "true"}) {
    auto e = refused(body);
    EXPECT_EQ(e.status, 400) << body;
    EXPECT_EQ(e.message, "request body must be a JSON object") << body;
  }
}

TEST(JsonBody, InvalidUtf8IsRefusedByTheParser) {
  for (std::string body : {std::string("{\"name\":\"\xff\"}"), std::string("{\"name\":\"\xc0\xaf\"}"),
                           std::string("{\"name\":\"\xed\xa0\x80\"}"), std::string("{\"\xfe\":1}"), std::string(R"({"name":"\ud800"})")}) {
    auto e = refused(body);
    EXPECT_EQ(e.status, 400);
    EXPECT_EQ(e.message.rfind("malformed JSON", 0), 0u) << e.message;
  }
  // Escaped, well-formed non-ASCII is fine and counts as one character each.
  auto b = parse(R"({"name":"Caf\u00e9 \ud83d\ude00"})");
  ASSERT_TRUE(b.ok());
  EXPECT_EQ(b->optional_string("name", 6), "Caf\xC3\xA9 \xF0\x9F\x98\x80");
  EXPECT_FALSE(b->finish());
}

TEST(JsonBody, DuplicateKeysAre400) {
  auto e = refused(R"({"name":"a","name":"b"})");
  EXPECT_EQ(e.status, 400);
  EXPECT_EQ(e.message, "duplicate field: name");
  EXPECT_EQ(e.field, "name");
  // In a nested object too (no field: it is not a top-level field).
  e = refused(R"({"permissions":{"trade":true,"trade":false}})");
  EXPECT_EQ(e.message, "duplicate field: trade");
  EXPECT_EQ(e.field, "");
  // The same key in sibling objects is not a duplicate.
  EXPECT_TRUE(parse(R"({"a":{"x":1},"b":{"x":2},"c":[{"x":1},{"x":2}]})").ok());
  // Escapes are compared after decoding.
  EXPECT_EQ(refused(R"({"ab":1,"a\u0062":2})").message, "duplicate field: ab");
}

TEST(JsonBody, DeepNestingIsRefused) {
  JsonBodyLimits limits;
  limits.max_depth = 3;
  EXPECT_TRUE(parse(R"({"a":{"b":[1]}})", kJson, limits).ok());
  auto e = refused(R"({"a":{"b":[[1]]}})", kJson, limits);
  EXPECT_EQ(e.status, 400);
  EXPECT_EQ(e.message, "JSON nested deeper than 3 levels");
  // A nesting bomb under the default limits fails fast instead of building the tree.
  std::string bomb = "{\"a\":" + std::string(50'000, '[') + std::string(50'000, ']') + "}";
  JsonBodyLimits big;
  big.max_bytes = 1 << 20;
  EXPECT_EQ(refused(bomb, kJson, big).status, 400);
}

TEST(JsonBody, HugeNumbers) {
  auto e = refused(R"({"n":1e400})");
  EXPECT_EQ(e.status, 400);
  EXPECT_EQ(e.message, "malformed JSON: a number is out of range");

  auto b = parse(R"({"a":99999999999999999999999,"b":18446744073709551615,"c":-9223372036854775809})");
  ASSERT_TRUE(b.ok());
  EXPECT_EQ(b->optional_int("a"), std::nullopt);
  auto err = b->finish();
  ASSERT_TRUE(err);
  EXPECT_EQ(err->message, "a: out of range");
  EXPECT_EQ(err->field, "a");

  b = parse(R"({"b":18446744073709551615})");
  EXPECT_EQ(b->optional_int("b"), std::nullopt);
  EXPECT_EQ(b->finish()->message, "b: out of range");

  b = parse(R"({"c":-9223372036854775809})");
  EXPECT_EQ(b->optional_int("c"), std::nullopt);
  EXPECT_EQ(b->finish()->message, "c: out of range");

  b = parse(R"({"max":9223372036854775807,"min":-9223372036854775808})");
  EXPECT_EQ(b->optional_int("max"), INT64_MAX);
  EXPECT_EQ(b->optional_int("min"), INT64_MIN);
  EXPECT_FALSE(b->finish());
}

TEST(JsonBody, IntegerRangeAndForm) {
  auto b = parse(R"({"limit":0})");
  EXPECT_EQ(b->optional_int("limit", 1, 500), std::nullopt);
  EXPECT_EQ(b->finish()->message, "limit: must be between 1 and 500");

  b = parse(R"({"limit":501})");
  EXPECT_EQ(b->optional_int("limit", 1, 500), std::nullopt);
  EXPECT_EQ(b->finish()->message, "limit: must be between 1 and 500");

  b = parse(R"({"limit":-1})");
  EXPECT_EQ(b->optional_int("limit", 0, 10), std::nullopt);
  EXPECT_TRUE(b->finish());

  for (auto body : {R"({"limit":1.0})", R"({"limit":1e2})", R"({"limit":2.5})"}) {
    b = parse(body);
    EXPECT_EQ(b->optional_int("limit", 1, 500), std::nullopt) << body;
    EXPECT_EQ(b->finish()->message, "limit: must be an integer (written without a decimal point or exponent)");
  }
}

TEST(JsonBody, WrongTypesNameTheFieldNotTheValue) {
  struct Case {
    const char* body;
    const char* message;
    int which;  // 0 string, 1 int, 2 bool, 3 required string
  };
  const Case cases[] = {
      {R"({"name":12345})", "name: must be a string", 0},
      {R"({"name":["s3cr3t"]})", "name: must be a string", 0},
      {R"({"name":{"k":"s3cr3t"}})", "name: must be a string", 0},
      {R"({"name":true})", "name: must be a string", 3},
      {R"({"name":"s3cr3t"})", "name: must be an integer", 1},
      {R"({"name":true})", "name: must be an integer", 1},
      {R"({"name":"true"})", "name: must be true or false", 2},
      {R"({"name":1})", "name: must be true or false", 2},
      {R"({})", "name: required", 3},
      {R"({"name":null})", "name: required", 3},
  };
  for (auto& c : cases) {
    auto b = parse(c.body);
    ASSERT_TRUE(b.ok()) << c.body;
    switch (c.which) {
      case 0: EXPECT_EQ(b->optional_string("name", 10), std::nullopt); break;
      case 1: EXPECT_EQ(b->optional_int("name"), std::nullopt); break;
      case 2: EXPECT_EQ(b->optional_bool("name"), std::nullopt); break;
      default: EXPECT_EQ(b->required_string("name", 10), ""); break;
    }
    EXPECT_TRUE(b->has_error());
    auto e = b->finish();
    ASSERT_TRUE(e) << c.body;
    EXPECT_EQ(e->status, 400);
    EXPECT_EQ(e->code, "invalid_argument");
    EXPECT_EQ(e->message, c.message) << c.body;
    EXPECT_EQ(e->field, "name");
    EXPECT_EQ(e->message.find("s3cr3t"), std::string::npos);
  }
}

TEST(JsonBody, StringLengthCountsCharactersAndSaysTheLimit) {
  auto b = parse(R"({"name":"12345678901"})");
  EXPECT_EQ(b->optional_string("name", 10), std::nullopt);
  auto e = b->finish();
  ASSERT_TRUE(e);
  EXPECT_EQ(e->message, "name: at most 10 characters");
  EXPECT_EQ(e->field, "name");

  b = parse(R"({"name":"1234567890"})");
  EXPECT_EQ(b->optional_string("name", 10), "1234567890");
  EXPECT_FALSE(b->finish());

  // Ten two-byte characters are ten characters, not twenty.
  std::string ten_e_acute;
  for (int i = 0; i < 10; ++i) ten_e_acute += "\xC3\xA9";
  b = parse("{\"name\":\"" + ten_e_acute + "\"}");
  EXPECT_EQ(b->required_string("name", 10), ten_e_acute);
  EXPECT_FALSE(b->finish());
  b = parse("{\"name\":\"" + ten_e_acute + "\xC3\xA9\"}");
  EXPECT_EQ(b->required_string("name", 10), "");
  EXPECT_EQ(b->finish()->message, "name: at most 10 characters");
}

TEST(JsonBody, ControlCharactersInStringsAreRefused) {
  for (auto body : {R"({"name":"a\nb"})", R"({"name":"a\u0000b"})", R"({"name":"\u007f"})", R"({"name":"\u0085"})"}) {
    auto b = parse(body);
    ASSERT_TRUE(b.ok()) << body;
    EXPECT_EQ(b->optional_string("name", 64), std::nullopt) << body;
    EXPECT_EQ(b->finish()->message, "name: must not contain control characters") << body;
  }
}

TEST(JsonBody, UnknownFieldsAreRefusedAfterTheKnownOnes) {
  auto b = parse(R"({"name":"x","nmae":"y"})");
  EXPECT_EQ(b->optional_string("name", 10), "x");
  auto e = b->finish();
  ASSERT_TRUE(e);
  EXPECT_EQ(e->status, 400);
  EXPECT_EQ(e->message, "unknown field: nmae");
  EXPECT_EQ(e->field, "nmae");
  EXPECT_EQ(e->message.find("\"y\""), std::string::npos);

  // A field read as absent-or-null is known even when null.
  b = parse(R"({"name":null})");
  EXPECT_EQ(b->optional_string("name", 10), std::nullopt);
  EXPECT_FALSE(b->finish());

  // A structured field read raw is known.
  b = parse(R"({"permissions":{"trade":true}})");
  auto* p = b->optional_value("permissions");
  ASSERT_NE(p, nullptr);
  EXPECT_TRUE(p->is_object());
  EXPECT_EQ(b->optional_value("absent"), nullptr);
  EXPECT_FALSE(b->finish());

  // An unknown key is shown without control characters, and not at all when long or shaped like a secret.
  b = parse("{\"k\\nk\":1}");
  e = b->finish();
  ASSERT_TRUE(e);
  EXPECT_EQ(e->message, "unknown field: k?k");
  b = parse("{\"" + std::string(33, 'k') + "\":1}");
  EXPECT_EQ(b->finish()->message, "unknown field: (not repeated)");
  const std::string secret = "NhqPtmdSJYdKjVHjA7PZj4Mge3R5YNiP1e3UZjInClVN65XAbvqqM6A7H5fATj0j";
  b = parse("{\"" + secret.substr(0, 30) + "\":1}");
  e = b->finish();
  EXPECT_EQ(e->message, "unknown field: (not repeated)");
  EXPECT_EQ(e->field, "(not repeated)");
}

TEST(JsonBody, TheFirstProblemWins) {
  auto b = parse(R"({"a":1,"b":"x","c":true,"zzz":0})");
  EXPECT_EQ(b->optional_string("a", 10), std::nullopt);  // first problem
  EXPECT_EQ(b->optional_bool("b"), std::nullopt);        // second problem
  EXPECT_EQ(b->optional_bool("c"), true);                // still read after a problem
  auto e = b->finish();
  ASSERT_TRUE(e);
  EXPECT_EQ(e->message, "a: must be a string");
}

TEST(JsonContentType, Parsing) {
  EXPECT_TRUE(is_json_content_type("application/json"));
  EXPECT_TRUE(is_json_content_type(" application/json ; charset = utf-8 "));
  EXPECT_FALSE(is_json_content_type(""));
  EXPECT_FALSE(is_json_content_type("application/json; charset"));
  EXPECT_FALSE(is_json_content_type("application/json; charset=utf-16"));
  EXPECT_FALSE(is_json_content_type("text/json"));
}

// Found by the fuzzer (tests/fuzz/json_body.cpp): the parameter loop took a position within the rest as one
// within the whole value, so empty parameters after enough blanks looped forever (any client could hold a
// server thread with this Content-Type), and a second parameter was read from the wrong place.
TEST(JsonContentType, EveryParameterIsReadOnceInOrder) {
  std::string blanks(15, ' ');
  EXPECT_TRUE(is_json_content_type("application/json" + blanks + ";" + blanks + ";"));  // looped forever
  EXPECT_TRUE(is_json_content_type("application/json;charset=utf-8;charset=UTF-8"));
  EXPECT_TRUE(is_json_content_type("application/json;;charset=utf-8;"));
  EXPECT_FALSE(is_json_content_type("application/json; charset=utf-8; boundary=x"));
  EXPECT_FALSE(is_json_content_type("application/json" + blanks + ";" + blanks + "; charset=latin1"));
}

TEST(JsonBody, WipeZeroesTheParsedCopyOfASecret) {
  auto body = parse(R"({"key":"k","nested":{"secret":"s3cr3t-0123456789-abcdefghij-past-short-strings"}})");
  ASSERT_TRUE(body);
  const std::string& secret = body->json()["nested"]["secret"].get_ref<const std::string&>();
  const char* bytes = secret.data();  // the string keeps its buffer when emptied: still ours to read
  size_t n = secret.size();
  body->wipe();
  EXPECT_EQ(std::string(bytes, n), std::string(n, '\0'));
  EXPECT_TRUE(body->json()["nested"]["secret"].get_ref<const std::string&>().empty());
  EXPECT_TRUE(body->json()["key"].get_ref<const std::string&>().empty());
}

TEST(JsonBody, RequiredSecretMovesTheBytesOutAndLeavesTheBodyEmpty) {
  for (std::string value : {std::string("short"), std::string("s3cr3t-0123456789-abcdefghij-past-short-strings")}) {
    auto body = parse(R"({"secret":")" + value + R"("})");
    ASSERT_TRUE(body);
    const std::string& held = body->json()["secret"].get_ref<const std::string&>();
    const char* bytes = held.data();  // a short string's own buffer keeps its bytes unless wiped
    crypto::Secret secret = body->required_secret("secret", 64);
    EXPECT_FALSE(body->finish());
    EXPECT_EQ(secret.reveal(), value);
    EXPECT_TRUE(body->json()["secret"].get_ref<const std::string&>().empty());
    if (value.size() < 16) {
      EXPECT_EQ(std::string(bytes, value.size()), std::string(value.size(), '\0'));
    }
  }
}

TEST(JsonBody, RequiredSecretIsCheckedLikeAStringAndNeverRepeated) {
  auto missing = parse(R"({"other":1})");
  ASSERT_TRUE(missing);
  EXPECT_TRUE(missing->required_secret("secret", 64).empty());
  missing->optional_int("other");
  ASSERT_TRUE(missing->finish());
  EXPECT_EQ(missing->finish()->message, "secret: required");
  const std::string long_secret(65, 'x');
  auto too_long = parse(R"({"secret":")" + long_secret + R"("})");
  ASSERT_TRUE(too_long);
  EXPECT_TRUE(too_long->required_secret("secret", 64).empty());
  ASSERT_TRUE(too_long->finish());
  EXPECT_EQ(too_long->finish()->message, "secret: at most 64 characters");
  auto number = parse(R"({"secret":12345})");
  ASSERT_TRUE(number);
  EXPECT_TRUE(number->required_secret("secret", 64).empty());
  ASSERT_TRUE(number->finish());
  EXPECT_EQ(number->finish()->message, "secret: must be a string");
}

}  // namespace
}  // namespace tb::web
