#pragma once
// Small pieces shared by the routes_*.cpp files.
#include <functional>
#include <memory>

#include "web/api.hpp"
#include "web/api_error.hpp"
#include "web/json_body.hpp"

namespace tb::web::routes {

using SyncHandler = std::function<net::HttpResponse(RequestContext&)>;

// Most handlers only call a service: written as plain functions, served as coroutines.
Handler sync(SyncHandler handler);

// The signed-in user the middleware left in the context (routes with auth set always have one).
const Session& session(RequestContext& ctx);
accounts::Actor actor(RequestContext& ctx);

// A service's error as the API's answer.
net::HttpResponse error_response(const Error& error);

// The {id} of the path as a positive integer, or a 404 (an id that cannot exist names nothing).
ApiResult<int64_t> path_id(RequestContext& ctx);

// The gate of an action two-factor authentication guards: `code` (the body's totp_code) is checked when it
// is on, and the actor is marked as having given a current code; a missing or wrong code is the answer.
std::optional<net::HttpResponse> second_factor(accounts::TwoFactorService& two_factor, accounts::Actor& actor,
                                               const std::optional<std::string>& code);
inline constexpr size_t kMaxTotpCode = 32;  // a code typed with spaces, or a recovery code

// A body that may be empty or hold only {"totp_code": "..."}: the routes whose only input is the code.
ApiResult<std::optional<std::string>> code_only_body(const net::HttpRequest& request);

// Schema helpers for RouteInfo: an object with these string properties, all required unless listed.
nlohmann::json object_schema(const std::vector<std::string>& required, const std::vector<std::string>& optional = {});

}  // namespace tb::web::routes
