// Argon2 (RFC 9106, version 1.3) on authd's own kernels: the raw function, bytes in and tag out.
// The memory comes from the caller (an arena), so that it is allocated and faulted in once.
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>

#include "auth/argon2/block.hpp"
#include "auth/argon2/kernel.hpp"
#include "auth/argon2/variant.hpp"

namespace authd::auth::argon2 {

inline constexpr std::uint32_t version = 0x13;

struct cost {
  std::uint32_t memory_kib = 0;  // m
  std::uint32_t passes = 0;      // t
  std::uint32_t lanes = 1;       // p
};

struct inputs {
  std::span<const std::uint8_t> password;
  std::span<const std::uint8_t> salt;
  std::span<const std::uint8_t> secret = {};           // K (optional)
  std::span<const std::uint8_t> associated_data = {};  // X (optional)
};

inline constexpr std::uint32_t max_lanes = 0xFFFFFF;
inline constexpr std::size_t min_salt_bytes = 8;
// RFC 9106 allows 4; libsodium's BLAKE2b, which computes H0 and H', starts at 16.
inline constexpr std::size_t min_tag_bytes = 16;

// 1 <= lanes <= 2^24 - 1, memory >= 8 KiB per lane, passes >= 1.
bool valid(const cost& c);

// The blocks a hash with cost `c` fills: m' = 4p * floor(m / 4p).
std::size_t memory_blocks(const cost& c);

// Writes the tag of `in` (tag.size() bytes, at least min_tag_bytes) computed by kernel `k`, which
// the CPU must support. `memory` holds at least memory_blocks(c) blocks; what it held before does
// not matter, and what it holds afterwards is derived from the password, for the caller to wipe.
// Throws std::invalid_argument for an invalid cost, a short salt or tag, or too little memory.
void compute(kernel k, variant v, const cost& c, const inputs& in, std::span<std::uint8_t> tag,
             std::span<block> memory);

}  // namespace authd::auth::argon2
