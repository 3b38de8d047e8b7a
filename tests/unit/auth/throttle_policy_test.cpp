// The throttling rule: counting, blocks that double to a cap, the count starting over after a quiet
// window, Retry-After rounding and the stored keys. The stores are held to the same numbers
// (tests/unit/store/throttle_scenario.hpp).
#include "auth/throttle_policy.hpp"

#include <gtest/gtest.h>

namespace authd::auth {
namespace {

using store::micros;
using store::throttle_rule;
using store::throttle_state;

constexpr micros second = 1'000'000;
constexpr micros t0 = 1'700'000'000 * second;

// Three failures, a 60 s block doubling to 300 s, counted until quiet for 900 s.
constexpr throttle_rule rule{
    .limit = 3, .window = 900 * second, .base_block = 60 * second, .max_block = 300 * second};

micros at(std::int64_t seconds) {
  return t0 + seconds * second;
}

TEST(throttle_policy, block_length_is_none_below_the_limit_then_doubles_to_the_cap) {
  EXPECT_EQ(block_length(0, rule), 0);
  EXPECT_EQ(block_length(2, rule), 0);
  EXPECT_EQ(block_length(3, rule), 60 * second);
  EXPECT_EQ(block_length(4, rule), 120 * second);
  EXPECT_EQ(block_length(5, rule), 240 * second);
  EXPECT_EQ(block_length(6, rule), 300 * second);
  EXPECT_EQ(block_length(1'000'000, rule), 300 * second) << "no overflow far beyond the limit";
}

TEST(throttle_policy, a_first_failure_starts_a_count) {
  EXPECT_EQ(after_failure(std::nullopt, at(0), rule), (throttle_state{1, at(0), 0}));
}

TEST(throttle_policy, the_limit_blocks_and_each_later_failure_doubles_the_block_up_to_the_cap) {
  auto s = after_failure(std::nullopt, at(0), rule);
  s = after_failure(s, at(10), rule);
  EXPECT_EQ(s, (throttle_state{2, at(10), 0}));
  EXPECT_FALSE(is_blocked(s.blocked_until, at(10)));
  s = after_failure(s, at(20), rule);
  EXPECT_EQ(s, (throttle_state{3, at(20), at(80)}));
  EXPECT_TRUE(is_blocked(s.blocked_until, at(79)));
  EXPECT_FALSE(is_blocked(s.blocked_until, at(80)));
  s = after_failure(s, at(80), rule);
  EXPECT_EQ(s, (throttle_state{4, at(80), at(200)}));
  s = after_failure(s, at(200), rule);
  EXPECT_EQ(s, (throttle_state{5, at(200), at(440)}));
  s = after_failure(s, at(440), rule);
  EXPECT_EQ(s, (throttle_state{6, at(440), at(740)})) << "capped at 300 s";
  s = after_failure(s, at(740), rule);
  EXPECT_EQ(s, (throttle_state{7, at(740), at(1040)}));
}

TEST(throttle_policy, the_count_starts_over_only_after_a_whole_quiet_window_after_the_block) {
  throttle_state blocked{7, at(740), at(1040)};
  // 900 s after the last failure, but the block ended only 899 s ago: still counting.
  EXPECT_EQ(after_failure(blocked, at(1939), rule), (throttle_state{8, at(1939), at(2239)}));
  EXPECT_EQ(after_failure(blocked, at(1940), rule), (throttle_state{1, at(1940), 0}));
  throttle_state counting{2, at(10), 0};
  EXPECT_EQ(after_failure(counting, at(909), rule), (throttle_state{3, at(909), at(969)}));
  EXPECT_EQ(after_failure(counting, at(910), rule), (throttle_state{1, at(910), 0}));
}

TEST(throttle_policy, a_limit_of_one_blocks_at_the_first_failure) {
  const throttle_rule strict{
      .limit = 1, .window = 900 * second, .base_block = 5 * second, .max_block = 5 * second};
  EXPECT_EQ(after_failure(std::nullopt, at(0), strict), (throttle_state{1, at(0), at(5)}));
}

TEST(throttle_policy, a_limit_of_zero_is_off) {
  EXPECT_FALSE(enabled(throttle_rule{}));
  EXPECT_TRUE(enabled(rule));
}

TEST(throttle_policy, retry_after_is_whole_seconds_rounded_up_and_at_least_one) {
  EXPECT_EQ(retry_after_seconds(at(60), at(0)), 60);
  EXPECT_EQ(retry_after_seconds(at(60), at(0) + 1), 60);
  EXPECT_EQ(retry_after_seconds(at(60) + 1, at(0)), 61);
  EXPECT_EQ(retry_after_seconds(at(1), at(1) - 1), 1);
  EXPECT_EQ(retry_after_seconds(at(0), at(0)), 1);
}

TEST(throttle_policy, ipv6_addresses_count_by_their_64_bit_prefix) {
  EXPECT_EQ(throttled_address("192.0.2.1"), "192.0.2.1");
  EXPECT_EQ(throttled_address("::ffff:192.0.2.1"), "192.0.2.1") << "IPv4-mapped is the IPv4 address";
  EXPECT_EQ(throttled_address("2001:db8:1:2:aaaa:bbbb:cccc:dddd"), "2001:db8:1:2::/64");
  EXPECT_EQ(throttled_address("2001:db8:1:2::1"), throttled_address("2001:db8:1:2:ffff::9"));
  EXPECT_NE(throttled_address("2001:db8:1:2::1"), throttled_address("2001:db8:1:3::1"));
  EXPECT_EQ(throttled_address("::1"), "::/64");
  EXPECT_EQ(throttled_address(""), "");
  EXPECT_EQ(throttled_address("not an address"), "not an address");
}

TEST(throttle_policy, keys_are_hashes_of_scope_and_value) {
  // BLAKE2b-128 of "login.account\0ada@example.com" (Python: hashlib.blake2b(..., digest_size=16)).
  EXPECT_EQ(throttle_key(login_account_scope, "ada@example.com"), "54013d41d345ff6e712b4880d5efd65d");
  EXPECT_NE(throttle_key(login_account_scope, "127.0.0.1"), throttle_key(login_address_scope, "127.0.0.1"));
  EXPECT_NE(throttle_key(login_address_scope, "127.0.0.1"),
            throttle_key(register_address_scope, "127.0.0.1"));
  const std::string key = throttle_key(register_address_scope, "192.0.2.1");
  EXPECT_EQ(key.size(), 32u);
  EXPECT_EQ(key.find_first_not_of("0123456789abcdef"), std::string::npos);
}

}  // namespace
}  // namespace authd::auth
