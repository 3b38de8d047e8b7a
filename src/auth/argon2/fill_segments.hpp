// Argon2's memory filling (RFC 9106 section 3.4), written once and compiled by each kernel's
// translation unit with that kernel's compression function and instruction set.
//
// Everything here is in an unnamed namespace on purpose: the AVX-512 translation unit compiles it
// with AVX-512 enabled, and an inline function with external linkage could be merged by the
// linker into the portable path, which must run on any x86-64. Only builtins are used, no library
// calls, for the same reason.
#pragma once

#include <cstdint>

#include "auth/argon2/block.hpp"
#include "auth/argon2/fill_layout.hpp"

namespace authd::auth::argon2 {
namespace {

inline constexpr std::uint32_t addresses_per_block = block_words;

inline void prefetch_block(const block& b) {
  for (std::uint32_t line = 0; line < block_bytes / 64; ++line)
    __builtin_prefetch(reinterpret_cast<const char*>(&b) + line * 64);
}

// Where in its lane the reference block of the block at `index` of (pass, slice) lies, from J1
// (RFC 9106 section 3.4.1.3): anywhere already computed that the lanes may share at this point,
// biased towards recent blocks.
inline std::uint32_t reference_index(const fill_layout& l, std::uint32_t pass, std::uint32_t slice,
                                     std::uint32_t index, bool same_lane, std::uint32_t j1) {
  const std::uint64_t segment = l.segment_length;
  std::uint64_t area;  // how many blocks may be referenced
  if (pass == 0) {
    // In the first pass only finished slices, and in the own lane the blocks before the previous one.
    area = same_lane ? slice * segment + index - 1 : slice * segment - (index == 0 ? 1 : 0);
  } else {
    area = same_lane ? l.lane_length - segment + index - 1 : l.lane_length - segment - (index == 0 ? 1 : 0);
  }
  const std::uint64_t x = (std::uint64_t{j1} * j1) >> 32;
  const std::uint64_t relative = area - 1 - ((area * x) >> 32);
  const std::uint64_t start = (pass == 0 || slice == sync_points - 1) ? 0 : (slice + 1) * segment;
  // (start + relative) mod q, without a division: both are below q.
  const std::uint64_t position = start + relative;
  return static_cast<std::uint32_t>(position >= l.lane_length ? position - l.lane_length : position);
}

// Argon2i's pseudo-random numbers: G(0, G(0, Z)) over the position Z and a counter.
template <class Kernel>
class address_generator {
 public:
  address_generator(const fill_layout& l, std::uint32_t pass, std::uint32_t slice, std::uint32_t lane) {
    for (auto& w : zero_.words) w = 0;
    for (auto& w : input_.words) w = 0;
    input_.words[0] = pass;
    input_.words[1] = lane;
    input_.words[2] = slice;
    input_.words[3] = std::uint64_t{l.lane_length} * l.lanes;  // m'
    input_.words[4] = l.passes;
    input_.words[5] = static_cast<std::uint64_t>(l.type);
  }

  // The pseudo-random number of block `index` of the segment.
  std::uint64_t at(std::uint32_t index) {
    if (index % addresses_per_block == 0 || !ready_) {
      ++input_.words[6];
      Kernel::template compress<false>(zero_, input_, temporary_);
      Kernel::template compress<false>(zero_, temporary_, addresses_);
      ready_ = true;
    }
    return addresses_.words[index % addresses_per_block];
  }

 private:
  block zero_, input_, temporary_, addresses_;
  bool ready_ = false;
};

template <class Kernel>
void fill_segment(const fill_layout& l, std::uint32_t pass, std::uint32_t slice, std::uint32_t lane) {
  const bool independent =
      l.type == variant::i || (l.type == variant::id && pass == 0 && slice < sync_points / 2);
  // Blocks 0 and 1 of each lane come from H0, not from the compression function.
  const std::uint32_t first = (pass == 0 && slice == 0) ? 2 : 0;
  if (first >= l.segment_length) return;  // the smallest memory: two blocks per segment
  block* const own_lane = l.memory + std::uint64_t{lane} * l.lane_length;

  auto reference_of = [&](std::uint32_t index, std::uint64_t pseudo_random) -> const block& {
    const std::uint32_t ref_lane = (pass == 0 && slice == 0) || l.lanes == 1
                                       ? lane
                                       : static_cast<std::uint32_t>((pseudo_random >> 32) % l.lanes);
    const std::uint32_t ref_index =
        reference_index(l, pass, slice, index, ref_lane == lane, static_cast<std::uint32_t>(pseudo_random));
    return l.memory[std::uint64_t{ref_lane} * l.lane_length + ref_index];
  };

  std::uint32_t column = slice * l.segment_length + first;
  std::uint32_t previous = column == 0 ? l.lane_length - 1 : column - 1;
  if (independent) {
    // The references are known in advance: each is prefetched while the block before it is computed.
    address_generator<Kernel> addresses(l, pass, slice, lane);
    const block* ref = &reference_of(first, addresses.at(first));
    for (std::uint32_t index = first; index < l.segment_length; ++index, ++column) {
      const block* next_ref = nullptr;
      if (index + 1 < l.segment_length) {
        next_ref = &reference_of(index + 1, addresses.at(index + 1));
        prefetch_block(*next_ref);
      }
      if (pass == 0) {
        Kernel::template compress<false>(own_lane[previous], *ref, own_lane[column]);
      } else {
        Kernel::template compress<true>(own_lane[previous], *ref, own_lane[column]);
      }
      previous = column;
      ref = next_ref;
    }
  } else {
    for (std::uint32_t index = first; index < l.segment_length; ++index, ++column) {
      const block& ref = reference_of(index, own_lane[previous].words[0]);
      if (pass == 0) {
        Kernel::template compress<false>(own_lane[previous], ref, own_lane[column]);
      } else {
        Kernel::template compress<true>(own_lane[previous], ref, own_lane[column]);
      }
      previous = column;
    }
  }
}

// Fills every block but the first two of each lane. The lanes of one slice never reference each
// other's current segment, so computing them one after the other gives what parallel threads would.
template <class Kernel>
void fill_memory(const fill_layout& l) {
  for (std::uint32_t pass = 0; pass < l.passes; ++pass)
    for (std::uint32_t slice = 0; slice < sync_points; ++slice)
      for (std::uint32_t lane = 0; lane < l.lanes; ++lane) fill_segment<Kernel>(l, pass, slice, lane);
}

}  // namespace
}  // namespace authd::auth::argon2
