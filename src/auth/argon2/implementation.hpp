// Who computes Argon2 for the password hasher (AUTHD_ARGON2_IMPLEMENTATION): one of authd's
// kernels, the fastest this CPU runs by default, or libsodium's Argon2, kept as a fallback.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "auth/argon2/kernel.hpp"

namespace authd::auth::argon2 {

enum class implementation { fastest, avx512, avx2, portable, libsodium };

// "auto", "avx512", "avx2", "portable" or "libsodium"; nullopt for anything else.
std::optional<implementation> implementation_named(std::string_view name);
std::string_view name_of(implementation i);
// The names implementation_named takes, comma-separated, for error messages.
std::string implementation_names();

// The kernel that runs for `i` (fastest resolved for this CPU); nullopt for libsodium.
std::optional<kernel> kernel_of(implementation i);

// Whether this CPU can run `i`.
bool supported(implementation i);

}  // namespace authd::auth::argon2
