// The use cases against an in-memory store: sessions, revocation, expiry, rehash, busy pool.
#include "auth/auth_service.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/use_future.hpp>
#include <future>
#include <map>
#include <memory>
#include <mutex>

#include "auth/email_policy.hpp"
#include "auth/throttle_policy.hpp"
#include "unit/log_capture.hpp"

namespace authd::auth {
namespace {

using store::micros;
using store::store_error;

// Just enough of a store, with the unique email key and the session/user pairing.
class memory_store final : public authd::store::store {
 public:
  template <class T>
  using res = authd::store::result<T>;
  using awaitable_void = boost::asio::awaitable<res<void>>;

  awaitable_void create_user(const authd::store::user_record& u,
                             const authd::store::session_record& s) override {
    for (const auto& [id, existing] : users)
      if (existing.email_key == u.email_key) co_return store_error::duplicate_email;
    users[u.id] = u;
    sessions[s.id] = s;
    co_return res<void>{};
  }
  boost::asio::awaitable<res<std::optional<authd::store::user_record>>> find_user_by_email_key(
      std::string_view key) override {
    if (down) co_return store_error::unavailable;
    for (const auto& [id, u] : users)
      if (u.email_key == key) co_return std::optional<authd::store::user_record>(u);
    co_return std::optional<authd::store::user_record>{};
  }
  awaitable_void update_password_hash(std::string_view id, std::string_view hash) override {
    users.at(std::string(id)).password_hash = hash;
    co_return res<void>{};
  }
  awaitable_void create_session(const authd::store::session_record& s) override {
    sessions[s.id] = s;
    co_return res<void>{};
  }
  boost::asio::awaitable<res<authd::store::user_and_session>> find_user_and_session(
      std::string_view uid, std::string_view sid) override {
    if (down) co_return store_error::unavailable;
    authd::store::user_and_session out;
    if (auto u = users.find(std::string(uid)); u != users.end()) out.user = u->second;
    if (auto s = sessions.find(std::string(sid)); s != sessions.end() && s->second.user_id == uid)
      out.session = s->second;
    co_return out;
  }
  awaitable_void revoke_session(std::string_view sid, micros now) override {
    if (auto s = sessions.find(std::string(sid)); s != sessions.end() && !s->second.revoked)
      s->second.revoked = now;
    co_return res<void>{};
  }
  awaitable_void touch_session(std::string_view sid, micros now) override {
    ++touches;
    if (auto s = sessions.find(std::string(sid)); s != sessions.end() && s->second.last_used < now)
      s->second.last_used = now;
    co_return res<void>{};
  }
  boost::asio::awaitable<res<std::vector<authd::store::session_record>>> list_live_sessions(
      std::string_view uid, micros now) override {
    if (down) co_return store_error::unavailable;
    std::vector<authd::store::session_record> out;
    for (const auto& [id, s] : sessions)
      if (s.user_id == uid && !s.revoked && s.expires > now) out.push_back(s);
    std::sort(out.begin(), out.end(), [](const auto& a, const auto& b) { return a.created > b.created; });
    co_return out;
  }
  boost::asio::awaitable<res<bool>> end_session(std::string_view uid, std::string_view sid,
                                                micros now) override {
    if (down) co_return store_error::unavailable;
    auto s = sessions.find(std::string(sid));
    if (s == sessions.end() || s->second.user_id != uid || s->second.revoked || s->second.expires <= now)
      co_return false;
    s->second.revoked = now;
    co_return true;
  }
  boost::asio::awaitable<res<std::uint64_t>> end_sessions_except(std::string_view uid, std::string_view keep,
                                                                 micros now) override {
    if (down) co_return store_error::unavailable;
    std::uint64_t n = 0;
    for (auto& [id, s] : sessions)
      if (s.user_id == uid && id != keep && !s.revoked && s.expires > now) {
        s.revoked = now;
        ++n;
      }
    co_return n;
  }
  awaitable_void change_password(std::string_view uid, std::string_view hash,
                                 const authd::store::session_record& session, micros now) override {
    if (down) co_return store_error::unavailable;
    users.at(std::string(uid)).password_hash = hash;
    for (auto& [id, s] : sessions)
      if (s.user_id == uid && !s.revoked && s.expires > now) s.revoked = now;
    sessions[session.id] = session;
    co_return res<void>{};
  }
  boost::asio::awaitable<res<std::uint64_t>> delete_sessions_ended_before(micros before) override {
    std::uint64_t n = std::erase_if(sessions, [before](const auto& kv) {
      return kv.second.expires < before || (kv.second.revoked && *kv.second.revoked < before);
    });
    co_return n;
  }
  boost::asio::awaitable<bool> ping() override { co_return !down; }
  authd::store::connection_stats connections() const override { return {}; }

