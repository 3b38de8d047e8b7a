#include "auth/password_hasher.hpp"

#include <sodium.h>

#include <array>
#include <new>
#include <stdexcept>

#include "auth/argon2id_phc.hpp"
#include "auth/sodium_init.hpp"

namespace authd::auth {
namespace {

// Longer than any PHC string libsodium or argon2-cffi writes (about 100 characters), short enough
// that a hostile row costs nothing to reject.
constexpr std::size_t max_phc_length = 512;

unsigned long long opslimit(const argon2_params& params) {
  return params.iterations;
}

std::size_t memlimit(const argon2_params& params) {
  return static_cast<std::size_t>(params.memory_kib) * 1024U;  // libsodium counts bytes
}

// libsodium reads pointers even for empty ranges; a string_view may hold a null one.
const char* data_of(std::string_view text) {
  return text.empty() ? "" : text.data();
}

argon2_params checked(argon2_params params) {
  // The same ceilings as for stored hashes: otherwise our own hashes would be refused later.
  if (memlimit(params) < crypto_pwhash_argon2id_MEMLIMIT_MIN || params.memory_kib > max_verify_memory_kib) {
    throw std::invalid_argument("argon2 memory must be between 8 KiB and 1 GiB");
  }
  if (opslimit(params) < crypto_pwhash_argon2id_OPSLIMIT_MIN || params.iterations > max_verify_iterations) {
    throw std::invalid_argument("argon2 iterations must be between 1 and 64");
  }
  return params;
}

}  // namespace

password_hasher::password_hasher(argon2_params params) : params_(checked(params)) {
  ensure_sodium_initialized();
  // What the dummy password is does not matter: only the cost of checking it does.
  dummy_hash_ = hash("authd dummy password");
}

std::string password_hasher::hash(std::string_view password) const {
  std::array<char, crypto_pwhash_STRBYTES> out{};
  if (crypto_pwhash_str_alg(out.data(), data_of(password), password.size(), opslimit(params_),
                            memlimit(params_), crypto_pwhash_ALG_ARGON2ID13) != 0) {
    // The parameters were checked at construction, so memory is the only thing that can be missing.
    throw std::bad_alloc();
  }
  return std::string(out.data());
}

verify_outcome password_hasher::verify(std::string_view password, std::string_view phc) const {
  if (phc.size() > max_phc_length) return verify_outcome::mismatch;
  const auto costs = parse_argon2id_phc_costs(phc);
  if (!costs || !within_verify_limits(*costs)) return verify_outcome::mismatch;

  const std::string stored(phc);  // libsodium wants it NUL-terminated
  if (crypto_pwhash_str_verify(stored.c_str(), data_of(password), password.size()) != 0) {
    return verify_outcome::mismatch;
  }
  // libsodium 1.0.18 compares only m and t; lanes count too, since new hashes are written with p=1
  // (this is what moves argon2-cffi's p=4 hashes to libsodium's form).
  const bool same_parameters =
      costs->lanes == 1 &&
      crypto_pwhash_str_needs_rehash(stored.c_str(), opslimit(params_), memlimit(params_)) == 0;
  return same_parameters ? verify_outcome::match : verify_outcome::match_needs_rehash;
}

void password_hasher::dummy_verify(std::string_view password) const {
  static_cast<void>(verify(password, dummy_hash_));
}

}  // namespace authd::auth
