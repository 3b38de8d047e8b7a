// The three Argon2 variants, numbered as RFC 9106 numbers them (the number is hashed into H0).
#pragma once

#include <cstdint>

namespace authd::auth::argon2 {

enum class variant : std::uint32_t { d = 0, i = 1, id = 2 };

}  // namespace authd::auth::argon2
