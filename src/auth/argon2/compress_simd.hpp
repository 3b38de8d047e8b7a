// Argon2's compression function G for vector instruction sets, written once over the few vector
// operations (Ops) that each kernel's translation unit supplies.
//
// The 1 KiB block is an 8x8 matrix of 16-byte pieces; P runs over its 8 rows, then its 8 columns.
// A vector holds Ops::pieces pieces, each from a different row (or column), so one run of
// `permute` computes P for Ops::pieces rows at once. No P ever spans two 16-byte lanes of a
// vector, so its diagonal step needs only in-lane byte alignments, never a cross-lane shuffle.
//
// In an unnamed namespace, like fill_segments.hpp, so that each instruction set's copy stays in
// its own translation unit.
#pragma once

#include <cstdint>

#include "auth/argon2/block.hpp"

namespace authd::auth::argon2 {
namespace {

template <class Ops>
struct simd_kernel {
  using vec = typename Ops::vec;
  static constexpr std::uint32_t pieces = Ops::pieces;
  static constexpr std::uint32_t words = 2 * pieces;  // 64-bit words per vector

  // a = a + b + 2 * lo32(a) * lo32(b)
  static inline void blamka(vec& a, vec b) {
    const vec product = Ops::mul32(a, b);
    a = Ops::add(Ops::add(a, b), Ops::add(product, product));
  }

  static inline void mix(vec& a, vec& b, vec& c, vec& d) {
    blamka(a, b);
    d = Ops::ror32(Ops::xor_(d, a));
    blamka(c, d);
    b = Ops::ror24(Ops::xor_(b, c));
    blamka(a, b);
    d = Ops::ror16(Ops::xor_(d, a));
    blamka(c, d);
    b = Ops::ror63(Ops::xor_(b, c));
  }

  // P on `pieces` independent 16-word inputs; x[k] holds words 2k and 2k+1 of each. BLAKE2b's
  // round sees the 16 words as a 4x4 matrix (a, b, c, d are its rows: x[0..1], x[2..3], ...):
  // columns first, then diagonals, for which row b turns by one word, c by two, d by three.
  static inline void permute(vec (&x)[8]) {
    mix(x[0], x[2], x[4], x[6]);
    mix(x[1], x[3], x[5], x[7]);
    vec b0 = Ops::alignr8(x[3], x[2]);  // words 5, 6
    vec b1 = Ops::alignr8(x[2], x[3]);  // words 7, 4
    vec d0 = Ops::alignr8(x[6], x[7]);  // words 15, 12
    vec d1 = Ops::alignr8(x[7], x[6]);  // words 13, 14
    mix(x[0], b0, x[5], d0);            // c turned by two: words 10, 11 ...
    mix(x[1], b1, x[4], d1);            // ... and 8, 9
    x[2] = Ops::alignr8(b0, b1);
    x[3] = Ops::alignr8(b1, b0);
    x[6] = Ops::alignr8(d1, d0);
    x[7] = Ops::alignr8(d0, d1);
  }

  // G(prev, ref): R = prev ^ ref, Z = P(R) over rows then columns, out = Z ^ R, XORed into what
  // `out` held from the second pass on (version 1.3).
  template <bool XorOut>
  static void compress(const block& prev, const block& ref, block& out) {
    block r, q;
#pragma GCC unroll 32
    for (std::uint32_t w = 0; w < block_words; w += words)
      Ops::store(r.words + w, Ops::xor_(Ops::load(prev.words + w), Ops::load(ref.words + w)));

      // Rows: piece k of rows g .. g + pieces - 1 (16 words apart) side by side.
#pragma GCC unroll 4
    for (std::uint32_t g = 0; g < 8; g += pieces) {
      vec x[8];
#pragma GCC unroll 8
      for (std::uint32_t k = 0; k < 8; ++k) x[k] = Ops::load_rows(r.words + 16 * g + 2 * k);
      permute(x);
#pragma GCC unroll 8
      for (std::uint32_t k = 0; k < 8; ++k) Ops::store_rows(q.words + 16 * g + 2 * k, x[k]);
    }

    // Columns: piece k of a column is row k's piece, so the pieces of neighbouring columns are
    // neighbours in memory.
#pragma GCC unroll 4
    for (std::uint32_t c = 0; c < 8; c += pieces) {
      vec x[8];
#pragma GCC unroll 8
      for (std::uint32_t k = 0; k < 8; ++k) x[k] = Ops::load(q.words + 16 * k + 2 * c);
      permute(x);
#pragma GCC unroll 8
      for (std::uint32_t k = 0; k < 8; ++k) {
        const std::uint32_t w = 16 * k + 2 * c;
        vec value = Ops::xor_(x[k], Ops::load(r.words + w));
        if constexpr (XorOut) value = Ops::xor_(value, Ops::load(out.words + w));
        Ops::store(out.words + w, value);
      }
    }
  }
};

}  // namespace
}  // namespace authd::auth::argon2
