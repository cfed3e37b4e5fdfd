#pragma once
// The OpenAPI 3.0.3 description of a Router's routes, served as /api/v1/openapi.json.
//
// One path item per pattern (as written; its {name} segments are declared path parameters: integer
// int64 >= 1 when the name is "id" or ends in "_id", else string), one operation per route with its
// summary, tag, query parameters, request body (the route's request schema), the success answer (its
// status and response schema) and the error answers the route can give (400 and 500 always, 401 when
// it needs a user, 403 when it needs a CSRF token, 404 when it has path parameters, 413 and 415 when it
// takes a body), each referring to the Error schema in components. A route with auth set lists both
// security schemes: the session cookie (tb_session) and a bearer token; one with csrf set declares the
// X-CSRF-Token header.
#include <string_view>

#include <nlohmann/json.hpp>

#include "web/router.hpp"

namespace tb::web {

struct OpenApiOptions {
  std::string_view title;
  std::string_view version;
  std::string_view description;
  std::string_view session_cookie = "tb_session";
  // Further entries of components.schemas, for route schemas that use "$ref": "#/components/schemas/X".
  nlohmann::json schemas = nlohmann::json::object();
};

nlohmann::json openapi_document(const Router& router, std::string_view title, std::string_view version);
nlohmann::json openapi_document(const Router& router, const OpenApiOptions& options);

// The JSON Schema of every error answer: {"error":{"code","message","field"?}}.
nlohmann::json error_schema();

}  // namespace tb::web
