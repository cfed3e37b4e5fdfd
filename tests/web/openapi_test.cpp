#include "web/openapi.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <cctype>
#include <regex>
#include <set>

namespace tb::web {
namespace {

using nlohmann::json;

net::Task<net::HttpResponse> nothing(RequestContext&) { co_return net::HttpResponse{}; }

json account_schema() {
  return {
      {"type", "object"}, {"properties", {{"id", {{"type", "integer"}}}, {"name", {{"type", "string"}}}}}, {"required", {"id", "name"}}};
}

Router api() {
  Router r;
  RouteInfo login{.summary = "Sign in", .tag = "auth", .auth = false, .csrf = false};
  login.request_schema = {{"type", "object"}, {"properties", {{"email", {{"type", "string"}}}, {"password", {{"type", "string"}}}}}};
  r.add("POST", "/api/v1/auth/login", nothing, login);

  RouteInfo list{.summary = "List accounts", .tag = "exchange-accounts"};
  list.response_schema = {{"type", "array"}, {"items", {{"$ref", "#/components/schemas/Account"}}}};
  list.query = {ParamInfo{"limit", "at most this many", {{"type", "integer"}, {"minimum", 1}}, false}};
  r.add("GET", "/api/v1/exchange-accounts", nothing, list);

  RouteInfo get{.summary = "One account", .tag = "exchange-accounts"};
  get.response_schema = {{"$ref", "#/components/schemas/Account"}};
  r.add("GET", "/api/v1/exchange-accounts/{id}", nothing, get);

  RouteInfo del{.summary = "Delete an account", .tag = "exchange-accounts", .success_status = 204};
  r.add("DELETE", "/api/v1/exchange-accounts/{id}", nothing, del);

  RouteInfo keys{.summary = "Replace the keys", .tag = "exchange-accounts", .success_status = 202};
  keys.request_schema = {{"type", "object"}, {"properties", {{"api_key", {{"type", "string"}}}}}};
  keys.response_schema = {{"$ref", "#/components/schemas/Account"}};
  r.add("PUT", "/api/v1/exchange-accounts/{id}/keys", nothing, keys);

  r.add("GET", "/api/v1/robots/{robot_id}/runs/{run}", nothing, RouteInfo{.summary = "A run", .tag = "robots"});
  r.add("GET", "/healthz", nothing, RouteInfo{.auth = false});
  EXPECT_TRUE(r.status().ok());
  return r;
}

OpenApiOptions options() {
  OpenApiOptions o;
  o.title = "tradebridge";
  o.version = "1.2.3";
  o.schemas = {{"Account", account_schema()}};
  return o;
}

void collect_refs(const json& j, std::vector<std::string>& out) {
  if (j.is_object()) {
    for (auto it = j.begin(); it != j.end(); ++it) {
      if (it.key() == "$ref" && it->is_string()) out.push_back(it->get<std::string>());
      collect_refs(*it, out);
    }
  } else if (j.is_array()) {
    for (auto& v : j) collect_refs(v, out);
  }
}

// The structural rules of OpenAPI 3.0.3 this generator must keep; returns every violation found.
std::vector<std::string> violations(const json& doc) {
  std::vector<std::string> v;
  if (doc.value("openapi", "") != "3.0.3") v.push_back("openapi version");
  if (!doc.contains("info") || !doc["info"].contains("title") || !doc["info"].contains("version")) v.push_back("info.title/version");
  std::vector<std::string> refs;
  collect_refs(doc, refs);
  for (auto& ref : refs) {
    if (ref.rfind("#/", 0) != 0) {
      v.push_back("non-local $ref " + ref);
      continue;
    }
    if (!doc.contains(json::json_pointer(ref.substr(1)))) v.push_back("unresolved $ref " + ref);
  }
  std::set<std::string> op_ids;
  static const std::set<std::string> kMethods = {"get", "put", "post", "delete", "options", "head", "patch", "trace"};
  static const std::regex kTemplate(R"(\{([^}]+)\})");
  for (auto& [path, item] : doc["paths"].items()) {
    std::set<std::string> templated;
    for (std::sregex_iterator it(path.begin(), path.end(), kTemplate), end; it != end; ++it) templated.insert((*it)[1]);
    for (auto& [method, op] : item.items()) {
      std::string where = method + " " + path;
      if (!kMethods.count(method)) v.push_back("bad method " + where);
      auto id = op.value("operationId", "");
      if (id.empty() || !op_ids.insert(id).second) v.push_back("operationId missing or repeated: " + where);
      std::set<std::string> declared;
      std::set<std::pair<std::string, std::string>> seen;
      for (auto& p : op.value("parameters", json::array())) {
        if (!seen.insert({p.value("name", ""), p.value("in", "")}).second) v.push_back("parameter twice: " + where);
        if (!p.contains("schema")) v.push_back("parameter without schema: " + where);
        if (p.value("in", "") == "path") {
          declared.insert(p.value("name", ""));
          if (p.value("required", false) != true) v.push_back("path parameter not required: " + where);
        }
      }
      if (declared != templated) v.push_back("path parameters differ from the template: " + where);
      if (!op.contains("responses") || op["responses"].empty()) v.push_back("no responses: " + where);
      bool success = false;
      for (auto& [code, resp] : op["responses"].items()) {
        if (!(code == "default" || std::regex_match(code, std::regex("[1-5][0-9][0-9]")))) v.push_back("bad code " + code);
        if (code[0] == '2') success = true;
        if (!resp.contains("$ref") && !resp.contains("description")) v.push_back("response without description: " + where);
      }
      if (!success) v.push_back("no success response: " + where);
      if (op.contains("requestBody") && !op["requestBody"]["content"].contains("application/json"))
        v.push_back("request body not JSON: " + where);
      for (auto& requirement : op.value("security", json::array()))
        for (auto& [scheme, scopes] : requirement.items())
          if (!doc["components"]["securitySchemes"].contains(scheme)) v.push_back("unknown security scheme " + scheme);
    }
  }
  return v;
}

TEST(OpenApi, EveryRouteAppearsOnce) {
  auto r = api();
  auto doc = openapi_document(r, options());
  size_t operations = 0;
  for (auto& [path, item] : doc["paths"].items()) operations += item.size();
  EXPECT_EQ(operations, r.routes().size());
  for (auto& route : r.routes()) {
    std::string method;
    for (char c : route.method) method += static_cast<char>(std::tolower(c));
    EXPECT_TRUE(doc["paths"].contains(route.pattern) && doc["paths"][route.pattern].contains(method))
        << route.method << " " << route.pattern;
  }
}

TEST(OpenApi, DocumentIsStructurallyValid) {
  auto doc = openapi_document(api(), options());
  EXPECT_EQ(violations(doc), std::vector<std::string>{}) << doc.dump(2);
  EXPECT_EQ(doc["info"]["title"], "tradebridge");
  EXPECT_EQ(doc["info"]["version"], "1.2.3");
  EXPECT_EQ(doc["tags"], json::parse(R"([{"name":"auth"},{"name":"exchange-accounts"},{"name":"robots"}])"));
}

TEST(OpenApi, TheValidatorCatchesWhatItChecks) {
  // An unresolved $ref (no Account schema given) and a template parameter left undeclared.
  auto doc = openapi_document(api(), "tradebridge", "1");
  auto found = violations(doc);
  EXPECT_NE(std::find(found.begin(), found.end(), "unresolved $ref #/components/schemas/Account"), found.end());
  doc["paths"]["/api/v1/exchange-accounts/{id}"]["get"].erase("parameters");
  found = violations(doc);
  EXPECT_NE(std::find(found.begin(), found.end(), "path parameters differ from the template: get /api/v1/exchange-accounts/{id}"),
            found.end());
}

TEST(OpenApi, OperationDetails) {
  auto doc = openapi_document(api(), options());
  auto& login = doc["paths"]["/api/v1/auth/login"]["post"];
  EXPECT_EQ(login["summary"], "Sign in");
  EXPECT_EQ(login["tags"], json::array({"auth"}));
  EXPECT_FALSE(login.contains("security"));
  EXPECT_EQ(login["requestBody"]["required"], true);
  EXPECT_EQ(login["requestBody"]["content"]["application/json"]["schema"]["properties"]["email"]["type"], "string");
  EXPECT_TRUE(login["responses"].contains("200"));
  EXPECT_TRUE(login["responses"].contains("400"));
  EXPECT_TRUE(login["responses"].contains("413"));
  EXPECT_TRUE(login["responses"].contains("415"));
  EXPECT_FALSE(login["responses"].contains("401"));
  EXPECT_FALSE(login["responses"].contains("403"));

  auto& get = doc["paths"]["/api/v1/exchange-accounts/{id}"]["get"];
  EXPECT_EQ(get["security"], json::parse(R"([{"cookieAuth":[]},{"bearerAuth":[]}])"));
  EXPECT_EQ(get["parameters"], json::parse(R"([{"name":"id","in":"path","required":true,
                                               "schema":{"type":"integer","format":"int64","minimum":1}}])"));
  EXPECT_EQ(get["responses"]["200"]["content"]["application/json"]["schema"]["$ref"], "#/components/schemas/Account");
  EXPECT_EQ(get["responses"]["404"]["$ref"], "#/components/responses/NotFound");
  EXPECT_EQ(get["responses"]["401"]["$ref"], "#/components/responses/Unauthorized");
  EXPECT_FALSE(get["responses"].contains("403"));  // a GET needs no CSRF token
  EXPECT_FALSE(get.contains("requestBody"));

