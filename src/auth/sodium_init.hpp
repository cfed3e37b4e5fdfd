#pragma once
// Private to auth: libsodium must be initialised once before use; this does it lazily and thread-safely.
namespace tb::auth::detail {
bool ensure_sodium();
}
