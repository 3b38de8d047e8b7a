#include "auth/auth_service.hpp"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <boost/asio/as_tuple.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>

#include "auth/ids.hpp"
#include "auth/offload.hpp"
#include "auth/throttle_policy.hpp"

namespace authd::auth {

namespace {

using store::store_error;

constexpr store::micros micros_per_second = 1'000'000;

auth_error to_auth_error(store_error e) {
  switch (e) {
    case store_error::duplicate_email:
      return auth_error::user_exists;
    case store_error::unavailable:
      return auth_error::unavailable;
    case store_error::internal:
      break;
  }
  return auth_error::internal;
}

std::string_view scope_detail(logout_scope scope) {
  return scope == logout_scope::all ? "scope=all" : "scope=others";
}

token_failure to_token_failure(store_error e) {
  return e == store_error::unavailable ? token_failure::unavailable : token_failure::internal;
}

}  // namespace

store::micros system_now() {
  return std::chrono::duration_cast<std::chrono::microseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

auth_service::auth_service(store::store& store, const password_hasher& hasher, hash_pool& pool,
                           const token_codec& tokens, auth_options options, clock_fn now)
    : store_(store), hasher_(hasher), pool_(pool), tokens_(tokens), options_(options), now_(std::move(now)) {}

store::session_record auth_service::new_session(const std::string& user_id, const client_info& client) const {
  store::session_record s;
  s.id = random_uuid();
  s.user_id = user_id;
  s.created = now_();
  s.expires = s.created + options_.token_lifetime.count() * micros_per_second;
  s.last_used = s.created;
  s.user_agent = client.user_agent;
  s.client_address = client.address;
  return s;
}

std::string auth_service::issue_token(const store::session_record& session) const {
  return tokens_.issue({.subject = session.user_id,
                        .session_id = session.id,
                        .issued_at = session.created / micros_per_second,
                        .expires_at = session.expires / micros_per_second});
}

std::vector<auth_service::throttle_scope> auth_service::login_scopes(std::string_view email_key,
                                                                     const client_info& client) const {
  std::vector<throttle_scope> scopes;
  const auto& t = options_.throttle;
  if (enabled(t.login_account))
    scopes.push_back({login_account_scope, throttle_key(login_account_scope, email_key), t.login_account});
  if (enabled(t.login_address))
    scopes.push_back({login_address_scope,
                      throttle_key(login_address_scope, throttled_address(client.address)), t.login_address});
  return scopes;
}

std::vector<auth_service::throttle_scope> auth_service::register_scopes(const client_info& client) const {
  std::vector<throttle_scope> scopes;
  const auto& t = options_.throttle;
  if (enabled(t.register_address))
    scopes.push_back({register_address_scope,
                      throttle_key(register_address_scope, throttled_address(client.address)),
                      t.register_address});
  return scopes;
}

boost::asio::awaitable<std::optional<auth_failure>> auth_service::check_throttle(
    const std::vector<throttle_scope>& scopes, const client_info& client) {
  if (scopes.empty()) co_return std::nullopt;
  std::vector<std::string> keys;
  for (const auto& scope : scopes) keys.push_back(scope.key);
  auto blocks = co_await store_.find_throttle_blocks(keys);
  if (!blocks) co_return auth_failure(to_auth_error(blocks.error()));
  const store::micros now = now_();
  std::optional<std::size_t> longest;
  for (std::size_t i = 0; i < scopes.size() && i < blocks->size(); ++i) {
    if (is_blocked((*blocks)[i], now) && (!longest || (*blocks)[i] > (*blocks)[*longest])) longest = i;
  }
  if (!longest) co_return std::nullopt;
  audit(audit_event::throttled, {}, client, scopes[*longest].name);
  co_return auth_failure(auth_error::throttled, retry_after_seconds((*blocks)[*longest], now));
}

boost::asio::awaitable<std::optional<auth_failure>> auth_service::claim_account(
    const std::vector<throttle_scope>& scopes, const client_info& client, in_flight_keys::claim& held) {
  if (scopes.empty() || scopes.front().name != login_account_scope) co_return std::nullopt;
  const std::string& key = scopes.front().key;
  held = checking_.try_claim(key);
  if (held) co_return std::nullopt;

  // Another check of this account is running: wait for it, since its failure may block this one.
  // Waiting is polled (rare: only the same account at the same moment) and bounded in number and
  // time, so a flood on one account cannot hold memory or the I/O threads.
  constexpr int max_waiting = 64;
  constexpr auto max_wait = std::chrono::seconds(5);
  struct counted {
    std::atomic<int>& n;
    ~counted() { n.fetch_sub(1); }  // also when the wait is cut short (shutdown)
  } waiter{waiting_};
  if (waiting_.fetch_add(1) < max_waiting) {
    auto executor = co_await boost::asio::this_coro::executor;
    boost::asio::steady_timer timer(executor);
    auto pause = std::chrono::milliseconds(1);
    for (auto waited = std::chrono::milliseconds(0); !held && waited < max_wait; waited += pause) {
      timer.expires_after(pause);
      co_await timer.async_wait(boost::asio::as_tuple(boost::asio::use_awaitable));
      held = checking_.try_claim(key);
      pause = std::min(pause * 2, std::chrono::milliseconds(50));
    }
  }
  if (held) co_return std::nullopt;
  audit(audit_event::throttled, {}, client, "login.account.concurrent");
  co_return auth_failure(auth_error::throttled, 1);
}

boost::asio::awaitable<void> auth_service::clear_account(const std::vector<throttle_scope>& scopes,
                                                         std::string_view user_id) {
  if (scopes.empty() || scopes.front().name != login_account_scope) co_return;
  auto cleared = co_await store_.clear_throttle(scopes.front().key);
  if (!cleared) spdlog::warn("throttling: the account's failures could not be cleared (user {})", user_id);
}

boost::asio::awaitable<void> auth_service::count_failure(const std::vector<throttle_scope>& scopes) {
  if (scopes.empty()) co_return;
  std::vector<store::throttle_hit> hits;
  for (const auto& scope : scopes) hits.push_back({scope.key, scope.rule});
  auto counted = co_await store_.record_throttle_failures(hits, now_());
  // The attempt itself already has its answer; a store that cannot count now is logged, not fatal.
  if (!counted) spdlog::warn("throttling: a failed attempt could not be counted");
}

boost::asio::awaitable<result<signed_in, auth_failure>> auth_service::register_account(new_account account,
                                                                                       client_info client) {
  // Every attempt counts, successful or not: each costs a hash. Counted before hashing, so a
  // burst of parallel attempts is counted as it arrives.
  const auto scopes = register_scopes(client);
  if (auto refused = co_await check_throttle(scopes, client)) co_return *refused;
  co_await count_failure(scopes);

  // Lambdas handed to co_await capture by reference only: g++ 12 may destroy by-value captures
  // of a temporary in a co_await expression twice.
  const std::string password = std::move(account.password);
  auto hashed = co_await run_on_pool(pool_, [this, &password] { return hasher_.hash(password); });
  if (!hashed) co_return auth_error::busy;

  store::user_record user;
  user.id = random_uuid();
  user.name = std::move(account.name);
  user.email = std::move(account.email.email);
  user.email_key = std::move(account.email.key);
  user.password_hash = std::move(*hashed);
  user.created = now_();

  auto session = new_session(user.id, client);
  // The unique index decides duplicates: no check-then-insert race.
  auto created = co_await store_.create_user(user, session);
  if (!created) {
    if (created.error() == store_error::duplicate_email) audit(audit_event::register_refused, {}, client);
    co_return to_auth_error(created.error());
  }
  audit(audit_event::registered, user.id, client);
  auto token = issue_token(session);
  co_return signed_in{std::move(user), std::move(token)};
}

boost::asio::awaitable<result<signed_in, auth_failure>> auth_service::login(normalized_email email,
                                                                            std::string password,
                                                                            client_info client) {
  // Before the user lookup and any hashing: a blocked attempt gets the same answer whatever the
  // email and the password, and costs no hash.
  // One check per account at a time, then the throttle: a check that waited sees the failures
  // of the ones before it.
  const auto scopes = login_scopes(email.key, client);
  in_flight_keys::claim checking;
  if (auto refused = co_await claim_account(scopes, client, checking)) co_return *refused;
  if (auto refused = co_await check_throttle(scopes, client)) co_return *refused;

  auto found = co_await store_.find_user_by_email_key(email.key);
  if (!found) co_return to_auth_error(found.error());

  if (!*found) {
    // Same work as a real verification, so timing does not tell whether the account exists.
    auto done = co_await run_on_pool(pool_, [this, &password] {
      hasher_.dummy_verify(password);
      return true;
    });
    if (!done) co_return auth_error::busy;
    audit(audit_event::login_failed, {}, client);
    co_await count_failure(scopes);
    co_return auth_error::invalid_credentials;
  }

  store::user_record user = std::move(**found);
  auto outcome = co_await run_on_pool(
      pool_, [this, &password, &user] { return hasher_.verify(password, user.password_hash); });
  if (!outcome) co_return auth_error::busy;
  if (*outcome == verify_outcome::mismatch) {
    audit(audit_event::login_failed, user.id, client);
    co_await count_failure(scopes);
    co_return auth_error::invalid_credentials;
  }
  // The account's count starts over; the address's does not, so that one right password among a
  // spray of guesses across accounts does not reset the address.
  co_await clear_account(scopes, user.id);

  if (*outcome == verify_outcome::match_needs_rehash) {
    // Upgrade hashes written with other parameters (e.g. the original service's) while we have
    // the password; a failure here must not fail the login.
    auto rehashed = co_await run_on_pool(pool_, [this, &password] { return hasher_.hash(password); });
    if (rehashed) {
      auto updated = co_await store_.update_password_hash(user.id, *rehashed);
      if (updated) {
        user.password_hash = std::move(*rehashed);
      } else {
        spdlog::warn("rehash after login could not be stored (user {})", user.id);
      }
    }
  }
  auto started = co_await start_session(std::move(user), client);
  if (started) audit(audit_event::login_succeeded, started->user.id, client);
  co_return started;
}

boost::asio::awaitable<result<signed_in, auth_failure>> auth_service::start_session(
    store::user_record user, const client_info& client) {
  auto session = new_session(user.id, client);
  auto created = co_await store_.create_session(session);
  if (!created) co_return to_auth_error(created.error());
  auto token = issue_token(session);
  co_return signed_in{std::move(user), std::move(token)};
}

boost::asio::awaitable<result<store::user_record, token_failure>> auth_service::authenticate(
    std::string_view token) {
  auto found = co_await authenticate_session(token);
  if (!found) co_return found.error();
  co_return std::move(found->user);
}

boost::asio::awaitable<result<authenticated, token_failure>> auth_service::authenticate_session(
    std::string_view token) {
  const store::micros now = now_();
  auto claims = tokens_.verify(token, now / micros_per_second);
  if (!claims)
    co_return claims.error() == token_error::expired ? token_failure::expired : token_failure::invalid;
  if (!is_uuid(claims->subject) || !is_uuid(claims->session_id)) co_return token_failure::invalid;

  auto found = co_await store_.find_user_and_session(claims->subject, claims->session_id);
  if (!found) co_return to_token_failure(found.error());
  if (!found->user) co_return token_failure::user_not_found;
  const auto& session = found->session;
  if (!session || session->revoked) co_return token_failure::invalid;
  if (session->expires <= now) co_return token_failure::expired;

  // Coarse on purpose: one write per session per resolution at most, so the hot path stays a read.
  const store::micros resolution = options_.last_used_resolution.count() * micros_per_second;
  if (now - session->last_used >= resolution) {
    auto touched = co_await store_.touch_session(session->id, now);
    if (touched) {
      found->session->last_used = now;
    } else {
      spdlog::warn("could not record the use of session {}", session->id);
    }
  }
  co_return authenticated{std::move(*found->user), std::move(*found->session)};
}

boost::asio::awaitable<result<std::vector<store::session_record>, auth_error>> auth_service::list_sessions(
    const authenticated& caller) {
  auto listed = co_await store_.list_live_sessions(caller.user.id, now_());
  if (!listed) co_return to_auth_error(listed.error());
  co_return std::move(*listed);
}

boost::asio::awaitable<result<bool, auth_error>> auth_service::end_session(const authenticated& caller,
                                                                           std::string_view session_id,
                                                                           const client_info& client) {
  // Not an id: not one of the caller's sessions either (and never sent to the store). Ids are
  // written lowercase; PostgreSQL's uuid type would match another case where SQLite's text does
  // not, so only the written form names a session on both.
  if (!is_uuid(session_id) ||
      std::any_of(session_id.begin(), session_id.end(), [](char c) { return c >= 'A' && c <= 'F'; }))
    co_return false;
  auto ended = co_await store_.end_session(caller.user.id, session_id, now_());
  if (!ended) co_return to_auth_error(ended.error());
  if (*ended) audit(audit_event::session_ended, caller.user.id, client, "delete");
  co_return *ended;
}

boost::asio::awaitable<result<std::uint64_t, auth_error>> auth_service::end_sessions(
    const authenticated& caller, logout_scope scope, const client_info& client) {
  const std::string_view keep = scope == logout_scope::others ? std::string_view(caller.session.id) : "";
  auto ended = co_await store_.end_sessions_except(caller.user.id, keep, now_());
  if (!ended) co_return to_auth_error(ended.error());
  audit(scope == logout_scope::all ? audit_event::logged_out : audit_event::session_ended, caller.user.id,
        client, scope_detail(scope));
  co_return *ended;
}

boost::asio::awaitable<result<signed_in, auth_failure>> auth_service::change_password(
    const authenticated& caller, std::string current_password, std::string new_password, client_info client) {
  // The current password is guessed like a login's (with a stolen cookie): the same account
  // throttle, counted and cleared the same way.
  const auto scopes = login_scopes(caller.user.email_key, client);
  in_flight_keys::claim checking;
  if (auto refused = co_await claim_account(scopes, client, checking)) co_return *refused;
  if (auto refused = co_await check_throttle(scopes, client)) co_return *refused;

  // Read again now that this check holds the account: a change that finished meanwhile ended the
  // caller's session and replaced the hash the caller's request read.
  auto fresh = co_await store_.find_user_and_session(caller.user.id, caller.session.id);
  if (!fresh) co_return to_auth_error(fresh.error());
  if (!fresh->user || !fresh->session || fresh->session->revoked || fresh->session->expires <= now_())
    co_return auth_error::session_ended;
  const std::string stored_hash = fresh->user->password_hash;
  auto outcome = co_await run_on_pool(pool_, [this, &current_password, &stored_hash] {
    return hasher_.verify(current_password, stored_hash);
  });
  if (!outcome) co_return auth_error::busy;
  if (*outcome == verify_outcome::mismatch) {
    audit(audit_event::login_failed, caller.user.id, client, "password_change");
    co_await count_failure(scopes);
    co_return auth_error::wrong_password;
  }
  co_await clear_account(scopes, caller.user.id);

  auto hashed = co_await run_on_pool(pool_, [this, &new_password] { return hasher_.hash(new_password); });
  if (!hashed) co_return auth_error::busy;

  auto session = new_session(caller.user.id, client);
  const store::micros now = session.created;
  auto changed = co_await store_.change_password(caller.user.id, *hashed, session, now);
  if (!changed) co_return to_auth_error(changed.error());
  audit(audit_event::password_changed, caller.user.id, client);

  store::user_record user = caller.user;
  user.password_hash = std::move(*hashed);
  auto token = issue_token(session);
  co_return signed_in{std::move(user), std::move(token)};
}

boost::asio::awaitable<void> auth_service::logout(std::string_view token, const client_info& client) {
  const store::micros now = now_();
  auto claims = tokens_.verify(token, now / micros_per_second);
  if (!claims) co_return;  // forged or expired: nothing of ours to revoke
  auto revoked = co_await store_.revoke_session(claims->session_id, now);
  if (!revoked) {
    spdlog::warn("logout could not revoke session {}", claims->session_id);
    co_return;
  }
  audit(audit_event::logged_out, claims->subject, client);
}

boost::asio::awaitable<void> auth_service::sweep_sessions() {
  auto deleted = co_await store_.delete_sessions_ended_before(now_());
  if (!deleted) {
    spdlog::warn("session sweep failed");
  } else if (*deleted > 0) {
    spdlog::info("session sweep removed {} ended sessions", *deleted);
  }
  auto idle = co_await store_.delete_idle_throttles(now_());
  if (!idle) {
    spdlog::warn("throttling sweep failed");
  } else if (*idle > 0) {
    spdlog::debug("throttling sweep removed {} idle keys", *idle);
  }
}

}  // namespace authd::auth
