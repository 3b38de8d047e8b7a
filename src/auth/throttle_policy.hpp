// Throttling of login and registration, the pure rule: how a failure changes a key's state, when
// a key is blocked and for how long. The stores apply the same rule atomically in SQL
// (store/throttle_sql.hpp); their tests hold them to this one.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "store/store.hpp"

namespace authd::auth {

// The scopes, also the `detail` of a throttled audit line.
inline constexpr std::string_view login_account_scope = "login.account";
inline constexpr std::string_view login_address_scope = "login.address";
inline constexpr std::string_view register_address_scope = "register.address";

// A scope whose limit is 0 is off.
inline bool enabled(const store::throttle_rule& rule) {
  return rule.limit > 0;
}

// The block that `failures` failures in one window earn: none below the limit, then
// base * 2^(failures - limit), capped at max.
store::micros block_length(std::int64_t failures, const store::throttle_rule& rule);

// The state after one more failure at `now`; `current` absent for a key never seen (or swept). The
// count starts over once the key has been quiet (no failure and no block) for a whole window, so
// that a guesser who waits out each block stays at the longest block instead of earning a fresh
// set of attempts every window. Attempts refused while blocked never get here: they do not count.
store::throttle_state after_failure(const std::optional<store::throttle_state>& current, store::micros now,
                                    const store::throttle_rule& rule);

inline bool is_blocked(store::micros blocked_until, store::micros now) {
  return blocked_until > now;
}

// Whole seconds until the block ends, rounded up and at least 1 (what Retry-After says).
std::int64_t retry_after_seconds(store::micros blocked_until, store::micros now);

// What an address scope counts: an IPv4 address as it is (also when IPv4-mapped), an IPv6 address
// by its /64, the smallest block a subscriber usually gets (one host can use all of it); anything
// else as it is.
std::string throttled_address(std::string_view address);

// The stored key of a scope and value: 16 bytes of BLAKE2b of "scope\0value" in hex, so that the
// table holds no email or address. The account key hashes the email key, so an unknown email is
// throttled exactly like a known one.
std::string throttle_key(std::string_view scope, std::string_view value);

}  // namespace authd::auth
