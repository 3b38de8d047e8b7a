// Argon2 hashes as PHC strings, `$argon2id$v=19$m=19456,t=2,p=1$<salt>$<tag>`, the form
// libsodium, argon2-cffi and the reference library write: unpadded standard base64, version 1.3.
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "auth/argon2/argon2.hpp"
#include "auth/argon2/variant.hpp"

namespace authd::auth::argon2 {

struct phc_hash {
  argon2::variant type = variant::id;
  argon2::cost cost;
  std::vector<std::uint8_t> salt;
  std::vector<std::uint8_t> tag;
};

// Reads a PHC string as libsodium's decoder does: the fields in this order and nothing else,
// decimal numbers below 2^32 without leading zeros, canonical base64, a valid cost, a salt of 8 bytes or more
// and a tag of 16 or more. nullopt for anything else.
std::optional<phc_hash> parse_phc(std::string_view text);

std::string format_phc(variant type, const cost& c, std::span<const std::uint8_t> salt,
                       std::span<const std::uint8_t> tag);

}  // namespace authd::auth::argon2