  // Throttling by the domain's own rule (the real stores are held to it in their tests).
  boost::asio::awaitable<res<std::vector<micros>>> find_throttle_blocks(
      const std::vector<std::string>& keys) override {
    if (down) co_return store_error::unavailable;
    std::vector<micros> out;
    for (const auto& key : keys) out.push_back(throttles.contains(key) ? throttles.at(key).blocked_until : 0);
    co_return out;
  }
  boost::asio::awaitable<res<std::vector<authd::store::throttle_state>>> record_throttle_failures(
      const std::vector<authd::store::throttle_hit>& hits, micros now) override {
    if (down) co_return store_error::unavailable;
    std::vector<authd::store::throttle_state> out;
    for (const auto& hit : hits) {
      std::optional<authd::store::throttle_state> current;
      if (auto it = throttles.find(hit.key); it != throttles.end()) current = it->second;
      throttles[hit.key] = after_failure(current, now, hit.rule);
      windows[hit.key] = hit.rule.window;
      out.push_back(throttles[hit.key]);
    }
    co_return out;
  }
  awaitable_void clear_throttle(std::string_view key) override {
    throttles.erase(std::string(key));
    co_return res<void>{};
  }
  boost::asio::awaitable<res<std::uint64_t>> delete_idle_throttles(micros now) override {
    std::uint64_t n = std::erase_if(throttles, [&](const auto& kv) {
      return std::max(kv.second.last_failure, kv.second.blocked_until) + windows.at(kv.first) <= now;
    });
    co_return n;
  }

  std::map<std::string, authd::store::throttle_state> throttles;
  std::map<std::string, micros> windows;
  std::map<std::string, authd::store::user_record> users;
  std::map<std::string, authd::store::session_record> sessions;
  bool down = false;
  int touches = 0;
};

constexpr micros second = 1'000'000;

class auth_service_test : public ::testing::Test {
 protected:
  template <class T>
  T run(boost::asio::awaitable<T> a) {
    auto f = boost::asio::co_spawn(io, std::move(a), boost::asio::use_future);
    io.restart();
    io.run();
    return f.get();
  }

  normalized_email email(std::string_view text) { return *normalize_email(text); }

  signed_in registered(std::string_view address = "ada@example.com",
                       std::string password = "analytical engine") {
    auto r = run(
        service.register_account({"Ada", email(address), std::move(password)}, {"ua", "127.0.0.1", "req"}));
    EXPECT_TRUE(r.has_value());
    return r ? *r : signed_in{};
  }

