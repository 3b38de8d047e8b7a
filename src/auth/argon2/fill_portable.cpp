// The portable kernel: plain 64-bit arithmetic, for any CPU, and the reference the vector kernels
// are tested against.
#include <bit>
#include <cstdint>

#include "auth/argon2/fill_layout.hpp"
#include "auth/argon2/fill_segments.hpp"

namespace authd::auth::argon2 {
namespace {

// BLAKE2b's addition with Argon2's multiplication added, so that the function is costly in
// hardware too: x + y + 2 * lo32(x) * lo32(y).
inline std::uint64_t blamka(std::uint64_t x, std::uint64_t y) {
  constexpr std::uint64_t low = 0xFFFFFFFFu;
  return x + y + 2 * ((x & low) * (y & low));
}

inline void mix(std::uint64_t& a, std::uint64_t& b, std::uint64_t& c, std::uint64_t& d) {
  a = blamka(a, b);
  d = std::rotr(d ^ a, 32);
  c = blamka(c, d);
  b = std::rotr(b ^ c, 24);
  a = blamka(a, b);
  d = std::rotr(d ^ a, 16);
  c = blamka(c, d);
  b = std::rotr(b ^ c, 63);
}

// The permutation P on 16 words v[0..15], read at `w + offset[k]`: BLAKE2b's round, columns then
// diagonals of the 4x4 matrix.
inline void permute(std::uint64_t* w, const std::uint32_t (&offset)[16]) {
  std::uint64_t v[16];
  for (int k = 0; k < 16; ++k) v[k] = w[offset[k]];
  mix(v[0], v[4], v[8], v[12]);
  mix(v[1], v[5], v[9], v[13]);
  mix(v[2], v[6], v[10], v[14]);
  mix(v[3], v[7], v[11], v[15]);
  mix(v[0], v[5], v[10], v[15]);
  mix(v[1], v[6], v[11], v[12]);
  mix(v[2], v[7], v[8], v[13]);
  mix(v[3], v[4], v[9], v[14]);
  for (int k = 0; k < 16; ++k) w[offset[k]] = v[k];
}

struct portable_kernel {
  // G(prev, ref): R = prev ^ ref; P over the 8 rows of 16 words, then over the 8 columns of
  // 16-byte pairs; the result is P(R) ^ R, XORed into `out` from the second pass on (version 1.3).
  template <bool XorOut>
  static void compress(const block& prev, const block& ref, block& out) {
    block r, q;
    for (std::uint32_t k = 0; k < block_words; ++k) r.words[k] = q.words[k] = prev.words[k] ^ ref.words[k];
    for (std::uint32_t row = 0; row < 8; ++row) {
      std::uint32_t offset[16];
      for (std::uint32_t k = 0; k < 16; ++k) offset[k] = 16 * row + k;
      permute(q.words, offset);
    }
    for (std::uint32_t column = 0; column < 8; ++column) {
      std::uint32_t offset[16];
      for (std::uint32_t k = 0; k < 8; ++k) {
        offset[2 * k] = 2 * column + 16 * k;
        offset[2 * k + 1] = 2 * column + 16 * k + 1;
      }
      permute(q.words, offset);
    }
    for (std::uint32_t k = 0; k < block_words; ++k) {
      const std::uint64_t value = q.words[k] ^ r.words[k];
      out.words[k] = XorOut ? out.words[k] ^ value : value;
    }
  }
};

}  // namespace

void fill_memory_portable(const fill_layout& layout) {
  fill_memory<portable_kernel>(layout);
}

}  // namespace authd::auth::argon2
