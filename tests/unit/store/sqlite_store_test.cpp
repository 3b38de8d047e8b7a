// g++ 12 at -O1 reports a false maybe-uninitialized inside co_spawn's completion for a result
// holding a std::vector (run_sync of list_live_sessions); the state must be set before any header.
#pragma GCC diagnostic ignored "-Wmaybe-uninitialized"
#include "store/sqlite/sqlite_store.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <spdlog/sinks/ringbuffer_sink.h>
#include <spdlog/spdlog.h>

#include <algorithm>
#include <atomic>
#include <mutex>
#include <thread>
#include <vector>

#include "store/sqlite/sqlite_migrations.hpp"
#include "unit/store/raw_sqlite.hpp"
#include "unit/store/run_sync.hpp"
#include "unit/store/temp_dir.hpp"
#include "unit/store/throttle_checks.hpp"

namespace authd::store::sqlite {
namespace {

using test_support::raw_sqlite;
using test_support::run_sync;
using test_support::temp_dir;
using ::testing::HasSubstr;

user_record make_user(const std::string& n, const std::string& email_key) {
  return user_record{.id = "00000000-0000-4000-8000-00000000000" + n,
                     .name = "User " + n,
                     .email = email_key,
                     .email_key = email_key,
                     .password_hash = "$argon2id$v=19$m=19456,t=2,p=1$c2FsdHNhbHQ$secret-hash-" + n,
                     .created = 1'700'000'000'000'000};
}

session_record make_session(const std::string& n, const std::string& user_id,
                            micros expires = 2'000'000'000'000'000) {
  return session_record{.id = "11111111-0000-4000-8000-00000000000" + n,
                        .user_id = user_id,
                        .created = 1'700'000'000'000'001,
                        .expires = expires,
                        .revoked = std::nullopt,
                        .user_agent = "curl/8",
                        .client_address = "192.0.2.1"};
}

void expect_same(const user_record& a, const user_record& b) {
  EXPECT_EQ(a.id, b.id);
  EXPECT_EQ(a.name, b.name);
  EXPECT_EQ(a.email, b.email);
  EXPECT_EQ(a.email_key, b.email_key);
  EXPECT_EQ(a.password_hash, b.password_hash);
  EXPECT_EQ(a.created, b.created);
}

void expect_same(const session_record& a, const session_record& b) {
  EXPECT_EQ(a.id, b.id);
  EXPECT_EQ(a.user_id, b.user_id);
  EXPECT_EQ(a.created, b.created);
  EXPECT_EQ(a.expires, b.expires);
  EXPECT_EQ(a.revoked, b.revoked);
  EXPECT_EQ(a.user_agent, b.user_agent);
  EXPECT_EQ(a.client_address, b.client_address);
}

class sqlite_store_test : public ::testing::Test {
 protected:
  void SetUp() override {
    auto m = migrator::open(file_);
    ASSERT_TRUE(m.has_value()) << m.error();
    auto up = m->up();
    ASSERT_TRUE(up.has_value()) << up.error();
    open_store();
  }

  void open_store(std::chrono::milliseconds busy_timeout = std::chrono::milliseconds(5000)) {
    store_.reset();
    auto opened =
        sqlite_store::open(sqlite_options{.file = file_, .connections = 2, .busy_timeout = busy_timeout});
    ASSERT_TRUE(opened.has_value()) << opened.error();
    store_ = std::move(*opened);
  }

  result<void> create_user(const user_record& user, const session_record& session) {
    return run_sync(io_, store_->create_user(user, session));
  }
  std::optional<user_record> find_by_key(std::string_view key) {
    auto found = run_sync(io_, store_->find_user_by_email_key(key));
    EXPECT_TRUE(found.has_value());
    return found.has_value() ? *found : std::nullopt;
  }
  user_and_session find_both(std::string_view user_id, std::string_view session_id) {
    auto found = run_sync(io_, store_->find_user_and_session(user_id, session_id));
    EXPECT_TRUE(found.has_value());
    return found.has_value() ? *found : user_and_session{};
  }

  temp_dir dir_;
  std::filesystem::path file_ = dir_.path() / "authd.db";
  boost::asio::io_context io_;
  std::unique_ptr<sqlite_store> store_;
};

TEST_F(sqlite_store_test, creates_a_user_with_a_session_and_finds_both) {
  const auto user = make_user("1", "ann@example.com");
  const auto session = make_session("1", user.id);
  ASSERT_TRUE(create_user(user, session).has_value());

  auto by_key = find_by_key("ann@example.com");
  ASSERT_TRUE(by_key.has_value());
  expect_same(*by_key, user);

  auto both = find_both(user.id, session.id);
  ASSERT_TRUE(both.user.has_value());
  ASSERT_TRUE(both.session.has_value());
  expect_same(*both.user, user);
  expect_same(*both.session, session);
}

TEST_F(sqlite_store_test, find_by_email_key_is_exact) {
  ASSERT_TRUE(
      create_user(make_user("1", "ann@example.com"), make_session("1", make_user("1", "").id)).has_value());
  EXPECT_FALSE(find_by_key("bob@example.com").has_value());
  EXPECT_FALSE(find_by_key("ann@example.co").has_value());
  EXPECT_FALSE(find_by_key("").has_value());
}

TEST_F(sqlite_store_test, a_taken_email_key_is_duplicate_email_and_writes_nothing) {
  const auto first = make_user("1", "ann@example.com");
  ASSERT_TRUE(create_user(first, make_session("1", first.id)).has_value());

  auto second = make_user("2", "ann@example.com");
  second.name = "Impostor";
  const auto second_session = make_session("2", second.id);
  auto created = create_user(second, second_session);
  ASSERT_FALSE(created.has_value());
  EXPECT_EQ(created.error(), store_error::duplicate_email);

  auto both = find_both(second.id, second_session.id);
  EXPECT_FALSE(both.user.has_value());
  EXPECT_FALSE(both.session.has_value()) << "the session of a refused registration must not be stored";
  EXPECT_EQ(find_by_key("ann@example.com")->name, first.name);
}

TEST_F(sqlite_store_test, a_failing_session_insert_undoes_the_user) {
  const auto first = make_user("1", "ann@example.com");
  const auto session = make_session("1", first.id);
  ASSERT_TRUE(create_user(first, session).has_value());

  // The same session id again: the user row goes in, the session row fails, both must vanish.
  const auto second = make_user("2", "bob@example.com");
  auto reused = session;
  reused.user_id = second.id;
  auto created = create_user(second, reused);
  ASSERT_FALSE(created.has_value());
  EXPECT_EQ(created.error(), store_error::internal);
  EXPECT_FALSE(find_by_key("bob@example.com").has_value());
}

TEST_F(sqlite_store_test, internal_errors_are_logged_without_bound_values) {
  const auto first = make_user("1", "ann@example.com");
  const auto session = make_session("1", first.id);
  ASSERT_TRUE(create_user(first, session).has_value());

  auto sink = std::make_shared<spdlog::sinks::ringbuffer_sink_mt>(16);
  auto previous = spdlog::default_logger();
  spdlog::set_default_logger(std::make_shared<spdlog::logger>("capture", sink));
  const auto second = make_user("2", "bob@example.com");
  auto created = create_user(second, make_session("1", second.id));
  spdlog::set_default_logger(previous);
  ASSERT_FALSE(created.has_value());

  std::string logged;
  for (const auto& line : sink->last_formatted()) logged += line;
  EXPECT_THAT(logged, HasSubstr("sessions.id")) << "the log says what failed";
  EXPECT_EQ(logged.find(second.password_hash), std::string::npos);
  EXPECT_EQ(logged.find("bob@example.com"), std::string::npos);
  EXPECT_EQ(logged.find(session.id), std::string::npos);
}

TEST_F(sqlite_store_test, find_user_and_session_covers_every_combination) {
  const auto ann = make_user("1", "ann@example.com");
  const auto ann_session = make_session("1", ann.id);
  const auto bob = make_user("2", "bob@example.com");
  const auto bob_session = make_session("2", bob.id);
  ASSERT_TRUE(create_user(ann, ann_session).has_value());
  ASSERT_TRUE(create_user(bob, bob_session).has_value());

  // user and session
  auto both = find_both(ann.id, ann_session.id);
  EXPECT_TRUE(both.user.has_value());
  EXPECT_TRUE(both.session.has_value());

  // user, no such session
  auto user_only = find_both(ann.id, "11111111-0000-4000-8000-999999999999");
  EXPECT_TRUE(user_only.user.has_value());
  EXPECT_FALSE(user_only.session.has_value());

  // user, but the session is another user's
  auto foreign = find_both(ann.id, bob_session.id);
  ASSERT_TRUE(foreign.user.has_value());
  EXPECT_EQ(foreign.user->id, ann.id);
  EXPECT_FALSE(foreign.session.has_value());

  // neither
  auto neither = find_both("00000000-0000-4000-8000-999999999999", "11111111-0000-4000-8000-999999999999");
  EXPECT_FALSE(neither.user.has_value());
  EXPECT_FALSE(neither.session.has_value());

  // a session whose user is gone (only possible behind the store's back, foreign keys off)
  {
    raw_sqlite raw(file_);
    raw.exec(
        "INSERT INTO sessions (id, user_id, created, expires) VALUES "
        "('orphan', 'ghost', 1, 2000000000000000)");
  }
  auto session_only = find_both("ghost", "orphan");
  EXPECT_FALSE(session_only.user.has_value());
  ASSERT_TRUE(session_only.session.has_value());
  EXPECT_EQ(session_only.session->user_id, "ghost");
}

TEST_F(sqlite_store_test, create_session_adds_sessions_for_existing_users_only) {
  const auto ann = make_user("1", "ann@example.com");
  ASSERT_TRUE(create_user(ann, make_session("1", ann.id)).has_value());
  auto second = make_session("2", ann.id);
  second.user_agent = "";
  ASSERT_TRUE(run_sync(io_, store_->create_session(second)).has_value());
  auto found = find_both(ann.id, second.id);
  ASSERT_TRUE(found.session.has_value());
  expect_same(*found.session, second);

  auto dangling = run_sync(io_, store_->create_session(make_session("3", "no-such-user")));
  ASSERT_FALSE(dangling.has_value());
  EXPECT_EQ(dangling.error(), store_error::internal);
}

TEST_F(sqlite_store_test, revoke_is_idempotent_and_keeps_the_first_time) {
  const auto ann = make_user("1", "ann@example.com");
  const auto session = make_session("1", ann.id);
  ASSERT_TRUE(create_user(ann, session).has_value());

  ASSERT_TRUE(run_sync(io_, store_->revoke_session(session.id, 5000)).has_value());
  EXPECT_EQ(find_both(ann.id, session.id).session->revoked, std::optional<micros>(5000));
  ASSERT_TRUE(run_sync(io_, store_->revoke_session(session.id, 9000)).has_value());
  EXPECT_EQ(find_both(ann.id, session.id).session->revoked, std::optional<micros>(5000));
  EXPECT_TRUE(run_sync(io_, store_->revoke_session("no-such-session", 9000)).has_value());
}

TEST_F(sqlite_store_test, deletes_sessions_that_expired_or_were_revoked_before_a_time) {
  const auto ann = make_user("1", "ann@example.com");
  ASSERT_TRUE(create_user(ann, make_session("1", ann.id, /*expires=*/100)).has_value());  // expired
  ASSERT_TRUE(
      run_sync(io_, store_->create_session(make_session("2", ann.id, 1000))).has_value());  // revoked early
  ASSERT_TRUE(
      run_sync(io_, store_->create_session(make_session("3", ann.id, 1000))).has_value());  // revoked late
  ASSERT_TRUE(run_sync(io_, store_->create_session(make_session("4", ann.id, 1000))).has_value());  // live
  ASSERT_TRUE(
      run_sync(io_, store_->create_session(make_session("5", ann.id, 200))).has_value());  // expires at t
  ASSERT_TRUE(run_sync(io_, store_->revoke_session(make_session("2", "").id, 50)).has_value());
  ASSERT_TRUE(run_sync(io_, store_->revoke_session(make_session("3", "").id, 300)).has_value());

  auto deleted = run_sync(io_, store_->delete_sessions_ended_before(200));
  ASSERT_TRUE(deleted.has_value());
  EXPECT_EQ(*deleted, 2u);
  EXPECT_FALSE(find_both(ann.id, make_session("1", "").id).session.has_value());
  EXPECT_FALSE(find_both(ann.id, make_session("2", "").id).session.has_value());
  EXPECT_TRUE(find_both(ann.id, make_session("3", "").id).session.has_value());
  EXPECT_TRUE(find_both(ann.id, make_session("4", "").id).session.has_value());
  EXPECT_TRUE(find_both(ann.id, make_session("5", "").id).session.has_value());
  EXPECT_EQ(*run_sync(io_, store_->delete_sessions_ended_before(200)), 0u);
}

TEST_F(sqlite_store_test, updates_the_password_hash) {
  const auto ann = make_user("1", "ann@example.com");
  ASSERT_TRUE(create_user(ann, make_session("1", ann.id)).has_value());
  ASSERT_TRUE(run_sync(io_, store_->update_password_hash(ann.id, "$argon2id$new")).has_value());
  EXPECT_EQ(find_by_key("ann@example.com")->password_hash, "$argon2id$new");
}

// The session cache (session_cache.hpp) answers repeated lookups; each write must still show.
TEST_F(sqlite_store_test, a_cached_session_shows_its_revocation) {
  const auto ann = make_user("1", "ann@example.com");
  const auto session = make_session("1", ann.id);
  ASSERT_TRUE(create_user(ann, session).has_value());
  ASSERT_FALSE(find_both(ann.id, session.id).session->revoked.has_value());
  ASSERT_FALSE(find_both(ann.id, session.id).session->revoked.has_value());  // now from the cache
  ASSERT_TRUE(run_sync(io_, store_->revoke_session(session.id, 5000)).has_value());
  EXPECT_EQ(find_both(ann.id, session.id).session->revoked, std::optional<micros>(5000));
}

TEST_F(sqlite_store_test, a_cached_user_shows_a_new_password_hash) {
  const auto ann = make_user("1", "ann@example.com");
  const auto session = make_session("1", ann.id);
  ASSERT_TRUE(create_user(ann, session).has_value());
  ASSERT_EQ(find_both(ann.id, session.id).user->password_hash, ann.password_hash);
  ASSERT_TRUE(run_sync(io_, store_->update_password_hash(ann.id, "$argon2id$new")).has_value());
  EXPECT_EQ(find_both(ann.id, session.id).user->password_hash, "$argon2id$new");
}

TEST_F(sqlite_store_test, a_cached_session_is_gone_after_the_sweep_deletes_it) {
  const auto ann = make_user("1", "ann@example.com");
  const auto session = make_session("1", ann.id, /*expires=*/100);
  ASSERT_TRUE(create_user(ann, session).has_value());
  ASSERT_TRUE(find_both(ann.id, session.id).session.has_value());
  ASSERT_EQ(*run_sync(io_, store_->delete_sessions_ended_before(200)), 1u);
  EXPECT_FALSE(find_both(ann.id, session.id).session.has_value());
}

TEST_F(sqlite_store_test, a_cached_session_is_not_found_for_another_user) {
  const auto ann = make_user("1", "ann@example.com");
  const auto bob = make_user("2", "bob@example.com");
  const auto session = make_session("1", ann.id);
  ASSERT_TRUE(create_user(ann, session).has_value());
  ASSERT_TRUE(create_user(bob, make_session("2", bob.id)).has_value());
  ASSERT_TRUE(find_both(ann.id, session.id).session.has_value());
  const auto crossed = find_both(bob.id, session.id);
  EXPECT_TRUE(crossed.user.has_value());
  EXPECT_FALSE(crossed.session.has_value());
}

TEST_F(sqlite_store_test, a_second_store_on_the_same_file_is_refused_while_the_first_is_open) {
  // Another process writing behind the cache would make it lie; several instances need PostgreSQL.
  auto second = sqlite_store::open(sqlite_options{.file = file_, .connections = 1});
  ASSERT_FALSE(second.has_value());
  EXPECT_THAT(second.error(), HasSubstr("another authd process is serving this SQLite database"));
  store_.reset();
  EXPECT_TRUE(sqlite_store::open(sqlite_options{.file = file_, .connections = 1}).has_value());
}

TEST_F(sqlite_store_test, ping_answers) {
  EXPECT_TRUE(run_sync(io_, store_->ping()));
}

TEST_F(sqlite_store_test, a_held_write_lock_makes_writes_unavailable_but_not_reads) {
  open_store(std::chrono::milliseconds(20));
  const auto ann = make_user("1", "ann@example.com");
  ASSERT_TRUE(create_user(ann, make_session("1", ann.id)).has_value());

  raw_sqlite raw(file_);
  raw.exec("BEGIN IMMEDIATE");
  const auto bob = make_user("2", "bob@example.com");
  auto created = create_user(bob, make_session("2", bob.id));
  ASSERT_FALSE(created.has_value());
  EXPECT_EQ(created.error(), store_error::unavailable);
  // WAL: readers go on while someone writes.
  EXPECT_TRUE(find_by_key("ann@example.com").has_value());
  EXPECT_TRUE(run_sync(io_, store_->ping()));
  raw.exec("ROLLBACK");
  EXPECT_TRUE(create_user(bob, make_session("2", bob.id)).has_value());
}

TEST_F(sqlite_store_test, concurrent_registrations_of_one_email_key_give_exactly_one_user) {
  constexpr int threads = 8;
  std::atomic<int> created{0};
  std::atomic<int> duplicates{0};
  std::atomic<int> others{0};
  std::vector<std::thread> workers;
  for (int i = 0; i < threads; ++i) {
    workers.emplace_back([&, i] {
      boost::asio::io_context io;
      const auto user = make_user(std::to_string(i), "race@example.com");
      auto done = run_sync(io, store_->create_user(user, make_session(std::to_string(i), user.id)));
      if (done.has_value()) {
        ++created;
      } else if (done.error() == store_error::duplicate_email) {
        ++duplicates;
      } else {
        ++others;
      }
    });
  }
  for (auto& worker : workers) worker.join();
  EXPECT_EQ(created.load(), 1);
  EXPECT_EQ(duplicates.load(), threads - 1);
  EXPECT_EQ(others.load(), 0);
  raw_sqlite raw(file_);
  EXPECT_EQ(raw.query_int("SELECT count(*) FROM users"), 1);
  EXPECT_EQ(raw.query_int("SELECT count(*) FROM sessions"), 1);
}

TEST_F(sqlite_store_test, data_survives_closing_and_reopening) {
  const auto ann = make_user("1", "ann@example.com");
  const auto session = make_session("1", ann.id);
  ASSERT_TRUE(create_user(ann, session).has_value());
  ASSERT_TRUE(run_sync(io_, store_->revoke_session(session.id, 77)).has_value());
  store_.reset();
  open_store();
  auto both = find_both(ann.id, session.id);
  ASSERT_TRUE(both.user.has_value());
  ASSERT_TRUE(both.session.has_value());
  expect_same(*both.user, ann);
  EXPECT_EQ(both.session->revoked, std::optional<micros>(77));
}

TEST_F(sqlite_store_test, throttling_follows_the_rule) {
  test_support::check_throttle_rule(*store_, io_);
}

TEST_F(sqlite_store_test, throttling_reads_clears_and_sweeps_keys) {
  test_support::check_throttle_bookkeeping(*store_, io_);
}

TEST_F(sqlite_store_test, concurrent_throttle_failures_on_one_key_each_count_once) {
  constexpr int threads = 8;
  constexpr int per_thread = 5;
  std::mutex mutex;
  std::vector<std::int64_t> counts;
  std::vector<std::thread> workers;
  for (int i = 0; i < threads; ++i) {
    workers.emplace_back([&] {
      boost::asio::io_context io;
      for (int j = 0; j < per_thread; ++j) {
        const std::vector<throttle_hit> hits{{"shared", test_support::scenario_rule}};
        auto states = test_support::record(*store_, io, hits, test_support::at_second(0));
        std::lock_guard lock(mutex);
        counts.push_back(states && states->size() == 1 ? states->front().failures : -1);
      }
    });
  }
  for (auto& worker : workers) worker.join();
  std::sort(counts.begin(), counts.end());
  std::vector<std::int64_t> expected(threads * per_thread);
  for (std::size_t i = 0; i < expected.size(); ++i) expected[i] = static_cast<std::int64_t>(i) + 1;
  EXPECT_EQ(counts, expected) << "every failure counted exactly once";
}

TEST(sqlite_store_open, refuses_a_missing_or_unmigrated_database_and_zero_connections) {
  temp_dir dir;
  const auto file = dir.path() / "authd.db";
  auto missing = sqlite_store::open(sqlite_options{.file = file});
  ASSERT_FALSE(missing.has_value());
  EXPECT_THAT(missing.error(), HasSubstr(file.string()));
  EXPECT_FALSE(std::filesystem::exists(file));

  ASSERT_TRUE(migrator::open(file).has_value());  // creates the file, applies nothing
  auto unmigrated = sqlite_store::open(sqlite_options{.file = file});
  ASSERT_FALSE(unmigrated.has_value());
  EXPECT_THAT(unmigrated.error(), HasSubstr("migrate up"));

  auto none = sqlite_store::open(sqlite_options{.file = file, .connections = 0});
  EXPECT_FALSE(none.has_value());
}

// Sessions you can see and end (issue 6): list, touch, end one, end the others, change password.
session_record session_at(const std::string& n, const std::string& user_id, micros created,
                          micros expires = 2'000'000'000'000'000) {
  auto s = make_session(n, user_id, expires);
  s.created = created;
  return s;
}

constexpr micros list_now = 1'800'000'000'000'000;

TEST_F(sqlite_store_test, lists_live_sessions_of_the_user_newest_first) {
  const auto ann = make_user("1", "ann@example.com");
  const auto bob = make_user("2", "bob@example.com");
  ASSERT_TRUE(create_user(ann, session_at("1", ann.id, 1000)).has_value());
  ASSERT_TRUE(create_user(bob, session_at("5", bob.id, 3000)).has_value());
  ASSERT_TRUE(run_sync(io_, store_->create_session(session_at("2", ann.id, 2000))).has_value());
  ASSERT_TRUE(run_sync(io_, store_->create_session(session_at("3", ann.id, 2500))).has_value());  // revoked
  ASSERT_TRUE(
      run_sync(io_, store_->create_session(session_at("4", ann.id, 2600, list_now))).has_value());  // expired
  ASSERT_TRUE(run_sync(io_, store_->revoke_session(make_session("3", "").id, 5000)).has_value());

  auto listed = run_sync(io_, store_->list_live_sessions(ann.id, list_now));
  ASSERT_TRUE(listed.has_value());
  ASSERT_EQ(listed->size(), 2u);
  expect_same((*listed)[0], session_at("2", ann.id, 2000));
  expect_same((*listed)[1], session_at("1", ann.id, 1000));
  EXPECT_EQ((*listed)[0].last_used, 2000) << "never touched: last_used is created";
  EXPECT_TRUE(run_sync(io_, store_->list_live_sessions(make_user("3", "").id, list_now))->empty());
  EXPECT_TRUE(run_sync(io_, store_->list_live_sessions("not-an-id", list_now))->empty());
}

TEST_F(sqlite_store_test, touch_records_last_used_and_never_moves_it_back) {
  const auto ann = make_user("1", "ann@example.com");
  const auto session = session_at("1", ann.id, 1000);
  ASSERT_TRUE(create_user(ann, session).has_value());
  EXPECT_EQ(find_both(ann.id, session.id).session->last_used, 1000);
  ASSERT_TRUE(run_sync(io_, store_->touch_session(session.id, 9000)).has_value());
  EXPECT_EQ(find_both(ann.id, session.id).session->last_used, 9000);
  ASSERT_TRUE(run_sync(io_, store_->touch_session(session.id, 8000)).has_value());
  EXPECT_EQ(find_both(ann.id, session.id).session->last_used, 9000);
  EXPECT_EQ(run_sync(io_, store_->list_live_sessions(ann.id, list_now))->at(0).last_used, 9000);
  EXPECT_TRUE(run_sync(io_, store_->touch_session("not-an-id", 9000)).has_value());
}

TEST_F(sqlite_store_test, end_session_ends_only_a_live_session_of_that_user) {
  const auto ann = make_user("1", "ann@example.com");
  const auto bob = make_user("2", "bob@example.com");
  const auto mine = session_at("1", ann.id, 1000);
  const auto expired = session_at("2", ann.id, 1000, 1500);
  ASSERT_TRUE(create_user(ann, mine).has_value());
  ASSERT_TRUE(create_user(bob, session_at("3", bob.id, 1000)).has_value());
  ASSERT_TRUE(run_sync(io_, store_->create_session(expired)).has_value());

  EXPECT_FALSE(*run_sync(io_, store_->end_session(bob.id, mine.id, 5000))) << "another user's session";
  EXPECT_FALSE(find_both(ann.id, mine.id).session->revoked.has_value());
  EXPECT_FALSE(*run_sync(io_, store_->end_session(ann.id, expired.id, 5000))) << "an expired session";
  EXPECT_FALSE(*run_sync(io_, store_->end_session(ann.id, "not-an-id", 5000)));
  EXPECT_TRUE(*run_sync(io_, store_->end_session(ann.id, mine.id, 5000)));
  EXPECT_EQ(find_both(ann.id, mine.id).session->revoked, std::optional<micros>(5000));
  EXPECT_FALSE(*run_sync(io_, store_->end_session(ann.id, mine.id, 6000))) << "already ended";
  EXPECT_EQ(find_both(ann.id, mine.id).session->revoked, std::optional<micros>(5000));
}

TEST_F(sqlite_store_test, end_sessions_except_keeps_one_and_counts_the_others) {
  const auto ann = make_user("1", "ann@example.com");
  const auto bob = make_user("2", "bob@example.com");
  ASSERT_TRUE(create_user(ann, session_at("1", ann.id, 1000)).has_value());
  ASSERT_TRUE(run_sync(io_, store_->create_session(session_at("2", ann.id, 1000))).has_value());
  ASSERT_TRUE(run_sync(io_, store_->create_session(session_at("3", ann.id, 1000))).has_value());
  ASSERT_TRUE(create_user(bob, session_at("4", bob.id, 1000)).has_value());
  const auto keep = make_session("2", "").id;

  auto ended = run_sync(io_, store_->end_sessions_except(ann.id, keep, 5000));
  ASSERT_TRUE(ended.has_value());
  EXPECT_EQ(*ended, 2u);
  EXPECT_EQ(find_both(ann.id, make_session("1", "").id).session->revoked, std::optional<micros>(5000));
  EXPECT_FALSE(find_both(ann.id, keep).session->revoked.has_value());
  EXPECT_FALSE(find_both(bob.id, make_session("4", "").id).session->revoked.has_value()) << "another user's";

  EXPECT_EQ(*run_sync(io_, store_->end_sessions_except(ann.id, "", 6000)), 1u) << "none kept: the last one";
  EXPECT_EQ(find_both(ann.id, keep).session->revoked, std::optional<micros>(6000));
  EXPECT_EQ(*run_sync(io_, store_->end_sessions_except(ann.id, "", 7000)), 0u);
}

TEST_F(sqlite_store_test, change_password_stores_the_hash_ends_every_session_and_starts_one) {
  const auto ann = make_user("1", "ann@example.com");
  const auto bob = make_user("2", "bob@example.com");
  ASSERT_TRUE(create_user(ann, session_at("1", ann.id, 1000)).has_value());
  ASSERT_TRUE(run_sync(io_, store_->create_session(session_at("2", ann.id, 1000))).has_value());
  ASSERT_TRUE(create_user(bob, session_at("3", bob.id, 1000)).has_value());
  const auto fresh = session_at("4", ann.id, 5000);

  ASSERT_TRUE(run_sync(io_, store_->change_password(ann.id, "$argon2id$changed", fresh, 5000)).has_value());
  EXPECT_EQ(find_by_key("ann@example.com")->password_hash, "$argon2id$changed");
  EXPECT_EQ(find_both(ann.id, make_session("1", "").id).session->revoked, std::optional<micros>(5000));
  EXPECT_EQ(find_both(ann.id, make_session("2", "").id).session->revoked, std::optional<micros>(5000));
  EXPECT_FALSE(find_both(ann.id, fresh.id).session->revoked.has_value());
  EXPECT_FALSE(find_both(bob.id, make_session("3", "").id).session->revoked.has_value());
  EXPECT_EQ(find_by_key("bob@example.com")->password_hash, bob.password_hash);
  auto listed = run_sync(io_, store_->list_live_sessions(ann.id, list_now));
  ASSERT_EQ(listed->size(), 1u);
  EXPECT_EQ(listed->at(0).id, fresh.id);
}

TEST_F(sqlite_store_test, a_failed_password_change_changes_nothing) {
  const auto ann = make_user("1", "ann@example.com");
  const auto first = session_at("1", ann.id, 1000);
  ASSERT_TRUE(create_user(ann, first).has_value());
  // The new session's id is taken: the insert fails last, after the hash and the revocations.
  auto changed = run_sync(io_, store_->change_password(ann.id, "$argon2id$changed", first, 5000));
  EXPECT_FALSE(changed.has_value());
  EXPECT_EQ(find_by_key("ann@example.com")->password_hash, ann.password_hash);
  EXPECT_FALSE(find_both(ann.id, first.id).session->revoked.has_value());
}

// Every write of the sessions feature forgets what the cache held: a revoked token must never be
// accepted from the cache.
TEST_F(sqlite_store_test, a_cached_session_shows_end_session) {
  const auto ann = make_user("1", "ann@example.com");
  const auto session = make_session("1", ann.id);
  ASSERT_TRUE(create_user(ann, session).has_value());
  ASSERT_FALSE(find_both(ann.id, session.id).session->revoked.has_value());
  ASSERT_FALSE(find_both(ann.id, session.id).session->revoked.has_value());  // now from the cache
  ASSERT_TRUE(*run_sync(io_, store_->end_session(ann.id, session.id, 5000)));
  EXPECT_EQ(find_both(ann.id, session.id).session->revoked, std::optional<micros>(5000));
}

TEST_F(sqlite_store_test, cached_sessions_show_end_sessions_except) {
  const auto ann = make_user("1", "ann@example.com");
  const auto one = make_session("1", ann.id);
  const auto two = make_session("2", ann.id);
  ASSERT_TRUE(create_user(ann, one).has_value());
  ASSERT_TRUE(run_sync(io_, store_->create_session(two)).has_value());
  for (int i = 0; i < 2; ++i) {  // the second round comes from the cache
    ASSERT_FALSE(find_both(ann.id, one.id).session->revoked.has_value());
    ASSERT_FALSE(find_both(ann.id, two.id).session->revoked.has_value());
  }
  ASSERT_EQ(*run_sync(io_, store_->end_sessions_except(ann.id, one.id, 5000)), 1u);
  EXPECT_FALSE(find_both(ann.id, one.id).session->revoked.has_value());
  EXPECT_EQ(find_both(ann.id, two.id).session->revoked, std::optional<micros>(5000));
  ASSERT_EQ(*run_sync(io_, store_->end_sessions_except(ann.id, "", 6000)), 1u);
  EXPECT_EQ(find_both(ann.id, one.id).session->revoked, std::optional<micros>(6000));
}

TEST_F(sqlite_store_test, cached_sessions_and_user_show_a_password_change) {
  const auto ann = make_user("1", "ann@example.com");
  const auto old_session = make_session("1", ann.id);
  ASSERT_TRUE(create_user(ann, old_session).has_value());
  ASSERT_FALSE(find_both(ann.id, old_session.id).session->revoked.has_value());
  ASSERT_FALSE(find_both(ann.id, old_session.id).session->revoked.has_value());  // cached
  const auto fresh = make_session("2", ann.id);
  ASSERT_TRUE(run_sync(io_, store_->change_password(ann.id, "$argon2id$changed", fresh, 5000)).has_value());
  const auto old_found = find_both(ann.id, old_session.id);
  EXPECT_EQ(old_found.session->revoked, std::optional<micros>(5000));
  EXPECT_EQ(old_found.user->password_hash, "$argon2id$changed");
  EXPECT_FALSE(find_both(ann.id, fresh.id).session->revoked.has_value());
}

TEST_F(sqlite_store_test, a_cached_session_shows_its_last_use) {
  const auto ann = make_user("1", "ann@example.com");
  const auto session = make_session("1", ann.id);
  ASSERT_TRUE(create_user(ann, session).has_value());
  ASSERT_EQ(find_both(ann.id, session.id).session->last_used, session.created);
  ASSERT_EQ(find_both(ann.id, session.id).session->last_used, session.created);  // cached
  ASSERT_TRUE(run_sync(io_, store_->touch_session(session.id, session.created + 90'000'000)).has_value());
  EXPECT_EQ(find_both(ann.id, session.id).session->last_used, session.created + 90'000'000);
}

}  // namespace
}  // namespace authd::store::sqlite
