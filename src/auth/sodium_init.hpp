// Initializes libsodium exactly once for everything in auth that uses it (hashing, tokens, ids).
#pragma once

#include <sodium.h>

#include <mutex>
#include <stdexcept>

namespace authd::auth {

// sodium_init() must run before libsodium picks its SIMD implementations and seeds its RNG; it
// can only fail when the system offers no randomness, which nothing here can work around.
inline void ensure_sodium_initialized() {
  static std::once_flag once;
  std::call_once(once, [] {
    if (sodium_init() < 0) throw std::runtime_error("libsodium could not be initialized");
  });
}

}  // namespace authd::auth
