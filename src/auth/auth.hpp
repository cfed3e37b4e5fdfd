#pragma once
// The auth module's door: users' passwords and emails, session and CSRF tokens, login rate limiting.
// Pure pieces with no HTTP and no storage; the web layer wires them to requests and the store.
#include "auth/email.hpp"
#include "auth/limit_entries.hpp"
#include "auth/login_limiter.hpp"
#include "auth/password.hpp"
#include "auth/tokens.hpp"
#include "auth/totp.hpp"
#include "auth/window_limit.hpp"
