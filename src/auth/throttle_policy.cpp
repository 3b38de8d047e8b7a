#include "auth/throttle_policy.hpp"

#include <arpa/inet.h>
#include <sodium.h>

#include <algorithm>
#include <array>

#include "auth/sodium_init.hpp"

namespace authd::auth {

store::micros block_length(std::int64_t failures, const store::throttle_rule& rule) {
  if (failures < rule.limit) return 0;
  store::micros block = rule.base_block;
  for (std::int64_t beyond = failures - rule.limit; beyond > 0 && block < rule.max_block; --beyond)
    block *= 2;
  return std::min(block, rule.max_block);
}

store::throttle_state after_failure(const std::optional<store::throttle_state>& current, store::micros now,
                                    const store::throttle_rule& rule) {
  store::throttle_state next;
  const bool restart =
      !current || std::max(current->last_failure, current->blocked_until) + rule.window <= now;
  next.failures = restart ? 1 : current->failures + 1;
  next.last_failure = now;
  const store::micros block = block_length(next.failures, rule);
  next.blocked_until = block > 0 ? now + block : 0;
  return next;
}

std::int64_t retry_after_seconds(store::micros blocked_until, store::micros now) {
  constexpr store::micros second = 1'000'000;
  const store::micros left = blocked_until - now;
  return std::max<std::int64_t>(1, (left + second - 1) / second);
}

std::string throttled_address(std::string_view address) {
  std::string text(address);
  std::array<unsigned char, 16> bytes{};
  if (inet_pton(AF_INET6, text.c_str(), bytes.data()) != 1) return text;
  constexpr std::array<unsigned char, 12> v4_mapped{0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff};
  if (std::equal(v4_mapped.begin(), v4_mapped.end(), bytes.begin())) {
    return std::to_string(bytes[12]) + "." + std::to_string(bytes[13]) + "." + std::to_string(bytes[14]) +
           "." + std::to_string(bytes[15]);
  }
  std::fill(bytes.begin() + 8, bytes.end(), 0);
  std::array<char, INET6_ADDRSTRLEN> prefix{};
  if (inet_ntop(AF_INET6, bytes.data(), prefix.data(), prefix.size()) == nullptr) return text;
  return std::string(prefix.data()) + "/64";
}

std::string throttle_key(std::string_view scope, std::string_view value) {
  ensure_sodium_initialized();
  std::string input;
  input.reserve(scope.size() + 1 + value.size());
  input.append(scope).push_back('\0');
  input.append(value);
  std::array<unsigned char, 16> digest{};
  crypto_generichash(digest.data(), digest.size(), reinterpret_cast<const unsigned char*>(input.data()),
                     input.size(), nullptr, 0);
  std::array<char, 2 * 16 + 1> hex{};
  sodium_bin2hex(hex.data(), hex.size(), digest.data(), digest.size());
  return std::string(hex.data(), 2 * digest.size());
}

}  // namespace authd::auth
