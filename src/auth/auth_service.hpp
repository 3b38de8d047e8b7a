// The authentication use cases: register, log in, authenticate a token, log out, list and end
// sessions, change the password. Orchestrates the
// store, the hasher (on its pool) and the token codec; knows nothing of HTTP or SQL.
#pragma once

#include <atomic>
#include <boost/asio/awaitable.hpp>
#include <boost/system/result.hpp>
#include <chrono>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "auth/audit_log.hpp"
#include "auth/email_policy.hpp"
#include "auth/hash_pool.hpp"
#include "auth/in_flight_keys.hpp"
#include "auth/password_hasher.hpp"
#include "auth/token_codec.hpp"
#include "store/store.hpp"

namespace authd::auth {

// Microseconds since the Unix epoch; injectable so tests can move time.
using clock_fn = std::function<store::micros()>;
store::micros system_now();

// Throttling per scope; a rule whose limit is 0 turns its scope off (the default here: the
// composition root sets what the configuration says).
struct throttle_options {
  store::throttle_rule login_account{};     // failed logins per account (email key, known or not)
  store::throttle_rule login_address{};     // failed logins per client address
  store::throttle_rule register_address{};  // registration attempts per client address
};

struct auth_options {
  std::chrono::seconds token_lifetime{1800};
  throttle_options throttle{};
  // A session's last_used is written only when the stored value is older than this, so that
  // authenticating (GET /auth/me, the hot path) is a read almost every time.
  std::chrono::seconds last_used_resolution{60};
};

// Input that already passed the API's validation.
struct new_account {
  std::string name;
  normalized_email email;
  std::string password;
};

struct signed_in {
  store::user_record user;
  std::string token;
};

// A token that names a live session of an existing user.
struct authenticated {
  store::user_record user;
  store::session_record session;
};

// What ending sessions by logout scope does.
enum class logout_scope {
  others,  // every session of the caller but the current one
  all,     // every session of the caller, the current one too
};

enum class auth_error {
  user_exists,          // registration: the email is taken
  invalid_credentials,  // login: unknown email or wrong password, indistinguishable
  throttled,            // too many attempts: refused before any password was checked
  wrong_password,       // password change: the current password does not match
  session_ended,        // password change: the caller's session ended while it waited its turn
  busy,                 // the hashing queue is full: try again shortly
  unavailable,          // the store cannot be reached
  internal,
};

enum class token_failure {
  invalid,         // bad token, or its session was revoked or is unknown
  expired,         // token or session expired
  user_not_found,  // correctly signed, but the user is gone
  unavailable,     // the store cannot be reached
  internal,
};

// An auth_error and, when throttled, how long to wait. Converts to and from auth_error, so code
// that only needs the kind keeps comparing and switching on auth_error.
struct auth_failure {
  auth_failure(auth_error e = auth_error::internal, std::int64_t wait_seconds = 0)
      : code(e), retry_after_seconds(wait_seconds) {}
  operator auth_error() const { return code; }

  auth_error code;
  std::int64_t retry_after_seconds;  // throttled: whole seconds, at least 1; else 0
};

template <class T, class E>
using result = boost::system::result<T, E>;

class auth_service {
 public:
  auth_service(store::store& store, const password_hasher& hasher, hash_pool& pool, const token_codec& tokens,
               auth_options options, clock_fn now = system_now);

  boost::asio::awaitable<result<signed_in, auth_failure>> register_account(new_account account,
                                                                           client_info client);
  boost::asio::awaitable<result<signed_in, auth_failure>> login(normalized_email email, std::string password,
                                                                client_info client);
  boost::asio::awaitable<result<store::user_record, token_failure>> authenticate(std::string_view token);
  // The user and the live session the token names. Records the session's use when the stored
  // last_used is older than last_used_resolution (a failure to record it is logged, not returned).
  boost::asio::awaitable<result<authenticated, token_failure>> authenticate_session(std::string_view token);

  // The caller's live sessions, newest first.
  boost::asio::awaitable<result<std::vector<store::session_record>, auth_error>> list_sessions(
      const authenticated& caller);
  // Ends one of the caller's live sessions; false when `session_id` is not one.
  boost::asio::awaitable<result<bool, auth_error>> end_session(const authenticated& caller,
                                                               std::string_view session_id,
                                                               const client_info& client);
  // Ends the caller's other sessions, or all of them; returns how many ended.
  boost::asio::awaitable<result<std::uint64_t, auth_error>> end_sessions(const authenticated& caller,
                                                                         logout_scope scope,
                                                                         const client_info& client);
  // Checks the current password, then in one store transaction: the new hash, every session of
  // the user ended, a new session (whose token is returned). wrong_password when it does not match;
  // throttled like a login of that account.
  boost::asio::awaitable<result<signed_in, auth_failure>> change_password(const authenticated& caller,
                                                                          std::string current_password,
                                                                          std::string new_password,
                                                                          client_info client);
  // Revokes the token's session when the token is genuine; anything else is a no-op. Never fails
  // from the caller's point of view (store errors are logged).
  boost::asio::awaitable<void> logout(std::string_view token, const client_info& client);
  // Deletes sessions that ended (expired or revoked) before now, and throttling rows that no
  // longer matter.
  boost::asio::awaitable<void> sweep_sessions();

 private:
  boost::asio::awaitable<result<signed_in, auth_failure>> start_session(store::user_record user,
                                                                        const client_info& client);
  // One key of a throttled attempt: its scope (for the audit line) and its rule.
  struct throttle_scope {
    std::string_view name;
    std::string key;
    store::throttle_rule rule;
  };
  std::vector<throttle_scope> login_scopes(std::string_view email_key, const client_info& client) const;
  std::vector<throttle_scope> register_scopes(const client_info& client) const;
  // Empty when no scope is blocked; else throttled with the longest wait, audited.
  boost::asio::awaitable<std::optional<auth_failure>> check_throttle(
      const std::vector<throttle_scope>& scopes, const client_info& client);
  boost::asio::awaitable<void> count_failure(const std::vector<throttle_scope>& scopes);
  // One password check per account at a time (in_flight_keys.hpp): `held` keeps the account until
  // the check is done; waits while another check of it runs; throttled (wait 1 s) when too many
  // wait or the wait is too long.
  boost::asio::awaitable<std::optional<auth_failure>> claim_account(const std::vector<throttle_scope>& scopes,
                                                                    const client_info& client,
                                                                    in_flight_keys::claim& held);
  // A right password: the account's failures start over (the address's do not).
  boost::asio::awaitable<void> clear_account(const std::vector<throttle_scope>& scopes,
                                             std::string_view user_id);

  store::session_record new_session(const std::string& user_id, const client_info& client) const;
  std::string issue_token(const store::session_record& session) const;

  store::store& store_;
  const password_hasher& hasher_;
  hash_pool& pool_;
  const token_codec& tokens_;
  auth_options options_;
  clock_fn now_;
  in_flight_keys checking_;
  std::atomic<int> waiting_{0};  // checks waiting for their account (claim_account)
};

}  // namespace authd::auth
