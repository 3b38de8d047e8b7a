// The AVX-512 kernel: four rows (or columns) of the block per 512-bit vector, with AVX-512's
// rotations. Compiled with -mavx512f -mavx512bw; called only when the CPU has both (kernel.cpp).
#include <immintrin.h>

#include <cstdint>

#include "auth/argon2/compress_simd.hpp"
#include "auth/argon2/fill_layout.hpp"
#include "auth/argon2/fill_segments.hpp"

namespace authd::auth::argon2 {
namespace {

struct avx512_ops {
  using vec = __m512i;
  static constexpr std::uint32_t pieces = 4;

  static vec load(const std::uint64_t* p) { return _mm512_load_si512(p); }
  static void store(std::uint64_t* p, vec v) { _mm512_store_si512(p, v); }
  // The 16-byte pieces at p, p + 16, p + 32 and p + 48 words (the same piece of four rows).
  static vec load_rows(const std::uint64_t* p) {
    auto piece = [p](int row) { return _mm_load_si128(reinterpret_cast<const __m128i*>(p + 16 * row)); };
    vec v = _mm512_castsi128_si512(piece(0));
    v = _mm512_inserti32x4(v, piece(1), 1);
    v = _mm512_inserti32x4(v, piece(2), 2);
    return _mm512_inserti32x4(v, piece(3), 3);
  }
  static void store_rows(std::uint64_t* p, vec v) {
    _mm_store_si128(reinterpret_cast<__m128i*>(p), _mm512_castsi512_si128(v));
    _mm_store_si128(reinterpret_cast<__m128i*>(p + 16), _mm512_extracti32x4_epi32(v, 1));
    _mm_store_si128(reinterpret_cast<__m128i*>(p + 32), _mm512_extracti32x4_epi32(v, 2));
    _mm_store_si128(reinterpret_cast<__m128i*>(p + 48), _mm512_extracti32x4_epi32(v, 3));
  }

  static vec xor_(vec a, vec b) { return _mm512_xor_si512(a, b); }
  static vec add(vec a, vec b) { return _mm512_add_epi64(a, b); }
  static vec mul32(vec a, vec b) { return _mm512_mul_epu32(a, b); }
  static vec ror32(vec x) { return _mm512_ror_epi64(x, 32); }
  static vec ror24(vec x) { return _mm512_ror_epi64(x, 24); }
  static vec ror16(vec x) { return _mm512_ror_epi64(x, 16); }
  static vec ror63(vec x) { return _mm512_ror_epi64(x, 63); }
  // Per 16-byte lane: the high word of `low` then the low word of `high`.
  static vec alignr8(vec high, vec low) { return _mm512_alignr_epi8(high, low, 8); }
};

}  // namespace

void fill_memory_avx512(const fill_layout& layout) {
  fill_memory<simd_kernel<avx512_ops>>(layout);
}

}  // namespace authd::auth::argon2
