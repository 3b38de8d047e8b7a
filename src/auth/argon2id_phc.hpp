// Reads the cost parameters of an argon2id PHC string, so absurd ones are refused before any
// memory is allocated for them.
#pragma once

#include <charconv>
#include <cstdint>
#include <optional>
#include <string_view>

namespace authd::auth {

struct argon2id_phc_costs {
  std::uint32_t memory_kib = 0;
  std::uint32_t iterations = 0;
  std::uint32_t lanes = 0;
};

// A stored hash may come from a corrupted or hostile row; verifying it must not allocate
// gigabytes or spin for minutes. Generous enough for any sane configuration (OWASP's largest
// recommendation is 46 MiB).
inline constexpr std::uint32_t max_verify_memory_kib = 1024 * 1024;  // 1 GiB
inline constexpr std::uint32_t max_verify_iterations = 64;

namespace detail {

// Consumes `name=` and a decimal number that fits in 32 bits, then `terminator`.
inline bool read_cost(std::string_view& text, std::string_view name, char terminator, std::uint32_t& out) {
  if (!text.starts_with(name)) return false;
  text.remove_prefix(name.size());
  const char* const first = text.data();
  const char* const last = text.data() + text.size();
  if (first == last || *first < '0' || *first > '9') return false;  // from_chars would take a '-'
  auto [end, error] = std::from_chars(first, last, out);
  if (error != std::errc{} || end == last || *end != terminator) return false;
  text.remove_prefix(static_cast<std::size_t>(end - first) + 1);
  return true;
}

}  // namespace detail

// The costs of `$argon2id$v=19$m=M,t=T,p=P$salt$hash` (the form libsodium, argon2-cffi and the
// reference CLI all write); nullopt for anything else. The salt and hash are left to libsodium.
inline std::optional<argon2id_phc_costs> parse_argon2id_phc_costs(std::string_view phc) {
  constexpr std::string_view prefix = "$argon2id$v=19$";
  if (!phc.starts_with(prefix)) return std::nullopt;
  phc.remove_prefix(prefix.size());
  argon2id_phc_costs costs;
  if (!detail::read_cost(phc, "m=", ',', costs.memory_kib) ||
      !detail::read_cost(phc, "t=", ',', costs.iterations) ||
      !detail::read_cost(phc, "p=", '$', costs.lanes)) {
    return std::nullopt;
  }
  return costs;
}

inline bool within_verify_limits(const argon2id_phc_costs& costs) {
  return costs.memory_kib <= max_verify_memory_kib && costs.iterations <= max_verify_iterations;
}

}  // namespace authd::auth