  boost::asio::io_context io;
  memory_store store;
  password_hasher hasher{{.memory_kib = 64, .iterations = 1}};
  hash_pool pool{1, 8};
  token_codec tokens{std::string(40, 'k')};
  micros now = 1'700'000'000 * second;
  auth_service service{
      store, hasher, pool, tokens, {.token_lifetime = std::chrono::seconds(1800)}, [this] { return now; }};
};

TEST_F(auth_service_test, register_stores_a_hashed_password_and_a_session) {
  auto r = registered();
  ASSERT_EQ(store.users.size(), 1u);
  const auto& user = store.users.begin()->second;
  EXPECT_EQ(user.email, "ada@example.com");
  EXPECT_NE(user.password_hash.find("$argon2id$"), std::string::npos);
  EXPECT_EQ(user.password_hash.find("analytical"), std::string::npos);
  ASSERT_EQ(store.sessions.size(), 1u);
  const auto& session = store.sessions.begin()->second;
  EXPECT_EQ(session.user_id, user.id);
  EXPECT_EQ(session.expires, now + 1800 * second);
  EXPECT_EQ(session.user_agent, "ua");
  auto claims = tokens.verify(r.token, now / second);
  ASSERT_TRUE(claims.has_value());
  EXPECT_EQ(claims->subject, user.id);
  EXPECT_EQ(claims->session_id, session.id);
}

TEST_F(auth_service_test, duplicate_email_differing_in_case_is_user_exists) {
  registered("ada@example.com");
  auto again = run(service.register_account({"Ada", email("ADA@Example.com"), "analytical engine"}, {}));
  ASSERT_FALSE(again.has_value());
  EXPECT_EQ(again.error(), auth_error::user_exists);
}

TEST_F(auth_service_test, login_checks_the_password_and_starts_a_new_session) {
  registered();
  auto ok = run(service.login(email("Ada@EXAMPLE.com"), "analytical engine", {}));
  ASSERT_TRUE(ok.has_value());
  EXPECT_EQ(store.sessions.size(), 2u);
  auto wrong = run(service.login(email("ada@example.com"), "analytical engines", {}));
  ASSERT_FALSE(wrong.has_value());
  EXPECT_EQ(wrong.error(), auth_error::invalid_credentials);
  auto unknown = run(service.login(email("nobody@example.com"), "analytical engine", {}));
  ASSERT_FALSE(unknown.has_value());
  EXPECT_EQ(unknown.error(), auth_error::invalid_credentials);
}

TEST_F(auth_service_test, login_rehashes_a_hash_made_with_other_parameters) {
  registered();
  auto& user = store.users.begin()->second;
  password_hasher old_hasher({.memory_kib = 128, .iterations = 2});
  user.password_hash = old_hasher.hash("analytical engine");
  ASSERT_NE(user.password_hash.find("m=128,t=2"), std::string::npos);
  ASSERT_TRUE(run(service.login(email("ada@example.com"), "analytical engine", {})).has_value());
  EXPECT_NE(user.password_hash.find("m=64,t=1"), std::string::npos);
  EXPECT_EQ(hasher.verify("analytical engine", user.password_hash), verify_outcome::match);
}

TEST_F(auth_service_test, authenticate_follows_the_session) {
  auto r = registered();
  auto me = run(service.authenticate(r.token));
  ASSERT_TRUE(me.has_value());
  EXPECT_EQ(me->id, r.user.id);

  run(service.logout(r.token, {}));
  auto after = run(service.authenticate(r.token));
  ASSERT_FALSE(after.has_value());
  EXPECT_EQ(after.error(), token_failure::invalid);
}

TEST_F(auth_service_test, expired_token_and_expired_session) {
  auto r = registered();
  now += 1801 * second;
  auto late = run(service.authenticate(r.token));
  ASSERT_FALSE(late.has_value());
  EXPECT_EQ(late.error(), token_failure::expired);

  // A session that ends before its token does (e.g. shortened by the store) is expired too.
  now -= 1801 * second;
  store.sessions.begin()->second.expires = now;
  auto ended = run(service.authenticate(r.token));
  ASSERT_FALSE(ended.has_value());
  EXPECT_EQ(ended.error(), token_failure::expired);
}

TEST_F(auth_service_test, deleted_user_is_user_not_found) {
  auto r = registered();
  store.users.clear();
  auto me = run(service.authenticate(r.token));
  ASSERT_FALSE(me.has_value());
  EXPECT_EQ(me.error(), token_failure::user_not_found);
}

TEST_F(auth_service_test, garbage_and_foreign_tokens_are_invalid) {
  registered();
  EXPECT_EQ(run(service.authenticate("garbage")).error(), token_failure::invalid);
  token_codec other(std::string(40, 'o'));
  auto forged = other.issue({.subject = store.users.begin()->first,
                             .session_id = store.sessions.begin()->first,
                             .issued_at = now / second,
                             .expires_at = now / second + 60});
  EXPECT_EQ(run(service.authenticate(forged)).error(), token_failure::invalid);
}

TEST_F(auth_service_test, store_outage_is_unavailable_not_invalid) {
  auto r = registered();
  store.down = true;
  EXPECT_EQ(run(service.authenticate(r.token)).error(), token_failure::unavailable);
  EXPECT_EQ(run(service.login(email("ada@example.com"), "analytical engine", {})).error(),
            auth_error::unavailable);
}

TEST_F(auth_service_test, a_full_hashing_queue_is_busy) {
  hash_pool refusing(1, 0);
  auth_service busy_service(store, hasher, refusing, tokens, {}, [this] { return now; });
  refusing.drain();  // a stopped pool refuses everything
  auto r = run(busy_service.register_account({"Ada", email("ada@example.com"), "analytical engine"}, {}));
  ASSERT_FALSE(r.has_value());
  EXPECT_EQ(r.error(), auth_error::busy);
  EXPECT_TRUE(store.users.empty());
}

TEST_F(auth_service_test, sweep_removes_ended_sessions_only) {
  auto r = registered();
  run(service.login(email("ada@example.com"), "analytical engine", {}));
  run(service.logout(r.token, {}));
  now += second;
  run(service.sweep_sessions());
  EXPECT_EQ(store.sessions.size(), 1u);
  now += 3600 * second;
  run(service.sweep_sessions());
  EXPECT_TRUE(store.sessions.empty());
}

// Small limits: 3 failures per account, 5 per address, 2 registrations per address; blocks of
// 60 s doubling to 300 s.
class throttled_auth_service_test : public auth_service_test {
 protected:
  static store::throttle_rule rule(std::int64_t limit) {
    return {.limit = limit, .window = 900 * second, .base_block = 60 * second, .max_block = 300 * second};
  }
  static auth_options throttled_options() {
    return {.token_lifetime = std::chrono::seconds(1800),
            .throttle = {.login_account = rule(3), .login_address = rule(5), .register_address = rule(2)}};
  }

