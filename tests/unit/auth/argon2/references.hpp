// The two implementations authd's Argon2 is checked against, called the way their users call
// them: libargon2 (the reference, every variant and input) and libsodium (argon2id and argon2i,
// one lane, a 16-byte salt).
#pragma once

#include <argon2.h>
#include <sodium.h>

#include <cstdint>
#include <optional>
#include <vector>

#include "auth/argon2/argon2.hpp"

namespace authd::auth::argon2::testing {

struct argon2_case {
  variant type = variant::id;
  argon2::cost cost;
  std::vector<std::uint8_t> password = {};
  std::vector<std::uint8_t> salt = {};
  std::vector<std::uint8_t> secret = {};
  std::vector<std::uint8_t> associated_data = {};
  std::size_t tag_bytes = 32;

  argon2::inputs inputs() const { return {password, salt, secret, associated_data}; }
};

inline std::vector<std::uint8_t> with_libargon2(const argon2_case& c) {
  std::vector<std::uint8_t> tag(c.tag_bytes);
  std::vector<std::uint8_t> password = c.password, salt = c.salt, secret = c.secret, ad = c.associated_data;
  argon2_context context{};
  context.out = tag.data();
  context.outlen = static_cast<std::uint32_t>(tag.size());
  context.pwd = password.data();
  context.pwdlen = static_cast<std::uint32_t>(password.size());
  context.salt = salt.data();
  context.saltlen = static_cast<std::uint32_t>(salt.size());
  context.secret = secret.data();
  context.secretlen = static_cast<std::uint32_t>(secret.size());
  context.ad = ad.data();
  context.adlen = static_cast<std::uint32_t>(ad.size());
  context.t_cost = c.cost.passes;
  context.m_cost = c.cost.memory_kib;
  context.lanes = c.cost.lanes;
  context.threads = 1;
  context.version = ARGON2_VERSION_13;
  const int status = argon2_ctx(&context, static_cast<argon2_type>(c.type));
  if (status != ARGON2_OK) return {};
  return tag;
}

// nullopt when libsodium cannot express the case (more lanes, secret, associated data, salt size).
inline std::optional<std::vector<std::uint8_t>> with_libsodium(const argon2_case& c) {
  if (c.type == variant::d || c.cost.lanes != 1 || !c.secret.empty() || !c.associated_data.empty() ||
      c.salt.size() != crypto_pwhash_SALTBYTES || c.tag_bytes < crypto_pwhash_BYTES_MIN) {
    return std::nullopt;
  }
  if (c.type == variant::i && c.cost.passes < crypto_pwhash_argon2i_OPSLIMIT_MIN) return std::nullopt;
  std::vector<std::uint8_t> tag(c.tag_bytes);
  const int algorithm = c.type == variant::id ? crypto_pwhash_ALG_ARGON2ID13 : crypto_pwhash_ALG_ARGON2I13;
  // libsodium's arguments must not be null, even when empty.
  const char* password = c.password.empty() ? "" : reinterpret_cast<const char*>(c.password.data());
  if (crypto_pwhash(tag.data(), tag.size(), password, c.password.size(), c.salt.data(), c.cost.passes,
                    std::size_t{c.cost.memory_kib} * 1024, algorithm) != 0) {
    return std::vector<std::uint8_t>{};
  }
  return tag;
}

inline std::vector<std::uint8_t> with_kernel(kernel k, const argon2_case& c) {
  std::vector<block> memory(memory_blocks(c.cost));
  std::vector<std::uint8_t> tag(c.tag_bytes);
  compute(k, c.type, c.cost, c.inputs(), tag, memory);
  return tag;
}

}  // namespace authd::auth::argon2::testing
