// What a kernel needs to fill Argon2's memory after the first two blocks of each lane are set:
// the memory and its shape. Internal to the argon2 folder.
#pragma once

#include <cstdint>

#include "auth/argon2/block.hpp"
#include "auth/argon2/variant.hpp"

namespace authd::auth::argon2 {

inline constexpr std::uint32_t sync_points = 4;  // slices per pass

struct fill_layout {
  block* memory;                 // lanes * lane_length blocks, lane after lane
  std::uint32_t lanes;           // p
  std::uint32_t lane_length;     // q = m' / p
  std::uint32_t segment_length;  // q / 4
  std::uint32_t passes;          // t
  variant type;
};

// One per kernel, each compiled for its instruction set (fill_*.cpp); the caller checks that the
// CPU has that set before calling.
void fill_memory_portable(const fill_layout& layout);
void fill_memory_avx2(const fill_layout& layout);
void fill_memory_avx512(const fill_layout& layout);

}  // namespace authd::auth::argon2
