// The 1 KiB block Argon2 works on (RFC 9106): 128 little-endian 64-bit words.
#pragma once

#include <bit>
#include <cstddef>
#include <cstdint>

namespace authd::auth::argon2 {

static_assert(std::endian::native == std::endian::little, "blocks are read and written as native words");

inline constexpr std::size_t block_bytes = 1024;
inline constexpr std::size_t block_words = block_bytes / 8;

// Aligned to a cache line, so that no vector load of a kernel splits one.
struct alignas(64) block {
  std::uint64_t words[block_words];
};
static_assert(sizeof(block) == block_bytes);

}  // namespace authd::auth::argon2