  auto& del = doc["paths"]["/api/v1/exchange-accounts/{id}"]["delete"];
  EXPECT_EQ(del["responses"]["204"], json::parse(R"({"description":"No Content"})"));
  EXPECT_EQ(del["responses"]["403"]["$ref"], "#/components/responses/Forbidden");
  bool csrf_header = false;
  for (auto& p : del["parameters"]) csrf_header = csrf_header || (p["in"] == "header" && p["name"] == kCsrfHeader && p["required"] == true);
  EXPECT_TRUE(csrf_header);

  auto& keys = doc["paths"]["/api/v1/exchange-accounts/{id}/keys"]["put"];
  EXPECT_TRUE(keys["responses"].contains("202"));
  EXPECT_FALSE(keys["responses"].contains("200"));

  auto& list = doc["paths"]["/api/v1/exchange-accounts"]["get"];
  EXPECT_EQ(list["parameters"], json::parse(R"([{"name":"limit","in":"query","required":false,
                                                "description":"at most this many","schema":{"type":"integer","minimum":1}}])"));

  auto& run = doc["paths"]["/api/v1/robots/{robot_id}/runs/{run}"]["get"];
  ASSERT_EQ(run["parameters"].size(), 2u);
  EXPECT_EQ(run["parameters"][0]["schema"]["type"], "integer");  // robot_id
  EXPECT_EQ(run["parameters"][1]["schema"]["type"], "string");   // run
}

