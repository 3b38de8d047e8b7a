// The fuzz targets' known token secret, and HS256 signing with it, so that a fuzzer can write
// tokens that get past the signature check (as an attacker who stole the secret could).
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "unit/auth/hostile_jws.hpp"

namespace authd::fuzz {

inline constexpr std::string_view token_secret = "fuzz-secret-0123456789abcdef-0123456789";
// "Now" for the token targets: 2023-11-14T22:13:20Z. Seed tokens expire in 2100 (exp 4102444800).
inline constexpr std::int64_t token_now = 1'700'000'000;

using auth::testing::base64url;

// "<signing input>.<base64url HMAC-SHA256 of it>".
inline std::string sign(std::string signing_input) {
  const std::string mac = auth::testing::hmac_sha256(token_secret, signing_input);
  return signing_input + "." + base64url(mac);
}

}  // namespace authd::fuzz
