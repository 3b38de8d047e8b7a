// The AVX2 kernel: two rows (or columns) of the block per 256-bit vector. Compiled with -mavx2;
// called only when the CPU has AVX2 (kernel.cpp).
#include <immintrin.h>

#include <cstdint>

#include "auth/argon2/compress_simd.hpp"
#include "auth/argon2/fill_layout.hpp"
#include "auth/argon2/fill_segments.hpp"

namespace authd::auth::argon2 {
namespace {

struct avx2_ops {
  using vec = __m256i;
  static constexpr std::uint32_t pieces = 2;

  static vec load(const std::uint64_t* p) { return _mm256_load_si256(reinterpret_cast<const vec*>(p)); }
  static void store(std::uint64_t* p, vec v) { _mm256_store_si256(reinterpret_cast<vec*>(p), v); }
  // The 16-byte pieces at p and p + 16 words (the same piece of two neighbouring rows).
  static vec load_rows(const std::uint64_t* p) {
    const __m128i low = _mm_load_si128(reinterpret_cast<const __m128i*>(p));
    const __m128i high = _mm_load_si128(reinterpret_cast<const __m128i*>(p + 16));
    return _mm256_inserti128_si256(_mm256_castsi128_si256(low), high, 1);
  }
  static void store_rows(std::uint64_t* p, vec v) {
    _mm_store_si128(reinterpret_cast<__m128i*>(p), _mm256_castsi256_si128(v));
    _mm_store_si128(reinterpret_cast<__m128i*>(p + 16), _mm256_extracti128_si256(v, 1));
  }

  static vec xor_(vec a, vec b) { return _mm256_xor_si256(a, b); }
  static vec add(vec a, vec b) { return _mm256_add_epi64(a, b); }
  static vec mul32(vec a, vec b) { return _mm256_mul_epu32(a, b); }
  static vec ror32(vec x) { return _mm256_shuffle_epi32(x, _MM_SHUFFLE(2, 3, 0, 1)); }
  static vec ror24(vec x) {
    const vec bytes = _mm256_setr_epi8(3, 4, 5, 6, 7, 0, 1, 2, 11, 12, 13, 14, 15, 8, 9, 10,  //
                                       3, 4, 5, 6, 7, 0, 1, 2, 11, 12, 13, 14, 15, 8, 9, 10);
    return _mm256_shuffle_epi8(x, bytes);
  }
  static vec ror16(vec x) {
    const vec bytes = _mm256_setr_epi8(2, 3, 4, 5, 6, 7, 0, 1, 10, 11, 12, 13, 14, 15, 8, 9,  //
                                       2, 3, 4, 5, 6, 7, 0, 1, 10, 11, 12, 13, 14, 15, 8, 9);
    return _mm256_shuffle_epi8(x, bytes);
  }
  static vec ror63(vec x) { return _mm256_xor_si256(_mm256_srli_epi64(x, 63), _mm256_add_epi64(x, x)); }
  // Per 16-byte lane: the high word of `low` then the low word of `high`.
  static vec alignr8(vec high, vec low) { return _mm256_alignr_epi8(high, low, 8); }
};

}  // namespace

void fill_memory_avx2(const fill_layout& layout) {
  fill_memory<simd_kernel<avx2_ops>>(layout);
}

}  // namespace authd::auth::argon2
