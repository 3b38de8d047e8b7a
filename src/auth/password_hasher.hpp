// Argon2id password hashing through libsodium: PHC strings in, PHC strings out.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace authd::auth {

struct argon2_params {
  std::uint32_t memory_kib = 19456;  // OWASP's minimum for Argon2id
  std::uint32_t iterations = 2;
};

enum class verify_outcome {
  mismatch,            // wrong password, or a stored hash that is not a valid argon2id PHC string
  match,               // right password, stored parameters are the configured ones
  match_needs_rehash,  // right password, but the stored hash uses other parameters
};

// Thread-safe and stateless apart from its parameters; each call costs one full Argon2 run, so it
// belongs on the hashing pool, never on an I/O thread.
class password_hasher {
 public:
  explicit password_hasher(argon2_params params);

  // A fresh random salt each call; p=1 (libsodium's only lane count for new hashes).
  // Throws std::bad_alloc when the memory cannot be had.
  std::string hash(std::string_view password) const;

  // Verifies any valid argon2id PHC string (any m, t, p, including argon2-cffi's p=4), in time
  // that does not depend on where the password differs.
  verify_outcome verify(std::string_view password, std::string_view phc) const;

  // Costs what a verify against a hash with the configured parameters costs, and tells nothing:
  // used for unknown accounts so their timing matches known ones.
  void dummy_verify(std::string_view password) const;

  const argon2_params& params() const { return params_; }

 private:
  argon2_params params_;
  std::string dummy_hash_;  // computed once at construction
};

}  // namespace authd::auth