  result<signed_in, auth_failure> login(std::string_view address, std::string password,
                                        std::string client_address = "192.0.2.1") {
    return run(
        throttled.login(email(address), std::move(password), {"ua", std::move(client_address), "req"}));
  }
  void register_ada() {
    auto r = run(throttled.register_account({"Ada", email("ada@example.com"), "analytical engine"},
                                            {"ua", "198.51.100.7", "req"}));
    ASSERT_TRUE(r.has_value());
  }
  static void expect_throttled(const result<signed_in, auth_failure>& r, std::int64_t wait) {
    ASSERT_FALSE(r.has_value());
    EXPECT_EQ(r.error(), auth_error::throttled);
    EXPECT_EQ(r.error().retry_after_seconds, wait);
  }

  auth_service throttled{store, hasher, pool, tokens, throttled_options(), [this] { return now; }};
};

TEST_F(throttled_auth_service_test, wrong_passwords_reach_the_limit_then_even_the_right_one_is_refused) {
  register_ada();
  for (int i = 0; i < 3; ++i)
    EXPECT_EQ(login("ada@example.com", "wrong password").error(), auth_error::invalid_credentials);
  expect_throttled(login("ada@example.com", "wrong password"), 60);
  now += 10 * second;
  expect_throttled(login("ada@example.com", "analytical engine"), 50);
  EXPECT_EQ(store.throttles.at(throttle_key(login_account_scope, "ada@example.com")).failures, 3)
      << "refused attempts are not counted";
}

TEST_F(throttled_auth_service_test, after_the_block_the_right_password_works_and_clears_the_account_only) {
  register_ada();
  for (int i = 0; i < 3; ++i) login("ada@example.com", "wrong password");
  now += 60 * second;
  ASSERT_TRUE(login("ADA@example.com", "analytical engine").has_value());
  EXPECT_FALSE(store.throttles.contains(throttle_key(login_account_scope, "ada@example.com")));
  EXPECT_EQ(store.throttles.at(throttle_key(login_address_scope, "192.0.2.1")).failures, 3)
      << "a success does not reset the address";
}

TEST_F(throttled_auth_service_test, each_failure_beyond_the_limit_doubles_the_block) {
  register_ada();
  for (int i = 0; i < 3; ++i) login("ada@example.com", "wrong password");
  now += 60 * second;
  EXPECT_EQ(login("ada@example.com", "wrong password").error(), auth_error::invalid_credentials);
  expect_throttled(login("ada@example.com", "analytical engine"), 120);
}

TEST_F(throttled_auth_service_test, checks_of_one_account_take_turns_and_see_the_failures_before_them) {
  register_ada();
  for (int i = 0; i < 2; ++i) login("ada@example.com", "wrong password");
  // Both are past the throttle's check at once: the first (the third failure) starts a block
  // while it hashes; the second, with the right password, waited for it and is refused.
  auto first = boost::asio::co_spawn(
      io, throttled.login(email("ada@example.com"), "wrong password", {"ua", "192.0.2.1", "req"}),
      boost::asio::use_future);
  auto meanwhile = boost::asio::co_spawn(
      io, throttled.login(email("ADA@example.com"), "analytical engine", {"ua", "192.0.2.2", "req"}),
      boost::asio::use_future);
  io.restart();
  io.run();
  EXPECT_EQ(first.get().error(), auth_error::invalid_credentials);
  expect_throttled(meanwhile.get(), 60);
}

TEST_F(throttled_auth_service_test, concurrent_logins_of_one_account_all_succeed_in_turn) {
  register_ada();
  std::vector<std::future<result<signed_in, auth_failure>>> logins;
  for (int i = 0; i < 4; ++i)
    logins.push_back(boost::asio::co_spawn(
        io, throttled.login(email("ada@example.com"), "analytical engine", {"ua", "192.0.2.1", "req"}),
        boost::asio::use_future));
  auto other = boost::asio::co_spawn(
      io, throttled.login(email("bob@example.com"), "difference engine", {"ua", "192.0.2.3", "req"}),
      boost::asio::use_future);
  io.restart();
  io.run();
  for (auto& each : logins) EXPECT_TRUE(each.get().has_value());
  EXPECT_EQ(other.get().error(), auth_error::invalid_credentials) << "another account is not held";
}

TEST_F(throttled_auth_service_test, wrong_current_passwords_count_on_the_account_like_logins) {
  auto r = run(throttled.register_account({"Ada", email("ada@example.com"), "analytical engine"},
                                          {"ua", "198.51.100.7", "req"}));
  ASSERT_TRUE(r.has_value());
  auto caller = run(throttled.authenticate_session(r->token));
  ASSERT_TRUE(caller.has_value());
  for (int i = 0; i < 3; ++i)
    EXPECT_EQ(run(throttled.change_password(*caller, "wrong password", "difference engine", {})).error(),
              auth_error::wrong_password);
  expect_throttled(run(throttled.change_password(*caller, "analytical engine", "difference engine", {})), 60);
  expect_throttled(login("ada@example.com", "analytical engine"), 60);
}

TEST_F(throttled_auth_service_test, an_unknown_email_is_throttled_like_a_known_one) {
  for (int i = 0; i < 3; ++i)
    EXPECT_EQ(login("nobody@example.com", "wrong password").error(), auth_error::invalid_credentials);
  expect_throttled(login("NOBODY@example.com", "wrong password"), 60);
}

TEST_F(throttled_auth_service_test, the_account_block_holds_from_every_address) {
  register_ada();
  for (int i = 0; i < 3; ++i) login("ada@example.com", "wrong password", "192.0.2." + std::to_string(i));
  expect_throttled(login("ada@example.com", "analytical engine", "203.0.113.9"), 60);
}

TEST_F(throttled_auth_service_test, the_address_limit_spans_accounts) {
  register_ada();
  for (int i = 0; i < 5; ++i) login("user" + std::to_string(i) + "@example.com", "wrong password");
  expect_throttled(login("ada@example.com", "analytical engine"), 60);
  EXPECT_TRUE(login("ada@example.com", "analytical engine", "203.0.113.9").has_value())
      << "another address is not blocked";
}

TEST_F(throttled_auth_service_test, ipv6_addresses_of_one_64_share_the_address_limit) {
  register_ada();
  for (int i = 0; i < 5; ++i)
    login("user" + std::to_string(i) + "@example.com", "wrong password",
          "2001:db8:1:2::" + std::to_string(i + 1));
  expect_throttled(login("ada@example.com", "analytical engine", "2001:db8:1:2:abcd::9"), 60);
  EXPECT_TRUE(login("ada@example.com", "analytical engine", "2001:db8:1:3::1").has_value());
}

TEST_F(throttled_auth_service_test, a_blocked_attempt_costs_no_hash) {
  for (int i = 0; i < 3; ++i) login("ada@example.com", "wrong password");
  hash_pool refusing(1, 0);
  refusing.drain();  // any hashing would answer busy
  auth_service no_hashing(store, hasher, refusing, tokens, throttled_options(), [this] { return now; });
  auto r = run(no_hashing.login(email("ada@example.com"), "analytical engine", {"ua", "192.0.2.1", "req"}));
  expect_throttled(r, 60);
}

TEST_F(throttled_auth_service_test, registrations_per_address_count_every_attempt) {
  register_ada();
  auto duplicate = run(throttled.register_account({"Ada", email("ada@example.com"), "analytical engine"},
                                                  {"ua", "198.51.100.7", "req"}));
  EXPECT_EQ(duplicate.error(), auth_error::user_exists);
  auto third = run(throttled.register_account({"Bob", email("bob@example.com"), "difference engine"},
                                              {"ua", "198.51.100.7", "req"}));
  expect_throttled(third, 60);
  EXPECT_EQ(store.users.size(), 1u);
  auto elsewhere = run(throttled.register_account({"Bob", email("bob@example.com"), "difference engine"},
                                                  {"ua", "203.0.113.9", "req"}));
  EXPECT_TRUE(elsewhere.has_value());
}

TEST_F(throttled_auth_service_test, a_store_outage_while_checking_is_unavailable) {
  store.down = true;
  EXPECT_EQ(login("ada@example.com", "analytical engine").error(), auth_error::unavailable);
}

TEST_F(throttled_auth_service_test, the_sweep_removes_keys_quiet_for_a_window) {
  login("ada@example.com", "wrong password");
  now += 899 * second;
  run(throttled.sweep_sessions());
  EXPECT_EQ(store.throttles.size(), 2u);
  now += second;
  run(throttled.sweep_sessions());
  EXPECT_TRUE(store.throttles.empty());
}

TEST_F(auth_service_test, throttling_off_touches_no_throttle_state) {
  registered();
  for (int i = 0; i < 20; ++i) run(service.login(email("ada@example.com"), "wrong password", {}));
  EXPECT_TRUE(run(service.login(email("ada@example.com"), "analytical engine", {})).has_value());
  EXPECT_TRUE(store.throttles.empty());
}

// Sessions you can see and end, and the password change (issue 6).

TEST_F(auth_service_test, last_used_is_written_at_most_once_per_minute) {
  auto r = registered();
  const auto sid = tokens.verify(r.token, now / second)->session_id;
  ASSERT_TRUE(run(service.authenticate_session(r.token)).has_value());
  EXPECT_EQ(store.touches, 0) << "just created: last_used is fresh";
  now += 59 * second;
  ASSERT_TRUE(run(service.authenticate_session(r.token)).has_value());
  EXPECT_EQ(store.touches, 0) << "under a minute: the hot path stays a read";
  now += 1 * second;
  auto who = run(service.authenticate_session(r.token));
  ASSERT_TRUE(who.has_value());
  EXPECT_EQ(store.touches, 1);
  EXPECT_EQ(who->session.last_used, now);
  EXPECT_EQ(store.sessions.at(sid).last_used, now);
  now += 30 * second;
  ASSERT_TRUE(run(service.authenticate(r.token)).has_value());
  EXPECT_EQ(store.touches, 1);
}

TEST_F(auth_service_test, authenticate_session_names_the_tokens_session) {
  auto r = registered();
  auto who = run(service.authenticate_session(r.token));
  ASSERT_TRUE(who.has_value());
  EXPECT_EQ(who->session.id, tokens.verify(r.token, now / second)->session_id);
  EXPECT_EQ(who->user.email, "ada@example.com");
  EXPECT_EQ(run(service.authenticate_session("garbage")).error(), token_failure::invalid);
}

TEST_F(auth_service_test, end_session_ends_only_the_callers_live_sessions) {
  auto ada = registered();
  auto other = run(service.login(email("ada@example.com"), "analytical engine", {}));
  auto bob = registered("bob@example.com");
  auto caller = *run(service.authenticate_session(ada.token));
  const auto other_sid = tokens.verify(other->token, now / second)->session_id;
  const auto bob_sid = tokens.verify(bob.token, now / second)->session_id;

  EXPECT_FALSE(*run(service.end_session(caller, bob_sid, {}))) << "another user's session";
  EXPECT_TRUE(run(service.authenticate(bob.token)).has_value());
  EXPECT_FALSE(*run(service.end_session(caller, "not-a-uuid", {})));
  EXPECT_TRUE(*run(service.end_session(caller, other_sid, {})));
  EXPECT_EQ(run(service.authenticate(other->token)).error(), token_failure::invalid);
  EXPECT_TRUE(run(service.authenticate(ada.token)).has_value());
  EXPECT_FALSE(*run(service.end_session(caller, other_sid, {}))) << "already ended";
}

TEST_F(auth_service_test, end_sessions_others_keeps_the_callers_and_all_ends_it) {
  auto ada = registered();
  auto second_one = run(service.login(email("ada@example.com"), "analytical engine", {}));
  auto third = run(service.login(email("ada@example.com"), "analytical engine", {}));
  auto bob = registered("bob@example.com");
  auto caller = *run(service.authenticate_session(ada.token));

  EXPECT_EQ(*run(service.end_sessions(caller, logout_scope::others, {})), 2u);
  EXPECT_TRUE(run(service.authenticate(ada.token)).has_value());
  EXPECT_FALSE(run(service.authenticate(second_one->token)).has_value());
  EXPECT_FALSE(run(service.authenticate(third->token)).has_value());
  EXPECT_TRUE(run(service.authenticate(bob.token)).has_value());

  EXPECT_EQ(*run(service.end_sessions(caller, logout_scope::all, {})), 1u);
  EXPECT_EQ(run(service.authenticate(ada.token)).error(), token_failure::invalid);
  EXPECT_TRUE(run(service.authenticate(bob.token)).has_value());
}

TEST_F(auth_service_test, list_sessions_lists_the_callers_live_sessions) {
  auto ada = registered();
  now += second;
  auto later = run(service.login(email("ada@example.com"), "analytical engine", {"phone", "10.0.0.2", "r"}));
  registered("bob@example.com");
  auto caller = *run(service.authenticate_session(ada.token));
  auto listed = run(service.list_sessions(caller));
  ASSERT_TRUE(listed.has_value());
  ASSERT_EQ(listed->size(), 2u);
  EXPECT_EQ(listed->at(0).user_agent, "phone");
  EXPECT_EQ(listed->at(0).client_address, "10.0.0.2");
  EXPECT_EQ(listed->at(1).id, caller.session.id);
  store.down = true;
  EXPECT_EQ(run(service.list_sessions(caller)).error(), auth_error::unavailable);
}

TEST_F(auth_service_test, a_change_that_waited_behind_another_reads_the_account_again) {
  // Two changes at once from two sessions: the first one wins and ends every session; the second,
  // holding what it read before, must not go on with the old hash and its ended session.
  auto ada = registered();
  auto thief = run(service.login(email("ada@example.com"), "analytical engine", {}));
  auto thiefs_view = *run(service.authenticate_session(thief->token));
  auto owners_view = *run(service.authenticate_session(ada.token));
  ASSERT_TRUE(run(service.change_password(owners_view, "analytical engine", "difference engine", {})));
  const auto owners_hash = store.users.begin()->second.password_hash;

  auto late = run(service.change_password(thiefs_view, "analytical engine", "jacquard loom cards", {}));
  ASSERT_FALSE(late.has_value());
  EXPECT_EQ(late.error(), auth_error::session_ended);
  EXPECT_EQ(store.users.begin()->second.password_hash, owners_hash) << "the owner's password stands";
}

TEST_F(auth_service_test, change_password_checks_the_current_one_and_restarts_the_sessions) {
  auto ada = registered();
  auto phone = run(service.login(email("ada@example.com"), "analytical engine", {}));
  auto caller = *run(service.authenticate_session(ada.token));
  const auto old_hash = store.users.begin()->second.password_hash;

  auto wrong = run(service.change_password(caller, "analytical engines", "difference engine", {}));
  ASSERT_FALSE(wrong.has_value());
  EXPECT_EQ(wrong.error(), auth_error::wrong_password);
  EXPECT_EQ(store.users.begin()->second.password_hash, old_hash);
  EXPECT_TRUE(run(service.authenticate(phone->token)).has_value());

  auto changed =
      run(service.change_password(caller, "analytical engine", "difference engine", {"ua", "10.0.0.9", "r"}));
  ASSERT_TRUE(changed.has_value());
  EXPECT_NE(store.users.begin()->second.password_hash, old_hash);
  EXPECT_EQ(store.users.begin()->second.password_hash.find("difference"), std::string::npos);
  EXPECT_EQ(run(service.authenticate(ada.token)).error(), token_failure::invalid);
  EXPECT_EQ(run(service.authenticate(phone->token)).error(), token_failure::invalid);
  auto fresh = run(service.authenticate_session(changed->token));
  ASSERT_TRUE(fresh.has_value());
  EXPECT_EQ(fresh->session.client_address, "10.0.0.9");

  EXPECT_FALSE(run(service.login(email("ada@example.com"), "analytical engine", {})).has_value());
  EXPECT_TRUE(run(service.login(email("ada@example.com"), "difference engine", {})).has_value());
}

TEST_F(auth_service_test, ending_sessions_and_changing_the_password_are_audited_without_secrets) {
  auto ada = registered();
  auto other = run(service.login(email("ada@example.com"), "analytical engine", {}));
  auto caller = *run(service.authenticate_session(ada.token));
  const client_info client{"ua-audit", "192.0.2.7", "req-audit"};
  test_support::log_capture logs;

  ASSERT_TRUE(
      *run(service.end_session(caller, tokens.verify(other->token, now / second)->session_id, client)));
  ASSERT_TRUE(run(service.end_sessions(caller, logout_scope::others, client)).has_value());
  ASSERT_TRUE(
      run(service.change_password(caller, "analytical engine", "difference engine", client)).has_value());
  auto fresh = *run(service.authenticate_session(
      run(service.login(email("ada@example.com"), "difference engine", client))->token));
  ASSERT_TRUE(run(service.end_sessions(fresh, logout_scope::all, client)).has_value());

  const std::string text = logs.text();
  const std::string who = "\"user_id\":\"" + caller.user.id + "\"";
  EXPECT_NE(text.find("\"event\":\"session_ended\",\"user_id\""), std::string::npos) << text;
  EXPECT_NE(text.find("\"detail\":\"delete\""), std::string::npos) << text;
  EXPECT_NE(text.find("\"detail\":\"scope=others\""), std::string::npos) << text;
  EXPECT_NE(text.find("\"event\":\"password_changed\""), std::string::npos) << text;
  EXPECT_NE(text.find("\"event\":\"logged_out\""), std::string::npos) << text;
  EXPECT_NE(text.find("\"detail\":\"scope=all\""), std::string::npos) << text;
  EXPECT_NE(text.find(who), std::string::npos) << text;
  EXPECT_NE(text.find("\"request_id\":\"req-audit\""), std::string::npos) << text;
  EXPECT_EQ(text.find("analytical"), std::string::npos) << "never a password";
  EXPECT_EQ(text.find("difference"), std::string::npos) << "never a password";
  EXPECT_EQ(text.find("$argon2id$"), std::string::npos) << "never a hash";
  EXPECT_EQ(text.find(ada.token), std::string::npos) << "never a token";
}

}  // namespace
}  // namespace authd::auth
