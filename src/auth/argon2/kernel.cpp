#include "auth/argon2/kernel.hpp"

#include <array>

namespace authd::auth::argon2 {

namespace {

constexpr std::array kernels{kernel::portable, kernel::avx2, kernel::avx512};

}  // namespace

std::span<const kernel> all_kernels() {
  return kernels;
}

bool supported(kernel k) {
  // __builtin_cpu_supports also checks that the operating system saves the vector registers (XCR0).
  switch (k) {
    case kernel::portable:
      return true;
    case kernel::avx2:
      return __builtin_cpu_supports("avx2");
    case kernel::avx512:
      // alignr_epi8 on 512-bit vectors is AVX-512BW; rotations are AVX-512F.
      return __builtin_cpu_supports("avx512f") && __builtin_cpu_supports("avx512bw");
  }
  return false;
}

kernel fastest_supported_kernel() {
  kernel best = kernel::portable;
  for (const kernel k : kernels)
    if (supported(k)) best = k;
  return best;
}

std::string_view name_of(kernel k) {
  switch (k) {
    case kernel::portable:
      return "portable";
    case kernel::avx2:
      return "avx2";
    case kernel::avx512:
      return "avx512";
  }
  return "unknown";
}

std::optional<kernel> kernel_named(std::string_view name) {
  for (const kernel k : kernels)
    if (name_of(k) == name) return k;
  return std::nullopt;
}

}  // namespace authd::auth::argon2
