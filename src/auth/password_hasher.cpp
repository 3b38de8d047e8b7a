#include "auth/password_hasher.hpp"

#include <sodium.h>

#include <array>
#include <new>
#include <stdexcept>
#include <vector>

#include "auth/argon2/phc.hpp"
#include "auth/argon2/thread_arena.hpp"
#include "auth/sodium_init.hpp"

namespace authd::auth {
namespace {

// Longer than any PHC string libsodium or argon2-cffi writes (about 100 characters), short enough
// that a hostile row costs nothing to reject.
constexpr std::size_t max_phc_length = 512;

// What libsodium writes (crypto_pwhash_SALTBYTES, and the 32-byte tag of crypto_pwhash_str).
constexpr std::size_t salt_bytes = 16;
constexpr std::size_t tag_bytes = 32;

std::span<const std::uint8_t> bytes_of(std::string_view text) {
  return {reinterpret_cast<const std::uint8_t*>(text.data()), text.size()};
}

// libsodium reads pointers even for empty ranges; a string_view may hold a null one.
const char* data_of(std::string_view text) {
  return text.empty() ? "" : text.data();
}

argon2_params checked(argon2_params params) {
  // The same ceilings as for stored hashes: otherwise our own hashes would be refused later.
  if (params.memory_kib < 8 || params.memory_kib > max_verify_memory_kib) {
    throw std::invalid_argument("argon2 memory must be between 8 KiB and 1 GiB");
  }
  if (params.iterations < 1 || params.iterations > max_verify_iterations) {
    throw std::invalid_argument("argon2 iterations must be between 1 and 64");
  }
  if (!argon2::supported(params.implementation)) {
    throw std::invalid_argument("argon2 implementation " +
                                std::string(argon2::name_of(params.implementation)) +
                                " is not supported by this CPU");
  }
  return params;
}

std::array<std::uint8_t, salt_bytes> random_salt() {
  std::array<std::uint8_t, salt_bytes> salt;
  randombytes_buf(salt.data(), salt.size());
  return salt;
}

// libsodium's own Argon2id, as before authd had its own.
std::string libsodium_hash(std::string_view password, const argon2::cost& c) {
  std::array<char, crypto_pwhash_STRBYTES> out{};
  if (crypto_pwhash_str_alg(out.data(), data_of(password), password.size(), c.passes,
                            std::size_t{c.memory_kib} * 1024U, crypto_pwhash_ALG_ARGON2ID13) != 0) {
    // The parameters were checked at construction, so memory is the only thing that can be missing.
    throw std::bad_alloc();
  }
  return std::string(out.data());
}

}  // namespace

password_hasher::password_hasher(argon2_params params)
    : params_(checked(params)),
      cost_{.memory_kib = params.memory_kib, .passes = params.iterations, .lanes = 1},
      kernel_(argon2::kernel_of(params.implementation)) {
  ensure_sodium_initialized();
  // A hash of nothing: only its parameters matter, so verifying against it costs what a real
  // verification costs and can never match (the tag is random).
  std::array<std::uint8_t, tag_bytes> tag;
  randombytes_buf(tag.data(), tag.size());
  dummy_hash_ = argon2::format_phc(argon2::variant::id, cost_, random_salt(), tag);
}

argon2::implementation password_hasher::implementation() const {
  if (!kernel_) return argon2::implementation::libsodium;
  switch (*kernel_) {
    case argon2::kernel::avx512:
      return argon2::implementation::avx512;
    case argon2::kernel::avx2:
      return argon2::implementation::avx2;
    case argon2::kernel::portable:
      return argon2::implementation::portable;
  }
  return argon2::implementation::portable;
}

bool password_hasher::fits_arena(const argon2::cost& c) const {
  return kernel_ && argon2::memory_blocks(c) <= argon2::memory_blocks(cost_);
}

void password_hasher::compute(argon2::variant type, const argon2::cost& c, std::string_view password,
                              std::span<const std::uint8_t> salt, std::span<std::uint8_t> tag) const {
  const std::size_t blocks = argon2::memory_blocks(cost_);  // the arena is sized for the configured cost
  argon2::arena& memory = argon2::thread_arena(blocks);
  argon2::compute(*kernel_, type, c, {.password = bytes_of(password), .salt = salt}, tag,
                  memory.use(argon2::memory_blocks(c)));
}

std::string password_hasher::hash(std::string_view password) const {
  if (!kernel_) return libsodium_hash(password, cost_);
  const auto salt = random_salt();
  std::array<std::uint8_t, tag_bytes> tag;
  compute(argon2::variant::id, cost_, password, salt, tag);
  return argon2::format_phc(argon2::variant::id, cost_, salt, tag);
}

verify_outcome password_hasher::verify(std::string_view password, std::string_view phc) const {
  if (phc.size() > max_phc_length) return verify_outcome::mismatch;
  const auto stored = argon2::parse_phc(phc);
  if (!stored || stored->type == argon2::variant::d) return verify_outcome::mismatch;
  if (stored->cost.memory_kib > max_verify_memory_kib || stored->cost.passes > max_verify_iterations) {
    return verify_outcome::mismatch;
  }

  bool matches = false;
  if (fits_arena(stored->cost)) {
    std::vector<std::uint8_t> tag(stored->tag.size());
    compute(stored->type, stored->cost, password, stored->salt, tag);
    matches = sodium_memcmp(tag.data(), stored->tag.data(), tag.size()) == 0;
    sodium_memzero(tag.data(), tag.size());
  } else {
    // Larger than the arena (an older, costlier configuration, or libsodium configured): libsodium
    // allocates what it needs for this one hash. It reads both argon2id and argon2i strings.
    const std::string text(phc);  // NUL-terminated
    matches = crypto_pwhash_str_verify(text.c_str(), data_of(password), password.size()) == 0;
  }
  if (!matches) return verify_outcome::mismatch;

  // New hashes are argon2id with p=1, a 16-byte salt and a 32-byte tag (this is what moves
  // argon2-cffi's p=4 hashes, and other libraries' salt and tag sizes, to our form).
  const bool same_parameters = stored->type == argon2::variant::id && stored->cost.lanes == 1 &&
                               stored->cost.memory_kib == cost_.memory_kib &&
                               stored->cost.passes == cost_.passes && stored->salt.size() == salt_bytes &&
                               stored->tag.size() == tag_bytes;
  return same_parameters ? verify_outcome::match : verify_outcome::match_needs_rehash;
}

void password_hasher::dummy_verify(std::string_view password) const {
  static_cast<void>(verify(password, dummy_hash_));
}

}  // namespace authd::auth
