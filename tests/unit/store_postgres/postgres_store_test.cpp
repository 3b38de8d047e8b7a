// The PostgreSQL store's semantics, the same as the SQLite store's (tests/unit/store/sqlite_store_test.cpp).
// g++ 12 at -O1 reports a false maybe-uninitialized inside co_spawn's completion for a result
// holding a std::vector (run_sync of list_live_sessions); the state must be set before any header.
#pragma GCC diagnostic ignored "-Wmaybe-uninitialized"
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <limits>

#include "unit/store/throttle_checks.hpp"
#include "unit/store_postgres/postgres_store_fixture.hpp"

namespace authd::store::postgres {
namespace {

using namespace store_testing;
using ::testing::HasSubstr;

TEST_F(postgres_store_test, creates_a_user_with_a_session_and_finds_both) {
  const auto user = make_user(1, "ann@example.com");
  const auto session = make_session(1, user.id);
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

TEST_F(postgres_store_test, find_by_email_key_is_exact) {
  const auto ann = make_user(1, "ann@example.com");
  ASSERT_TRUE(create_user(ann, make_session(1, ann.id)).has_value());
  EXPECT_FALSE(find_by_key("bob@example.com").has_value());
  EXPECT_FALSE(find_by_key("ann@example.co").has_value());
  EXPECT_FALSE(find_by_key("ANN@example.com").has_value());
  EXPECT_FALSE(find_by_key("").has_value());
}

TEST_F(postgres_store_test, a_taken_email_key_is_duplicate_email_and_writes_nothing) {
  const auto first = make_user(1, "ann@example.com");
  ASSERT_TRUE(create_user(first, make_session(1, first.id)).has_value());

  auto second = make_user(2, "ann@example.com");
  second.name = "Impostor";
  const auto second_session = make_session(2, second.id);
  auto created = create_user(second, second_session);
  ASSERT_FALSE(created.has_value());
  EXPECT_EQ(created.error(), store_error::duplicate_email);

  auto both = find_both(second.id, second_session.id);
  EXPECT_FALSE(both.user.has_value());
  EXPECT_FALSE(both.session.has_value()) << "the session of a refused registration must not be stored";
  EXPECT_EQ(find_by_key("ann@example.com")->name, first.name);
}

TEST_F(postgres_store_test, a_failing_session_insert_undoes_the_user_and_leaves_the_connection_clean) {
  auto o = options();
  o.pool_size = 1;
  open_store(o);
  const auto first = make_user(1, "ann@example.com");
  const auto session = make_session(1, first.id);
  ASSERT_TRUE(create_user(first, session).has_value());

  // The same session id again: the user row goes in, the session row fails, both must vanish.
  const auto second = make_user(2, "bob@example.com");
  auto reused = session;
  reused.user_id = second.id;
  auto created = create_user(second, reused);
  ASSERT_FALSE(created.has_value());
  EXPECT_EQ(created.error(), store_error::internal);
  EXPECT_FALSE(find_by_key("bob@example.com").has_value());

  // The one connection was rolled back, not left in an aborted transaction, and is still in use.
  const auto third = make_user(3, "cy@example.com");
  EXPECT_TRUE(create_user(third, make_session(3, third.id)).has_value());
  EXPECT_EQ(raw_postgres(database_.url()).query_int("SELECT count(*) FROM users"), 2);
  EXPECT_EQ(store_->connections().open, 1u);
}

TEST_F(postgres_store_test, internal_errors_are_logged_without_bound_values) {
  const auto first = make_user(1, "ann@example.com");
  const auto session = make_session(1, first.id);
  ASSERT_TRUE(create_user(first, session).has_value());

  const auto second = make_user(2, "bob@example.com");
  result<void> created;
  std::string logged;
  {
    log_capture capture;
    created = create_user(second, make_session(1, second.id));
    logged = capture.text();
  }
  ASSERT_FALSE(created.has_value());
  EXPECT_THAT(logged, HasSubstr("sessions_pkey")) << "the log says what failed";
  EXPECT_THAT(logged, HasSubstr("23505"));
  EXPECT_EQ(logged.find(second.password_hash), std::string::npos);
  EXPECT_EQ(logged.find("bob@example.com"), std::string::npos);
  EXPECT_EQ(logged.find(session.id), std::string::npos);
  EXPECT_EQ(logged.find(database_.name()), std::string::npos) << "nothing of the URL";
}

TEST_F(postgres_store_test, find_user_and_session_covers_every_combination) {
  const auto ann = make_user(1, "ann@example.com");
  const auto ann_session = make_session(1, ann.id);
  const auto bob = make_user(2, "bob@example.com");
  const auto bob_session = make_session(2, bob.id);
  ASSERT_TRUE(create_user(ann, ann_session).has_value());
  ASSERT_TRUE(create_user(bob, bob_session).has_value());
  const auto no_user = test_uuid("00000000", 999);
  const auto no_session = test_uuid("11111111", 999);

  // user and session
  auto both = find_both(ann.id, ann_session.id);
  EXPECT_TRUE(both.user.has_value());
  EXPECT_TRUE(both.session.has_value());

  // user, no such session
  auto user_only = find_both(ann.id, no_session);
  EXPECT_TRUE(user_only.user.has_value());
  EXPECT_FALSE(user_only.session.has_value());

  // user, but the session is another user's
  auto foreign = find_both(ann.id, bob_session.id);
  ASSERT_TRUE(foreign.user.has_value());
  EXPECT_EQ(foreign.user->id, ann.id);
  EXPECT_FALSE(foreign.session.has_value());

  // neither
  auto neither = find_both(no_user, no_session);
  EXPECT_FALSE(neither.user.has_value());
  EXPECT_FALSE(neither.session.has_value());

  // ids that are not canonical UUIDs name nothing (as in SQLite, which compares text), and are
  // not an error either
  auto cy = make_user(3, "cy@example.com");
  cy.id = "abcdef00-0000-4000-8000-00000000000c";
  const auto cy_session = make_session(3, cy.id);
  ASSERT_TRUE(create_user(cy, cy_session).has_value());
  EXPECT_TRUE(find_both(cy.id, cy_session.id).user.has_value());
  auto odd = find_both("not-a-uuid", ann_session.id);
  EXPECT_FALSE(odd.user.has_value());
  EXPECT_FALSE(odd.session.has_value());
  auto odd_session = find_both(ann.id, "not-a-uuid");
  EXPECT_TRUE(odd_session.user.has_value());
  EXPECT_FALSE(odd_session.session.has_value());
  const auto upper = find_both("ABCDEF00-0000-4000-8000-00000000000C", cy_session.id);
  EXPECT_FALSE(upper.user.has_value());
  EXPECT_FALSE(upper.session.has_value());
  EXPECT_FALSE(find_both(ann.id.substr(1), ann_session.id).user.has_value());

  // a session whose user is gone (only possible behind the store's back, foreign keys off)
  const auto ghost = test_uuid("00000000", 777);
  const auto orphan = test_uuid("11111111", 777);
  {
    raw_postgres raw(database_.url());
    raw.exec("SET session_replication_role = replica");
    raw.exec("INSERT INTO sessions (id, user_id, created, expires) VALUES ('" + orphan + "', '" + ghost +
             "', now(), 'infinity')");
  }
  auto session_only = find_both(ghost, orphan);
  EXPECT_FALSE(session_only.user.has_value());
  ASSERT_TRUE(session_only.session.has_value());
  EXPECT_EQ(session_only.session->user_id, ghost);
  EXPECT_EQ(session_only.session->expires, std::numeric_limits<micros>::max()) << "infinity saturates";
}

TEST_F(postgres_store_test, create_session_adds_sessions_for_existing_users_only) {
  const auto ann = make_user(1, "ann@example.com");
  ASSERT_TRUE(create_user(ann, make_session(1, ann.id)).has_value());
  auto second = make_session(2, ann.id);
  second.user_agent = "";
  ASSERT_TRUE(run_sync(io_, store_->create_session(second)).has_value());
  auto found = find_both(ann.id, second.id);
  ASSERT_TRUE(found.session.has_value());
  expect_same(*found.session, second);

  auto dangling = run_sync(io_, store_->create_session(make_session(3, test_uuid("00000000", 999))));
  ASSERT_FALSE(dangling.has_value());
  EXPECT_EQ(dangling.error(), store_error::internal);
  auto not_an_id = run_sync(io_, store_->create_session(make_session(4, "no-such-user")));
  ASSERT_FALSE(not_an_id.has_value());
  EXPECT_EQ(not_an_id.error(), store_error::internal);
}

TEST_F(postgres_store_test, revoke_is_idempotent_and_keeps_the_first_time) {
  const auto ann = make_user(1, "ann@example.com");
  const auto session = make_session(1, ann.id);
  ASSERT_TRUE(create_user(ann, session).has_value());

  ASSERT_TRUE(run_sync(io_, store_->revoke_session(session.id, 5000)).has_value());
  EXPECT_EQ(find_both(ann.id, session.id).session->revoked, std::optional<micros>(5000));
  ASSERT_TRUE(run_sync(io_, store_->revoke_session(session.id, 9000)).has_value());
  EXPECT_EQ(find_both(ann.id, session.id).session->revoked, std::optional<micros>(5000));
  EXPECT_TRUE(run_sync(io_, store_->revoke_session(test_uuid("11111111", 999), 9000)).has_value());
  EXPECT_TRUE(run_sync(io_, store_->revoke_session("no-such-session", 9000)).has_value());
}

TEST_F(postgres_store_test, deletes_sessions_that_expired_or_were_revoked_before_a_time) {
  const auto ann = make_user(1, "ann@example.com");
  ASSERT_TRUE(create_user(ann, make_session(1, ann.id, /*expires=*/100)).has_value());  // expired
  ASSERT_TRUE(
      run_sync(io_, store_->create_session(make_session(2, ann.id, 1000))).has_value());  // revoked early
  ASSERT_TRUE(
      run_sync(io_, store_->create_session(make_session(3, ann.id, 1000))).has_value());  // revoked late
  ASSERT_TRUE(run_sync(io_, store_->create_session(make_session(4, ann.id, 1000))).has_value());  // live
  ASSERT_TRUE(
      run_sync(io_, store_->create_session(make_session(5, ann.id, 200))).has_value());  // expires at t
  ASSERT_TRUE(run_sync(io_, store_->revoke_session(make_session(2, "").id, 50)).has_value());
  ASSERT_TRUE(run_sync(io_, store_->revoke_session(make_session(3, "").id, 300)).has_value());

  auto deleted = run_sync(io_, store_->delete_sessions_ended_before(200));
  ASSERT_TRUE(deleted.has_value());
  EXPECT_EQ(*deleted, 2u);
  EXPECT_FALSE(find_both(ann.id, make_session(1, "").id).session.has_value());
  EXPECT_FALSE(find_both(ann.id, make_session(2, "").id).session.has_value());
  EXPECT_TRUE(find_both(ann.id, make_session(3, "").id).session.has_value());
  EXPECT_TRUE(find_both(ann.id, make_session(4, "").id).session.has_value());
  EXPECT_TRUE(find_both(ann.id, make_session(5, "").id).session.has_value());
  EXPECT_EQ(*run_sync(io_, store_->delete_sessions_ended_before(200)), 0u);
}

TEST_F(postgres_store_test, updates_the_password_hash) {
  const auto ann = make_user(1, "ann@example.com");
  ASSERT_TRUE(create_user(ann, make_session(1, ann.id)).has_value());
  ASSERT_TRUE(run_sync(io_, store_->update_password_hash(ann.id, "$argon2id$new")).has_value());
  EXPECT_EQ(find_by_key("ann@example.com")->password_hash, "$argon2id$new");
  EXPECT_TRUE(run_sync(io_, store_->update_password_hash("no-such-user", "$argon2id$x")).has_value());
}

TEST_F(postgres_store_test, ping_answers) {
  EXPECT_TRUE(run_sync(io_, store_->ping()));
}

TEST_F(postgres_store_test, times_are_stored_as_the_instants_they_name) {
  // Binary TIMESTAMPTZ counts from 2000-01-01: a wrong epoch would still round-trip, so look at
  // what PostgreSQL itself sees.
  auto ann = make_user(1, "ann@example.com");
  ann.created = 1'700'000'000'123'456;                     // 2023-11-14 22:13:20.123456 UTC
  auto session = make_session(1, ann.id, /*expires=*/-1);  // 1969-12-31 23:59:59.999999 UTC
  session.created = 0;
  session.revoked = 253'402'300'799'999'999;  // 9999-12-31 23:59:59.999999 UTC
  ASSERT_TRUE(create_user(ann, session).has_value());

  raw_postgres raw(database_.url());
  raw.exec("SET TIME ZONE 'UTC'");
  EXPECT_EQ(raw.query_text("SELECT to_char(created, 'YYYY-MM-DD HH24:MI:SS.US') FROM users"),
            "2023-11-14 22:13:20.123456");
  EXPECT_EQ(raw.query_text("SELECT to_char(expires, 'YYYY-MM-DD HH24:MI:SS.US') FROM sessions"),
            "1969-12-31 23:59:59.999999");
  EXPECT_EQ(raw.query_text("SELECT created = 'epoch' FROM sessions"), "t");
  EXPECT_EQ(raw.query_text("SELECT to_char(revoked, 'YYYY-MM-DD HH24:MI:SS.US') FROM sessions"),
            "9999-12-31 23:59:59.999999");

  auto both = find_both(ann.id, session.id);
  ASSERT_TRUE(both.user.has_value());
  ASSERT_TRUE(both.session.has_value());
  expect_same(*both.user, ann);
  expect_same(*both.session, session);
}

TEST_F(postgres_store_test, text_is_stored_byte_for_byte_as_utf8) {
  auto ann = make_user(1, "zoë@bücher.example");
  ann.name = "Zoë Ångström 東京 🙂 'quoted' \"double\" \\ ;--";
  auto session = make_session(1, ann.id);
  session.user_agent = std::string(4000, 'x');
  ASSERT_TRUE(create_user(ann, session).has_value());
  raw_postgres raw(database_.url());
  const auto characters =
      std::count_if(ann.name.begin(), ann.name.end(), [](char c) { return (c & 0xc0) != 0x80; });
  EXPECT_EQ(raw.query_int("SELECT char_length(name) FROM users"), characters)
      << "characters, not bytes: UTF-8";
  auto both = find_both(ann.id, session.id);
  ASSERT_TRUE(both.user.has_value());
  expect_same(*both.user, ann);
  EXPECT_EQ(both.session->user_agent, session.user_agent);
}

TEST_F(postgres_store_test, invalid_utf8_is_refused_as_internal) {
  auto ann = make_user(1, "ann@example.com");
  ann.name = "bad \xff byte";
  auto created = create_user(ann, make_session(1, ann.id));
  ASSERT_FALSE(created.has_value());
  EXPECT_EQ(created.error(), store_error::internal);
  EXPECT_FALSE(find_by_key("ann@example.com").has_value());
}

TEST_F(postgres_store_test, data_survives_closing_and_reopening) {
  const auto ann = make_user(1, "ann@example.com");
  const auto session = make_session(1, ann.id);
  ASSERT_TRUE(create_user(ann, session).has_value());
  ASSERT_TRUE(run_sync(io_, store_->revoke_session(session.id, 77)).has_value());
  open_store();
  auto both = find_both(ann.id, session.id);
  ASSERT_TRUE(both.user.has_value());
  ASSERT_TRUE(both.session.has_value());
  expect_same(*both.user, ann);
  EXPECT_EQ(both.session->revoked, std::optional<micros>(77));
}

TEST_F(postgres_store_test, throttling_follows_the_rule) {
  test_support::check_throttle_rule(*store_, io_);
}

TEST_F(postgres_store_test, throttling_reads_clears_and_sweeps_keys) {
  test_support::check_throttle_bookkeeping(*store_, io_);
}

// Several connections counting on one key at once (as several instances would): each failure is
// counted exactly once, none lost to a concurrent update or a concurrent first insert.
TEST_F(postgres_store_test, concurrent_throttle_failures_on_one_key_each_count_once) {
  auto o = options();
  o.pool_size = 6;
  open_store(o);
  constexpr int attempts = 40;
  std::vector<std::int64_t> counts;
  const std::vector<throttle_hit> hits{{"shared", test_support::scenario_rule},
                                       {"other", test_support::scenario_rule}};
  for (int i = 0; i < attempts; ++i) {
    boost::asio::co_spawn(
        io_,
        [&]() -> boost::asio::awaitable<void> {
          auto states = co_await store_->record_throttle_failures(hits, test_support::at_second(0));
          counts.push_back(states && states->size() == 2 ? states->front().failures : -1);
        },
        boost::asio::detached);
  }
  io_.restart();
  io_.run();
  std::sort(counts.begin(), counts.end());
  std::vector<std::int64_t> expected(attempts);
  for (int i = 0; i < attempts; ++i) expected[static_cast<std::size_t>(i)] = i + 1;
  EXPECT_EQ(counts, expected);
}

TEST(postgres_store_schema, an_unmigrated_database_is_internal_and_recovers_once_migrated) {
  test_database database;
  boost::asio::io_context io;
  postgres_store store(io.get_executor(), options_for(database.url(), 1));
  EXPECT_FALSE(run_sync(io, store.ping()));
  auto found = run_sync(io, store.find_user_by_email_key("ann@example.com"));
  ASSERT_FALSE(found.has_value());
  EXPECT_EQ(found.error(), store_error::internal);
  EXPECT_EQ(store.connections().open, 0u) << "a connection that could not prepare its statements is not kept";

  database.create_schema();
  EXPECT_TRUE(run_sync(io, store.ping()));
}

// Sessions you can see and end (issue 6): list, touch, end one, end the others, change password.
session_record session_at(unsigned long n, const std::string& user_id, micros created,
                          micros expires = 2'000'000'000'000'000) {
  auto s = make_session(n, user_id, expires);
  s.created = created;
  return s;
}

constexpr micros list_now = 1'800'000'000'000'000;

TEST_F(postgres_store_test, lists_live_sessions_of_the_user_newest_first) {
  const auto ann = make_user(1, "ann@example.com");
  const auto bob = make_user(2, "bob@example.com");
  ASSERT_TRUE(create_user(ann, session_at(1, ann.id, 1000)).has_value());
  ASSERT_TRUE(create_user(bob, session_at(5, bob.id, 3000)).has_value());
  ASSERT_TRUE(run_sync(io_, store_->create_session(session_at(2, ann.id, 2000))).has_value());
  ASSERT_TRUE(run_sync(io_, store_->create_session(session_at(3, ann.id, 2500))).has_value());  // revoked
  ASSERT_TRUE(
      run_sync(io_, store_->create_session(session_at(4, ann.id, 2600, list_now))).has_value());  // expired
  ASSERT_TRUE(run_sync(io_, store_->revoke_session(make_session(3, "").id, 5000)).has_value());

  auto listed = run_sync(io_, store_->list_live_sessions(ann.id, list_now));
  ASSERT_TRUE(listed.has_value());
  ASSERT_EQ(listed->size(), 2u);
  expect_same((*listed)[0], session_at(2, ann.id, 2000));
  expect_same((*listed)[1], session_at(1, ann.id, 1000));
  EXPECT_EQ((*listed)[0].last_used, 2000) << "never touched: last_used is created";
  EXPECT_TRUE(run_sync(io_, store_->list_live_sessions(make_user(3, "").id, list_now))->empty());
  EXPECT_TRUE(run_sync(io_, store_->list_live_sessions("not-an-id", list_now))->empty());
}

TEST_F(postgres_store_test, touch_records_last_used_and_never_moves_it_back) {
  const auto ann = make_user(1, "ann@example.com");
  const auto session = session_at(1, ann.id, 1000);
  ASSERT_TRUE(create_user(ann, session).has_value());
  EXPECT_EQ(find_both(ann.id, session.id).session->last_used, 1000);
  ASSERT_TRUE(run_sync(io_, store_->touch_session(session.id, 9000)).has_value());
  EXPECT_EQ(find_both(ann.id, session.id).session->last_used, 9000);
  ASSERT_TRUE(run_sync(io_, store_->touch_session(session.id, 8000)).has_value());
  EXPECT_EQ(find_both(ann.id, session.id).session->last_used, 9000);
  EXPECT_EQ(run_sync(io_, store_->list_live_sessions(ann.id, list_now))->at(0).last_used, 9000);
  EXPECT_TRUE(run_sync(io_, store_->touch_session("not-an-id", 9000)).has_value());
}

TEST_F(postgres_store_test, end_session_ends_only_a_live_session_of_that_user) {
  const auto ann = make_user(1, "ann@example.com");
  const auto bob = make_user(2, "bob@example.com");
  const auto mine = session_at(1, ann.id, 1000);
  const auto expired = session_at(2, ann.id, 1000, 1500);
  ASSERT_TRUE(create_user(ann, mine).has_value());
  ASSERT_TRUE(create_user(bob, session_at(3, bob.id, 1000)).has_value());
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

TEST_F(postgres_store_test, end_sessions_except_keeps_one_and_counts_the_others) {
  const auto ann = make_user(1, "ann@example.com");
  const auto bob = make_user(2, "bob@example.com");
  ASSERT_TRUE(create_user(ann, session_at(1, ann.id, 1000)).has_value());
  ASSERT_TRUE(run_sync(io_, store_->create_session(session_at(2, ann.id, 1000))).has_value());
  ASSERT_TRUE(run_sync(io_, store_->create_session(session_at(3, ann.id, 1000))).has_value());
  ASSERT_TRUE(create_user(bob, session_at(4, bob.id, 1000)).has_value());
  const auto keep = make_session(2, "").id;

  auto ended = run_sync(io_, store_->end_sessions_except(ann.id, keep, 5000));
  ASSERT_TRUE(ended.has_value());
  EXPECT_EQ(*ended, 2u);
  EXPECT_EQ(find_both(ann.id, make_session(1, "").id).session->revoked, std::optional<micros>(5000));
  EXPECT_FALSE(find_both(ann.id, keep).session->revoked.has_value());
  EXPECT_FALSE(find_both(bob.id, make_session(4, "").id).session->revoked.has_value()) << "another user's";

  EXPECT_EQ(*run_sync(io_, store_->end_sessions_except(ann.id, "", 6000)), 1u) << "none kept: the last one";
  EXPECT_EQ(find_both(ann.id, keep).session->revoked, std::optional<micros>(6000));
  EXPECT_EQ(*run_sync(io_, store_->end_sessions_except(ann.id, "", 7000)), 0u);
}

TEST_F(postgres_store_test, change_password_stores_the_hash_ends_every_session_and_starts_one) {
  const auto ann = make_user(1, "ann@example.com");
  const auto bob = make_user(2, "bob@example.com");
  ASSERT_TRUE(create_user(ann, session_at(1, ann.id, 1000)).has_value());
  ASSERT_TRUE(run_sync(io_, store_->create_session(session_at(2, ann.id, 1000))).has_value());
  ASSERT_TRUE(create_user(bob, session_at(3, bob.id, 1000)).has_value());
  const auto fresh = session_at(4, ann.id, 5000);

  ASSERT_TRUE(run_sync(io_, store_->change_password(ann.id, "$argon2id$changed", fresh, 5000)).has_value());
  EXPECT_EQ(find_by_key("ann@example.com")->password_hash, "$argon2id$changed");
  EXPECT_EQ(find_both(ann.id, make_session(1, "").id).session->revoked, std::optional<micros>(5000));
  EXPECT_EQ(find_both(ann.id, make_session(2, "").id).session->revoked, std::optional<micros>(5000));
  EXPECT_FALSE(find_both(ann.id, fresh.id).session->revoked.has_value());
  EXPECT_FALSE(find_both(bob.id, make_session(3, "").id).session->revoked.has_value());
  EXPECT_EQ(find_by_key("bob@example.com")->password_hash, bob.password_hash);
  auto listed = run_sync(io_, store_->list_live_sessions(ann.id, list_now));
  ASSERT_EQ(listed->size(), 1u);
  EXPECT_EQ(listed->at(0).id, fresh.id);
}

TEST_F(postgres_store_test, a_failed_password_change_changes_nothing) {
  const auto ann = make_user(1, "ann@example.com");
  const auto first = session_at(1, ann.id, 1000);
  ASSERT_TRUE(create_user(ann, first).has_value());
  // The new session's id is taken: the insert fails last, after the hash and the revocations.
  auto changed = run_sync(io_, store_->change_password(ann.id, "$argon2id$changed", first, 5000));
  EXPECT_FALSE(changed.has_value());
  EXPECT_EQ(find_by_key("ann@example.com")->password_hash, ann.password_hash);
  EXPECT_FALSE(find_both(ann.id, first.id).session->revoked.has_value());
}

}  // namespace
}  // namespace authd::store::postgres
