#include "web/openapi.hpp"

#include <algorithm>
#include <set>

namespace tb::web {
namespace {

using nlohmann::json;

std::string reason_phrase(int status) {
  switch (status) {
    case 200: return "OK";
    case 201: return "Created";
    case 202: return "Accepted";
    case 204: return "No Content";
    default: return "Success";
  }
}

bool is_id_name(std::string_view name) { return name == "id" || (name.size() > 3 && name.substr(name.size() - 3) == "_id"); }

json path_param_schema(std::string_view name) {
  if (is_id_name(name)) return {{"type", "integer"}, {"format", "int64"}, {"minimum", 1}};
  return {{"type", "string"}};
}

std::string operation_id(const Route& r) {
  std::string id;
  for (char c : r.method) id += static_cast<char>(c - 'A' + 'a');
  for (auto& s : r.segments) {
    if (s.text.empty()) continue;
    id += s.param ? "_by_" : "_";
    for (char c : s.text) {
      bool word = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
      id += word ? c : '_';
    }
  }
  return id;
}

json ref_response(std::string_view name) { return {{"$ref", "#/components/responses/" + std::string(name)}}; }

json error_response(std::string_view description) {
  return {{"description", description}, {"content", {{"application/json", {{"schema", {{"$ref", "#/components/schemas/Error"}}}}}}}};
}

}  // namespace

json error_schema() {
  return {{"type", "object"},
          {"required", {"error"}},
          {"properties",
           {{"error",
             {{"type", "object"},
              {"required", {"code", "message"}},
              {"properties",
               {{"code", {{"type", "string"}, {"description", "stable machine-readable code, e.g. invalid_argument"}}},
                {"message", {{"type", "string"}, {"description", "what went wrong, in plain words"}}},
                {"field", {{"type", "string"}, {"description", "the request field at fault, when there is one"}}}}}}}}}};
}

json openapi_document(const Router& router, std::string_view title, std::string_view version) {
  OpenApiOptions o;
  o.title = title;
  o.version = version;
  return openapi_document(router, o);
}

json openapi_document(const Router& router, const OpenApiOptions& options) {
  json paths = json::object();
  std::vector<std::string> tags;
  std::set<std::string> operation_ids;

  for (auto& r : router.routes()) {
    const RouteInfo& info = r.info;
    json op = json::object();
    if (!info.summary.empty()) op["summary"] = info.summary;
    if (!info.tag.empty()) {
      op["tags"] = {info.tag};
      if (std::find(tags.begin(), tags.end(), info.tag) == tags.end()) tags.push_back(info.tag);
    }
    std::string id = operation_id(r), unique = id;
    for (int n = 2; operation_ids.count(unique); ++n) unique = id + "_" + std::to_string(n);
    operation_ids.insert(unique);
    op["operationId"] = unique;

    json params = json::array();
    for (auto& name : r.param_names()) {
      json p = {{"name", name}, {"in", "path"}, {"required", true}, {"schema", path_param_schema(name)}};
      for (auto& declared : info.path) {
        if (declared.name != name) continue;
        p["schema"] = declared.schema;
        if (!declared.description.empty()) p["description"] = declared.description;
      }
      params.push_back(std::move(p));
    }
    for (auto& q : info.query) {
      json p = {{"name", q.name}, {"in", "query"}, {"required", q.required}, {"schema", q.schema}};
      if (!q.description.empty()) p["description"] = q.description;
      params.push_back(std::move(p));
    }
    if (info.csrf)
      params.push_back({{"name", kCsrfHeader},
                        {"in", "header"},
                        {"required", true},
                        {"description", "the CSRF token of the session"},
                        {"schema", {{"type", "string"}}}});
    if (!params.empty()) op["parameters"] = std::move(params);

    bool has_body = !info.request_schema.is_null();
    if (has_body) op["requestBody"] = {{"required", true}, {"content", {{"application/json", {{"schema", info.request_schema}}}}}};

    json success = {{"description", reason_phrase(info.success_status)}};
    if (!info.response_schema.is_null()) success["content"] = {{"application/json", {{"schema", info.response_schema}}}};
    json responses = json::object();
    responses[std::to_string(info.success_status)] = std::move(success);
    responses["400"] = ref_response("BadRequest");
    if (info.auth) responses["401"] = ref_response("Unauthorized");
    if (info.csrf) responses["403"] = ref_response("Forbidden");
    if (!r.param_names().empty()) responses["404"] = ref_response("NotFound");
    if (has_body) {
      responses["413"] = ref_response("PayloadTooLarge");
      responses["415"] = ref_response("UnsupportedMediaType");
    }
    for (const auto& [status, why] : info.errors) responses[std::to_string(status)] = error_response(why);
    responses["500"] = ref_response("InternalError");
    op["responses"] = std::move(responses);

    if (info.auth) op["security"] = json::array({{{"cookieAuth", json::array()}}, {{"bearerAuth", json::array()}}});

    std::string method;
    for (char c : r.method) method += static_cast<char>(c - 'A' + 'a');
    paths[r.pattern][method] = std::move(op);
  }

  json info = {{"title", options.title}, {"version", options.version}};
  if (!options.description.empty()) info["description"] = options.description;

  json schemas = options.schemas.is_object() ? options.schemas : json::object();
  schemas["Error"] = error_schema();

  json doc = {{"openapi", "3.0.3"},
              {"info", std::move(info)},
              {"paths", std::move(paths)},
              {"components",
               {{"schemas", std::move(schemas)},
                {"responses",
                 {{"BadRequest", error_response("the request is malformed or a field is invalid")},
                  {"Unauthorized", error_response("no signed-in user: sign in first")},
                  {"Forbidden", error_response("missing or invalid CSRF token")},
                  {"NotFound", error_response("no such resource, or not yours")},
                  {"PayloadTooLarge", error_response("the request body is too large")},
                  {"UnsupportedMediaType", error_response("the request body is not application/json")},
                  {"InternalError", error_response("an internal error; it has been logged")}}},
                {"securitySchemes",
                 {{"cookieAuth", {{"type", "apiKey"}, {"in", "cookie"}, {"name", options.session_cookie}}},
                  {"bearerAuth", {{"type", "http"}, {"scheme", "bearer"}}}}}}}};
  if (!tags.empty()) {
    json t = json::array();
    for (auto& name : tags) t.push_back({{"name", name}});
    doc["tags"] = std::move(t);
  }
  return doc;
}

}  // namespace tb::web
