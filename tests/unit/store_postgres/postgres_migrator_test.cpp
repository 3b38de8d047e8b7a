#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <atomic>
#include <cctype>
#include <thread>
#include <vector>

#include "store/postgres/postgres_migrations.hpp"
#include "unit/store_postgres/migrator_test_database.hpp"

namespace authd::store::postgres {
namespace {

using test_support::eventually;
using test_support::raw_postgres;
using test_support::test_database;
using ::testing::HasSubstr;
using ::testing::Not;

// pg_advisory_lock key of every authd migration run: the first 8 bytes of
// SHA-256("authd-migrations"). Fixed: instances of different authd versions must agree on it.
constexpr const char* lock_key = "8299412569870567427";

std::string ascii_lower(std::string_view email) {
  std::string out(email);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

// Synthetic migrations: the second one fails half-way when `broken`.
std::vector<embedded_file> synthetic(bool broken_up = false, bool broken_down = false) {
  return {{"0001_a.up.sql", "CREATE TABLE a (x INTEGER);"},
          {"0001_a.down.sql", "DROP TABLE a;"},
          {"0002_b.up.sql",
           broken_up ? "CREATE TABLE b (x INTEGER); INSERT INTO b VALUES (1); INSERT INTO nowhere VALUES (1);"
                     : "CREATE TABLE b (x INTEGER); INSERT INTO b VALUES (1);"},
          {"0002_b.down.sql", broken_down ? "DROP TABLE b; SELECT * FROM nowhere;" : "DROP TABLE b;"}};
}

std::vector<int> versions(const std::vector<migration>& list) {
  std::vector<int> out;
  for (const auto& m : list) out.push_back(m.version);
  return out;
}

migrator open_or_fail(const std::string& url, std::span<const embedded_file> files = embedded_migrations()) {
  auto opened = migrator::open(url, ascii_lower, files);
  if (!opened) throw std::runtime_error(opened.error());
  return std::move(*opened);
}

class migrator_test : public ::testing::Test {
 protected:
  test_database db_;
  raw_postgres raw_{db_.url()};
};

TEST_F(migrator_test, embedded_migrations_are_well_formed) {
  auto loaded = load_migrations(embedded_migrations());
  ASSERT_TRUE(loaded.has_value()) << loaded.error();
  ASSERT_EQ(loaded->size(), 4u);
  EXPECT_EQ((*loaded)[0].name, "0001_users");
  EXPECT_EQ((*loaded)[1].name, "0002_sessions");
  EXPECT_EQ((*loaded)[2].name, "0003_throttle");
  EXPECT_EQ((*loaded)[3].name, "0004_session_last_used");
}

TEST_F(migrator_test, embedded_migrations_go_up_down_and_up_again) {
  auto m = open_or_fail(db_.url());
  auto up = m.up();
  ASSERT_TRUE(up.has_value()) << up.error();
  EXPECT_EQ(versions(*up), (std::vector<int>{1, 2, 3, 4}));
  EXPECT_TRUE(raw_.has_table("users"));
  EXPECT_TRUE(raw_.has_table("sessions"));
  EXPECT_TRUE(raw_.has_table("throttle"));

  auto down = m.down(4);
  ASSERT_TRUE(down.has_value()) << down.error();
  EXPECT_EQ(versions(*down), (std::vector<int>{4, 3, 2, 1}));
  EXPECT_FALSE(raw_.has_table("users"));
  EXPECT_FALSE(raw_.has_table("sessions"));
  EXPECT_FALSE(raw_.has_table("throttle"));

  auto again = m.up();
  ASSERT_TRUE(again.has_value()) << again.error();
  EXPECT_EQ(again->size(), 4u);
}

// The store relies on exactly these columns and index names.
TEST_F(migrator_test, the_fresh_schema_is_the_one_the_store_expects) {
  ASSERT_TRUE(open_or_fail(db_.url()).up().has_value());
  auto columns = raw_.query(
      "SELECT attrelid::regclass::text, attname, format_type(atttypid, atttypmod), attnotnull::text, "
      "pg_get_expr(d.adbin, d.adrelid) FROM pg_attribute a LEFT JOIN pg_attrdef d "
      "ON d.adrelid = a.attrelid AND d.adnum = a.attnum "
      "WHERE attrelid IN ('users'::regclass, 'sessions'::regclass) AND attnum > 0 AND NOT attisdropped "
      "ORDER BY attrelid::regclass::text DESC, attnum");
  using r = test_support::row;
  const std::optional<std::string> none;
  EXPECT_EQ(columns, (std::vector<r>{
                         r{"users", "id", "uuid", "true", none},
                         r{"users", "name", "character varying", "true", none},
                         r{"users", "email", "character varying", "true", none},
                         r{"users", "hashed_password", "character varying", "true", none},
                         r{"users", "created", "timestamp with time zone", "true", none},
                         r{"users", "email_key", "text", "false", none},
                         r{"sessions", "id", "uuid", "true", none},
                         r{"sessions", "user_id", "uuid", "true", none},
                         r{"sessions", "created", "timestamp with time zone", "true", none},
                         r{"sessions", "expires", "timestamp with time zone", "true", none},
                         r{"sessions", "revoked", "timestamp with time zone", "false", none},
                         r{"sessions", "user_agent", "text", "true", "''::text"},
                         r{"sessions", "client_address", "text", "true", "''::text"},
                         r{"sessions", "last_used", "timestamp with time zone", "false", none},
                     }));
  auto indexes = raw_.query(
      "SELECT indexname, indexdef FROM pg_indexes WHERE tablename IN ('users', 'sessions') ORDER BY "
      "indexname");
  EXPECT_EQ(
      indexes,
      (std::vector<r>{
          r{"sessions_expires", "CREATE INDEX sessions_expires ON public.sessions USING btree (expires)"},
          r{"sessions_pkey", "CREATE UNIQUE INDEX sessions_pkey ON public.sessions USING btree (id)"},
          r{"sessions_revoked",
            "CREATE INDEX sessions_revoked ON public.sessions USING btree (revoked) WHERE (revoked IS "
            "NOT NULL)"},
          r{"sessions_user_id", "CREATE INDEX sessions_user_id ON public.sessions USING btree (user_id)"},
          r{"users_email_key", "CREATE UNIQUE INDEX users_email_key ON public.users USING btree (email_key)"},
          r{"users_pkey", "CREATE UNIQUE INDEX users_pkey ON public.users USING btree (id)"},
      }));
  EXPECT_EQ(
      raw_.text("SELECT pg_get_constraintdef(oid) FROM pg_constraint WHERE conrelid = 'sessions'::regclass "
                "AND contype = 'f'"),
      "FOREIGN KEY (user_id) REFERENCES users(id) ON DELETE CASCADE");
}

TEST_F(migrator_test, open_refuses_badly_formed_migrations) {
  const std::vector<embedded_file> files = {{"0001_a.up.sql", "CREATE TABLE a (x INTEGER);"}};
  auto m = migrator::open(db_.url(), ascii_lower, files);
  ASSERT_FALSE(m.has_value());
  EXPECT_THAT(m.error(), HasSubstr("0001_a.down.sql"));
}

TEST_F(migrator_test, connection_errors_never_show_the_password) {
  // A database named like the password makes libpq quote it back; the message must not.
  const std::string url = test_support::with_database(db_.url(), "pw_s3cret_value");
  const auto at = url.find("authd@");
  ASSERT_NE(at, std::string::npos) << "the test server's URL names the user authd";
  std::string with_password = url;
  with_password.replace(at, 6, "authd:pw_s3cret_value@");
  auto m = migrator::open(with_password, ascii_lower, synthetic());
  ASSERT_FALSE(m.has_value());
  EXPECT_THAT(m.error(), HasSubstr("cannot connect"));
  EXPECT_THAT(m.error(), Not(HasSubstr("s3cret")));
}

TEST_F(migrator_test, an_unparsable_url_is_refused_without_quoting_it) {
  // libpq's own message would quote the broken token, here a piece of the password.
  auto m = migrator::open("postgresql://authd:s3cret%zz@localhost/db", ascii_lower, synthetic());
  ASSERT_FALSE(m.has_value());
  EXPECT_THAT(m.error(), HasSubstr("not valid"));
  EXPECT_THAT(m.error(), Not(HasSubstr("s3cret")));
}

TEST_F(migrator_test, status_and_pending_change_nothing) {
  auto files = synthetic();
  auto m = open_or_fail(db_.url(), files);
  auto pending = m.pending();
  ASSERT_TRUE(pending.has_value()) << pending.error();
  EXPECT_EQ(*pending, 2);
  auto status = m.status();
  ASSERT_TRUE(status.has_value()) << status.error();
  ASSERT_EQ(status->size(), 2u);
  EXPECT_FALSE((*status)[0].applied_at.has_value());
  EXPECT_FALSE(raw_.has_table("schema_migrations"));
}

TEST_F(migrator_test, up_applies_in_order_once_and_records_each) {
  auto files = synthetic();
  auto m = open_or_fail(db_.url(), files);
  auto up = m.up();
  ASSERT_TRUE(up.has_value()) << up.error();
  EXPECT_EQ(versions(*up), (std::vector<int>{1, 2}));
  auto second = m.up();
  ASSERT_TRUE(second.has_value()) << second.error();
  EXPECT_TRUE(second->empty());
  EXPECT_EQ(*m.pending(), 0);

  EXPECT_EQ(raw_.integer("SELECT count(*) FROM schema_migrations"), 2);
  EXPECT_EQ(raw_.integer("SELECT count(*) FROM b"), 1);
  EXPECT_EQ(raw_.text("SELECT name FROM schema_migrations WHERE version = 2"), "0002_b");
  EXPECT_EQ(raw_.text("SELECT checksum FROM schema_migrations WHERE version = 2"),
            sha256_hex("CREATE TABLE b (x INTEGER); INSERT INTO b VALUES (1);"));
  EXPECT_EQ(raw_.text("SELECT applied_at <= now() AND applied_at > now() - interval '1 hour' "
                      "FROM schema_migrations WHERE version = 1"),
            "t");
}

TEST_F(migrator_test, status_shows_applied_and_pending) {
  auto files = synthetic();
  auto m = open_or_fail(db_.url(), files);
  ASSERT_TRUE(m.up().has_value());
  ASSERT_TRUE(m.down(1).has_value());
  auto status = m.status();
  ASSERT_TRUE(status.has_value()) << status.error();
  ASSERT_EQ(status->size(), 2u);
  EXPECT_EQ((*status)[0].name, "0001_a");
  ASSERT_TRUE((*status)[0].applied_at.has_value());
  const long long applied_at =
      raw_.integer("SELECT (extract(epoch FROM applied_at) * 1000000)::bigint FROM schema_migrations");
  EXPECT_EQ(*(*status)[0].applied_at, applied_at);
  EXPECT_FALSE((*status)[0].checksum_mismatch);
  EXPECT_EQ((*status)[1].name, "0002_b");
  EXPECT_FALSE((*status)[1].applied_at.has_value());
  EXPECT_EQ(*m.pending(), 1);
}

TEST_F(migrator_test, down_reverts_the_most_recent_and_refuses_too_many) {
  auto files = synthetic();
  auto m = open_or_fail(db_.url(), files);
  ASSERT_TRUE(m.up().has_value());
  ASSERT_FALSE(m.down(3).has_value());
  EXPECT_TRUE(raw_.has_table("b")) << "a refused down must revert nothing";

  auto down = m.down(1);
  ASSERT_TRUE(down.has_value()) << down.error();
  EXPECT_EQ(versions(*down), (std::vector<int>{2}));
  EXPECT_FALSE(raw_.has_table("b"));
  EXPECT_TRUE(raw_.has_table("a"));
  EXPECT_EQ(raw_.integer("SELECT count(*) FROM schema_migrations"), 1);
}

TEST_F(migrator_test, an_applied_file_that_changed_is_an_error) {
  auto files = synthetic();
  auto m = open_or_fail(db_.url(), files);
  ASSERT_TRUE(m.up().has_value());
  raw_.exec("UPDATE schema_migrations SET checksum = 'feedface' WHERE version = 1");

  auto up = m.up();
  ASSERT_FALSE(up.has_value());
  EXPECT_THAT(up.error(), HasSubstr("0001_a.up.sql"));
  EXPECT_FALSE(m.pending().has_value());

  auto status = m.status();
  ASSERT_TRUE(status.has_value()) << status.error();
  EXPECT_TRUE((*status)[0].checksum_mismatch);
  EXPECT_FALSE((*status)[1].checksum_mismatch);

  EXPECT_FALSE(m.down(2).has_value());
  EXPECT_TRUE(raw_.has_table("b")) << "the refused down must not have reverted 0002 first";
}

TEST_F(migrator_test, a_database_newer_than_the_binary_is_an_error) {
  auto files = synthetic();
  auto m = open_or_fail(db_.url(), files);
  ASSERT_TRUE(m.up().has_value());
  raw_.exec("INSERT INTO schema_migrations VALUES (3, '0003_c', 'abc', now())");

  auto up = m.up();
  ASSERT_FALSE(up.has_value());
  EXPECT_THAT(up.error(), HasSubstr("0003"));
  EXPECT_FALSE(m.pending().has_value());
  auto status = m.status();
  ASSERT_TRUE(status.has_value()) << status.error();
  ASSERT_EQ(status->size(), 3u);
  EXPECT_TRUE((*status)[2].unknown);
}

TEST_F(migrator_test, a_failing_migration_rolls_back_completely) {
  auto files = synthetic(/*broken_up=*/true);
  auto m = open_or_fail(db_.url(), files);
  auto up = m.up();
  ASSERT_FALSE(up.has_value());
  EXPECT_THAT(up.error(), HasSubstr("0002_b.up.sql"));
  EXPECT_THAT(up.error(), HasSubstr("nowhere"));

  EXPECT_TRUE(raw_.has_table("a")) << "0001 succeeded and stays";
  EXPECT_FALSE(raw_.has_table("b")) << "0002 created b before failing; that must be undone";
  EXPECT_EQ(raw_.integer("SELECT count(*) FROM schema_migrations"), 1);
  EXPECT_EQ(*m.pending(), 1);
  // The failed run left neither an aborted transaction nor the lock behind.
  auto fixed = synthetic();
  auto retry = open_or_fail(db_.url(), fixed).up();
  ASSERT_TRUE(retry.has_value()) << retry.error();
  EXPECT_EQ(versions(*retry), (std::vector<int>{2}));
}

TEST_F(migrator_test, a_failing_first_migration_leaves_no_schema_migrations) {
  const std::vector<embedded_file> files = {
      {"0001_a.up.sql", "CREATE TABLE a (x INTEGER); SELECT * FROM nowhere;"},
      {"0001_a.down.sql", "DROP TABLE a;"}};
  auto up = open_or_fail(db_.url(), files).up();
  ASSERT_FALSE(up.has_value());
  EXPECT_FALSE(raw_.has_table("a"));
  EXPECT_FALSE(raw_.has_table("schema_migrations"));
}

TEST_F(migrator_test, a_failing_down_migration_rolls_back_completely) {
  auto good = synthetic();
  ASSERT_TRUE(open_or_fail(db_.url(), good).up().has_value());
  // Same up files (same checksums), a broken down file.
  auto files = synthetic(false, /*broken_down=*/true);
  auto m = open_or_fail(db_.url(), files);
  auto down = m.down(1);
  ASSERT_FALSE(down.has_value());
  EXPECT_THAT(down.error(), HasSubstr("0002_b.down.sql"));
  EXPECT_TRUE(raw_.has_table("b"));
  EXPECT_EQ(raw_.integer("SELECT count(*) FROM b"), 1);
  EXPECT_EQ(raw_.integer("SELECT count(*) FROM schema_migrations"), 2);
}

TEST_F(migrator_test, a_migration_that_ends_its_transaction_is_reported_and_not_recorded) {
  const std::vector<embedded_file> files = {{"0001_a.up.sql", "CREATE TABLE a (x INTEGER); COMMIT;"},
                                            {"0001_a.down.sql", "DROP TABLE a;"}};
  auto m = open_or_fail(db_.url(), files);
  auto up = m.up();
  ASSERT_FALSE(up.has_value());
  EXPECT_THAT(up.error(), HasSubstr("0001_a.up.sql"));
  EXPECT_THAT(up.error(), HasSubstr("COMMIT"));
  EXPECT_EQ(raw_.integer("SELECT count(*) FROM schema_migrations"), 0);
  EXPECT_EQ(*m.pending(), 1);
}

TEST_F(migrator_test, concurrent_up_from_four_instances_applies_each_migration_once) {
  std::vector<migrator> instances;
  for (int i = 0; i < 4; ++i) instances.push_back(open_or_fail(db_.url()));
  std::vector<migration_result<std::vector<migration>>> results(4, std::vector<migration>{});
  std::vector<std::thread> threads;
  for (std::size_t i = 0; i < instances.size(); ++i) {
    threads.emplace_back([&, i] { results[i] = instances[i].up(); });
  }
  for (auto& t : threads) t.join();

  std::size_t applied = 0;
  for (const auto& r : results) {
    ASSERT_TRUE(r.has_value()) << r.error();
    applied += r->size();
  }
  const auto known = load_migrations(embedded_migrations());
  ASSERT_TRUE(known.has_value());
  EXPECT_EQ(applied, known->size());
  EXPECT_EQ(raw_.integer("SELECT count(*) FROM schema_migrations"), static_cast<long long>(known->size()));
  EXPECT_EQ(*instances[0].pending(), 0);
}

TEST_F(migrator_test, up_waits_while_another_instance_holds_the_migration_lock) {
  auto files = synthetic();
  auto m = open_or_fail(db_.url(), files);
  raw_.exec(std::string("SELECT pg_advisory_lock(") + lock_key + ")");
  migration_result<std::vector<migration>> result = std::vector<migration>{};
  std::atomic<bool> finished = false;
  std::thread runner([&] {
    result = m.up();
    finished = true;
  });

  bool waiting = false;
  eventually([&] {
    waiting =
        raw_.integer(std::string("SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND NOT granted "
                                 "AND database = (SELECT oid FROM pg_database WHERE datname = "
                                 "current_database()) AND ((classid::bigint << 32) | objid::bigint) = ") +
                     lock_key) == 1;
    return waiting || finished;
  });
  EXPECT_TRUE(waiting) << "up() should wait on the advisory lock " << lock_key;
  EXPECT_FALSE(raw_.has_table("a")) << "nothing may be applied while the lock is held elsewhere";
  raw_.exec(std::string("SELECT pg_advisory_unlock(") + lock_key + ")");
  runner.join();
  ASSERT_TRUE(result.has_value()) << result.error();
  EXPECT_EQ(versions(*result), (std::vector<int>{1, 2}));
  EXPECT_EQ(raw_.text(std::string("SELECT pg_try_advisory_lock(") + lock_key + ")"), "t")
      << "up() releases the lock when done";
}

}  // namespace
}  // namespace authd::store::postgres
