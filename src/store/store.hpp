// The storage interface the domain uses: plain records and awaitable operations, no SQL.
#pragma once

#include <boost/asio/awaitable.hpp>
#include <boost/system/result.hpp>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace authd::store {

// Times are microseconds since the Unix epoch, UTC (PostgreSQL's own resolution).
using micros = std::int64_t;

struct user_record {
  std::string id;  // canonical lowercase UUID
  std::string name;
  std::string email;          // as normalized by the email policy, shown to the user
  std::string email_key;      // case-folded email: the unique key
  std::string password_hash;  // PHC string
  micros created = 0;
};

struct session_record {
  std::string id;  // canonical lowercase UUID, the JWT's `sid`
  std::string user_id;
  micros created = 0;
  micros expires = 0;
  std::optional<micros> revoked;
  std::string user_agent;
  std::string client_address;
  // Written at most once a minute (see auth_service::authenticate); `created` until first written.
  micros last_used = 0;
};

// What a token names: the user and the session, each absent when not stored.
struct user_and_session {
  std::optional<user_record> user;
  std::optional<session_record> session;
};

// Throttling state of one key: failed attempts counted since it was last quiet for a window, and
// the block they led to.
// Keys are opaque (the domain hashes scope and value), so the table holds no email or address.
struct throttle_state {
  std::int64_t failures = 0;
  micros last_failure = 0;
  micros blocked_until = 0;  // 0 or a past time: not blocked

  friend bool operator==(const throttle_state&, const throttle_state&) = default;
};

// How failures turn into blocks for one scope; auth/throttle_policy.hpp states the rule, which the
// stores apply atomically in SQL (store/throttle_sql.hpp).
struct throttle_rule {
  std::int64_t limit = 0;  // failures in one window that start a block; at least 1 here
  micros window = 0;       // > 0: quiet this long (no failure, no block), a key starts over
  micros base_block = 0;   // > 0; doubled per failure beyond the limit
  micros max_block = 0;    // >= base_block
};

// One failure to record against a key under its scope's rule.
struct throttle_hit {
  std::string key;
  throttle_rule rule;
};

enum class store_error {
  duplicate_email,  // the unique email key is taken
  unavailable,      // the database cannot be reached or is busy beyond its timeout
  internal,         // anything else; logged by the store
};

template <class T>
using result = boost::system::result<T, store_error>;

// The database connections now, for metrics.
struct connection_stats {
  std::size_t open = 0;     // established, idle or in use
  std::size_t in_use = 0;   // lent to an operation
  std::size_t waiting = 0;  // operations waiting for one
};

class store {
 public:
  virtual ~store() = default;

  // Inserts the user and its first session in one transaction; duplicate_email when the key is
  // taken (decided by the unique index, never by a prior check).
  virtual boost::asio::awaitable<result<void>> create_user(const user_record& user,
                                                           const session_record& session) = 0;
  virtual boost::asio::awaitable<result<std::optional<user_record>>> find_user_by_email_key(
      std::string_view email_key) = 0;
  virtual boost::asio::awaitable<result<void>> update_password_hash(std::string_view user_id,
                                                                    std::string_view password_hash) = 0;

  virtual boost::asio::awaitable<result<void>> create_session(const session_record& session) = 0;
  // One round trip for the hot path: the user by id and the session by id (only if it belongs to
  // that user).
  virtual boost::asio::awaitable<result<user_and_session>> find_user_and_session(
      std::string_view user_id, std::string_view session_id) = 0;
  // Marks the session revoked at `now`; revoking an unknown or revoked session is not an error.
  virtual boost::asio::awaitable<result<void>> revoke_session(std::string_view session_id, micros now) = 0;
  // Records that the session was used at `now` (never moves it back in time).
  virtual boost::asio::awaitable<result<void>> touch_session(std::string_view session_id, micros now) = 0;
  // The user's live sessions at `now` (not revoked, not expired), newest first; at most
  // max_listed_sessions of them.
  static constexpr std::size_t max_listed_sessions = 1000;
  virtual boost::asio::awaitable<result<std::vector<session_record>>> list_live_sessions(
      std::string_view user_id, micros now) = 0;
  // Revokes the session only if it is a live session of that user; true when it ended one.
  virtual boost::asio::awaitable<result<bool>> end_session(std::string_view user_id,
                                                           std::string_view session_id, micros now) = 0;
  // Revokes every live session of the user but `keep` (empty: keeps none); returns how many ended.
  virtual boost::asio::awaitable<result<std::uint64_t>> end_sessions_except(std::string_view user_id,
                                                                            std::string_view keep,
                                                                            micros now) = 0;
  // In one transaction: stores the new hash, revokes every live session of the user at `now` and
  // inserts `session` (the one the password change continues with).
  virtual boost::asio::awaitable<result<void>> change_password(std::string_view user_id,
                                                               std::string_view password_hash,
                                                               const session_record& session, micros now) = 0;
  // Deletes sessions that expired or were revoked before `before`; returns how many.
  virtual boost::asio::awaitable<result<std::uint64_t>> delete_sessions_ended_before(micros before) = 0;

  // Throttling. The blocked-until time of each key (0 when unknown), in order, in one round trip.
  virtual boost::asio::awaitable<result<std::vector<micros>>> find_throttle_blocks(
      const std::vector<std::string>& keys) = 0;
  // Records one failure against each key at `now`, each atomically under its rule (correct with
  // several instances on one database), and returns the new states in order.
  virtual boost::asio::awaitable<result<std::vector<throttle_state>>> record_throttle_failures(
      const std::vector<throttle_hit>& hits, micros now) = 0;
  // Forgets a key (an account's failures after a successful login).
  virtual boost::asio::awaitable<result<void>> clear_throttle(std::string_view key) = 0;
  // Deletes the rows that no longer matter at `now` (window over and not blocked); returns how many.
  virtual boost::asio::awaitable<result<std::uint64_t>> delete_idle_throttles(micros now) = 0;

  // True when the database answers a trivial query.
  virtual boost::asio::awaitable<bool> ping() = 0;

  // Thread-safe and non-blocking (read by /metrics on any thread).
  virtual connection_stats connections() const = 0;
};

}  // namespace authd::store