TEST(OpenApi, Components) {
  auto doc = openapi_document(api(), options());
  auto& c = doc["components"];
  EXPECT_EQ(c["schemas"]["Error"], error_schema());
  EXPECT_EQ(c["schemas"]["Account"], account_schema());
  EXPECT_EQ(c["securitySchemes"]["cookieAuth"], json::parse(R"({"type":"apiKey","in":"cookie","name":"tb_session"})"));
  EXPECT_EQ(c["securitySchemes"]["bearerAuth"], json::parse(R"({"type":"http","scheme":"bearer"})"));
  for (auto name : {"BadRequest", "Unauthorized", "Forbidden", "NotFound", "PayloadTooLarge", "UnsupportedMediaType", "InternalError"})
    EXPECT_EQ(c["responses"][name]["content"]["application/json"]["schema"]["$ref"], "#/components/schemas/Error") << name;
  // The error schema describes what to_response() sends.
  auto err = error_schema();
  EXPECT_EQ(err["required"], json::array({"error"}));
  EXPECT_EQ(err["properties"]["error"]["required"], json::array({"code", "message"}));
}

TEST(OpenApi, OperationIdsAreUniqueEvenWhenNamesCollide) {
  Router r;
  r.add("GET", "/a/{b}", nothing);
  r.add("GET", "/a/by_b", nothing);
  r.add("GET", "/a-x", nothing);
  r.add("GET", "/a_x", nothing);
  ASSERT_TRUE(r.status().ok());
  auto doc = openapi_document(r, "t", "1");
  EXPECT_EQ(violations(doc), std::vector<std::string>{});
}

TEST(OpenApi, EmptyRouterIsValid) {
  Router r;
  auto doc = openapi_document(r, "t", "1");
  EXPECT_TRUE(doc["paths"].is_object());
  EXPECT_TRUE(doc["paths"].empty());
  EXPECT_EQ(violations(doc), std::vector<std::string>{});
}

}  // namespace
}  // namespace tb::web
