#include "auth/argon2/implementation.hpp"

#include <array>
#include <utility>

namespace authd::auth::argon2 {

namespace {

constexpr std::array<std::pair<implementation, std::string_view>, 5> names{{
    {implementation::fastest, "auto"},
    {implementation::avx512, "avx512"},
    {implementation::avx2, "avx2"},
    {implementation::portable, "portable"},
    {implementation::libsodium, "libsodium"},
}};

}  // namespace

std::optional<implementation> implementation_named(std::string_view name) {
  for (const auto& [i, n] : names)
    if (n == name) return i;
  return std::nullopt;
}

std::string_view name_of(implementation i) {
  for (const auto& [candidate, n] : names)
    if (candidate == i) return n;
  return "unknown";
}

std::string implementation_names() {
  std::string text;
  for (const auto& [i, n] : names) text.append(text.empty() ? "" : ", ").append(n);
  return text;
}

std::optional<kernel> kernel_of(implementation i) {
  switch (i) {
    case implementation::fastest:
      return fastest_supported_kernel();
    case implementation::avx512:
      return kernel::avx512;
    case implementation::avx2:
      return kernel::avx2;
    case implementation::portable:
      return kernel::portable;
    case implementation::libsodium:
      return std::nullopt;
  }
  return std::nullopt;
}

bool supported(implementation i) {
  const auto k = kernel_of(i);
  return !k || supported(*k);
}

}  // namespace authd::auth::argon2
