// Argon2id password hashing: PHC strings in, PHC strings out, computed by authd's own Argon2
// (auth/argon2) in each hashing thread's reusable arena, or by libsodium when configured so and
// for stored hashes larger than the arena.
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>

#include "auth/argon2/argon2.hpp"
#include "auth/argon2/implementation.hpp"

namespace authd::auth {

struct argon2_params {
  std::uint32_t memory_kib = 19456;  // OWASP's minimum for Argon2id
  std::uint32_t iterations = 2;
  argon2::implementation implementation = argon2::implementation::fastest;
};

enum class verify_outcome {
  mismatch,            // wrong password, or a stored hash that is not one authd verifies
  match,               // right password, stored parameters are the configured ones
  match_needs_rehash,  // right password, but the stored hash uses another variant or other parameters
};

// A stored hash may come from a corrupted or hostile row; verifying it must not allocate
// gigabytes or spin for minutes. Generous enough for any sane configuration (OWASP's largest
// recommendation is 46 MiB).
inline constexpr std::uint32_t max_verify_memory_kib = 1024 * 1024;  // 1 GiB
inline constexpr std::uint32_t max_verify_iterations = 64;

// Thread-safe; each call costs one full Argon2 run, so it belongs on the hashing pool, never on an
// I/O thread. authd's implementation uses the calling thread's arena (argon2/thread_arena.hpp).
class password_hasher {
 public:
  // Throws std::invalid_argument for parameters out of range, or an implementation this CPU lacks.
  explicit password_hasher(argon2_params params);

  // Argon2id, p=1, a fresh 16-byte random salt, a 32-byte tag: the string libsodium writes.
  // Throws std::bad_alloc when the memory cannot be had.
  std::string hash(std::string_view password) const;

  // Verifies argon2id and argon2i PHC strings (any m, t, p, including argon2-cffi's p=4) in time
  // that does not depend on where the password differs. Argon2d is refused: its memory accesses
  // depend on the password, and no password library writes it by default.
  verify_outcome verify(std::string_view password, std::string_view phc) const;

  // Costs what a verify against a hash with the configured parameters costs, and tells nothing:
  // used for unknown accounts so their timing matches known ones.
  void dummy_verify(std::string_view password) const;

  const argon2_params& params() const { return params_; }
  // What computes hashes: the kernel `fastest` resolved to, or libsodium.
  argon2::implementation implementation() const;

 private:
  bool fits_arena(const argon2::cost& c) const;
  void compute(argon2::variant type, const argon2::cost& c, std::string_view password,
               std::span<const std::uint8_t> salt, std::span<std::uint8_t> tag) const;

  argon2_params params_;
  argon2::cost cost_;                     // the configured cost, p=1
  std::optional<argon2::kernel> kernel_;  // nullopt: libsodium
  std::string dummy_hash_;
};

}  // namespace authd::auth
