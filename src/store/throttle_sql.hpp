// The throttling rule of auth/throttle_policy.hpp written once as SQL for both stores: recording a
// failure is an UPDATE computed from the row's current values under its row lock, so concurrent
// failures (other connections, other instances) each count and none is lost.
#pragma once

#include <cstdint>
#include <limits>
#include <string>
#include <string_view>

#include "store/store.hpp"

namespace authd::store::throttle_sql {

// How each backend spells the parameters and the few functions that differ.
struct dialect {
  std::string_view key, now, limit, window, base_block, max_block, doublings;  // placeholders
  std::string_view greatest;          // MAX (SQLite) or GREATEST (PostgreSQL)
  std::string_view shift_count_cast;  // PostgreSQL shifts a bigint by an int
};

// The doublings of base_block that reach max_block; from there on the block is max_block, so
// the SQL never shifts far enough to overflow.
inline std::int64_t doublings_to_max(micros base_block, micros max_block) {
  std::int64_t k = 0;
  micros block = base_block;
  while (k < 62 && block < max_block && block <= std::numeric_limits<micros>::max() / 2) {
    block *= 2;
    ++k;
  }
  return k;
}

// Makes sure the row exists (a fresh one counts no failure) so that the UPDATE has a row to lock.
inline std::string ensure_row(const dialect& d) {
  return "INSERT INTO throttle (key, failures, last_failure, blocked_until, expires) VALUES (" +
         std::string(d.key) + ", 0, " + std::string(d.now) + ", 0, " + std::string(d.now) +
         ") ON CONFLICT (key) DO NOTHING";
}

// Counts one failure. The count starts over once the key has been quiet (no failure, no block)
// for a whole window; from `limit` failures on, the block is base * 2^(failures - limit), capped
// at max. `expires` is when the count would start over: the sweep deletes the row from then on.
inline std::string record_failure(const dialect& d) {
  const std::string now(d.now);
  const std::string window(d.window);
  const std::string greatest(d.greatest);
  const std::string restart =
      "(" + greatest + "(last_failure, blocked_until) + " + window + " <= " + now + ")";
  const std::string failures = "(CASE WHEN " + restart + " THEN 1 ELSE failures + 1 END)";
  const std::string beyond = "(" + failures + " - " + std::string(d.limit) + ")";
  const std::string blocked_until =
      "(CASE WHEN " + beyond + " < 0 THEN 0 WHEN " + beyond + " >= " + std::string(d.doublings) + " THEN " +
      now + " + " + std::string(d.max_block) + " ELSE " + now + " + (" + std::string(d.base_block) + " << (" +
      beyond + ")" + std::string(d.shift_count_cast) + ") END)";
  return "UPDATE throttle SET failures = " + failures + ", last_failure = " + now +
         ", blocked_until = " + blocked_until + ", expires = " + greatest + "(" + now + ", " + blocked_until +
         ") + " + window + " WHERE key = " + std::string(d.key) +
         " RETURNING failures, last_failure, blocked_until";
}

}  // namespace authd::store::throttle_sql
