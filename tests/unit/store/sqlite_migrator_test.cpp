#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <sys/stat.h>

#include <filesystem>
#include <fstream>
#include <vector>

#include "store/sqlite/sqlite_migrations.hpp"
#include "unit/store/raw_sqlite.hpp"
#include "unit/store/temp_dir.hpp"

namespace authd::store::sqlite {
namespace {

using test_support::raw_sqlite;
using test_support::temp_dir;
using ::testing::HasSubstr;

namespace fs = std::filesystem;

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

migrator open_or_fail(const fs::path& file, std::span<const embedded_file> files) {
  auto opened = migrator::open(file, files);
  if (!opened) throw std::runtime_error(opened.error());
  return std::move(*opened);
}

class migrator_test : public ::testing::Test {
 protected:
  temp_dir dir_;
  fs::path file_ = dir_.path() / "authd.db";
};

TEST_F(migrator_test, embedded_migrations_are_well_formed) {
  auto loaded = load_migrations(embedded_migrations());
  ASSERT_TRUE(loaded.has_value()) << loaded.error();
  ASSERT_GE(loaded->size(), 3u);
  EXPECT_EQ((*loaded)[0].name, "0001_users");
  EXPECT_EQ((*loaded)[1].name, "0002_sessions");
  EXPECT_EQ((*loaded)[2].name, "0003_throttle");
}

TEST_F(migrator_test, embedded_migrations_go_up_down_and_up_again) {
  auto m = migrator::open(file_);
  ASSERT_TRUE(m.has_value()) << m.error();
  auto up = m->up();
  ASSERT_TRUE(up.has_value()) << up.error();
  EXPECT_EQ(versions(*up), (std::vector<int>{1, 2, 3, 4}));
  raw_sqlite raw(file_);
  EXPECT_TRUE(raw.has_table("users"));
  EXPECT_TRUE(raw.has_table("sessions"));
  EXPECT_TRUE(raw.has_table("throttle"));

  auto down = m->down(4);
  ASSERT_TRUE(down.has_value()) << down.error();
  EXPECT_EQ(versions(*down), (std::vector<int>{4, 3, 2, 1}));
  EXPECT_FALSE(raw.has_table("users"));
  EXPECT_FALSE(raw.has_table("sessions"));
  EXPECT_FALSE(raw.has_table("throttle"));

  auto again = m->up();
  ASSERT_TRUE(again.has_value()) << again.error();
  EXPECT_EQ(again->size(), 4u);
}

TEST_F(migrator_test, open_creates_a_private_directory_and_file) {
  const fs::path nested = dir_.path() / "data" / "deeper" / "authd.db";
  auto m = migrator::open(nested);
  ASSERT_TRUE(m.has_value()) << m.error();
  EXPECT_EQ(fs::status(nested.parent_path()).permissions(), fs::perms::owner_all);
  EXPECT_EQ(fs::status(nested.parent_path().parent_path()).permissions(), fs::perms::owner_all);
  EXPECT_EQ(fs::status(nested).permissions(), fs::perms::owner_read | fs::perms::owner_write);
}

TEST_F(migrator_test, open_makes_an_existing_file_private) {
  std::ofstream(file_).close();
  fs::permissions(
      file_, fs::perms::owner_read | fs::perms::owner_write | fs::perms::group_read | fs::perms::others_read);
  auto m = migrator::open(file_);
  ASSERT_TRUE(m.has_value()) << m.error();
  EXPECT_EQ(fs::status(file_).permissions(), fs::perms::owner_read | fs::perms::owner_write);
}

TEST_F(migrator_test, open_refuses_a_file_that_is_not_a_database) {
  std::ofstream(file_)
      << "this is not an SQLite database, just some text that is long enough to have a header";
  auto m = migrator::open(file_);
  ASSERT_FALSE(m.has_value());
  EXPECT_THAT(m.error(), HasSubstr(file_.string()));
}

TEST_F(migrator_test, open_refuses_badly_formed_migrations) {
  const std::vector<embedded_file> files = {{"0001_a.up.sql", "CREATE TABLE a (x);"}};
  auto m = migrator::open(file_, files);
  ASSERT_FALSE(m.has_value());
  EXPECT_THAT(m.error(), HasSubstr("0001_a.down.sql"));
}

TEST_F(migrator_test, up_applies_in_order_once_and_records_each) {
  auto files = synthetic();
  auto m = open_or_fail(file_, files);
  auto pending = m.pending();
  ASSERT_TRUE(pending.has_value()) << pending.error();
  EXPECT_EQ(*pending, 2);

  auto up = m.up();
  ASSERT_TRUE(up.has_value()) << up.error();
  EXPECT_EQ(versions(*up), (std::vector<int>{1, 2}));
  auto second = m.up();
  ASSERT_TRUE(second.has_value()) << second.error();
  EXPECT_TRUE(second->empty());
  EXPECT_EQ(*m.pending(), 0);

  raw_sqlite raw(file_);
  EXPECT_EQ(raw.query_int("SELECT count(*) FROM schema_migrations"), 2);
  EXPECT_EQ(raw.query_text("SELECT name FROM schema_migrations WHERE version = 2"), "0002_b");
  EXPECT_EQ(raw.query_text("SELECT checksum FROM schema_migrations WHERE version = 2"),
            sha256_hex("CREATE TABLE b (x INTEGER); INSERT INTO b VALUES (1);"));
  EXPECT_GT(raw.query_int("SELECT applied_at FROM schema_migrations WHERE version = 1"), 0);
}

TEST_F(migrator_test, status_shows_applied_and_pending) {
  auto files = synthetic();
  auto m = open_or_fail(file_, files);
  ASSERT_TRUE(m.up().has_value());
  ASSERT_TRUE(m.down(1).has_value());
  auto status = m.status();
  ASSERT_TRUE(status.has_value()) << status.error();
  ASSERT_EQ(status->size(), 2u);
  EXPECT_EQ((*status)[0].name, "0001_a");
  EXPECT_TRUE((*status)[0].applied_at.has_value());
  EXPECT_FALSE((*status)[0].checksum_mismatch);
  EXPECT_EQ((*status)[1].name, "0002_b");
  EXPECT_FALSE((*status)[1].applied_at.has_value());
  EXPECT_EQ(*m.pending(), 1);
}

TEST_F(migrator_test, down_reverts_the_most_recent_and_refuses_too_many) {
  auto files = synthetic();
  auto m = open_or_fail(file_, files);
  ASSERT_TRUE(m.up().has_value());
  auto too_many = m.down(3);
  ASSERT_FALSE(too_many.has_value());
  raw_sqlite raw(file_);
  EXPECT_TRUE(raw.has_table("b")) << "a refused down must revert nothing";

  auto down = m.down(1);
  ASSERT_TRUE(down.has_value()) << down.error();
  EXPECT_EQ(versions(*down), (std::vector<int>{2}));
  EXPECT_FALSE(raw.has_table("b"));
  EXPECT_TRUE(raw.has_table("a"));
  EXPECT_EQ(raw.query_int("SELECT count(*) FROM schema_migrations"), 1);
}

TEST_F(migrator_test, an_applied_file_that_changed_is_an_error) {
  auto files = synthetic();
  auto m = open_or_fail(file_, files);
  ASSERT_TRUE(m.up().has_value());
  raw_sqlite raw(file_);
  raw.exec("UPDATE schema_migrations SET checksum = 'feedface' WHERE version = 1");

  auto up = m.up();
  ASSERT_FALSE(up.has_value());
  EXPECT_THAT(up.error(), HasSubstr("0001"));
  EXPECT_THAT(up.error(), HasSubstr("0001_a.up.sql"));
  EXPECT_FALSE(m.pending().has_value());

  auto status = m.status();
  ASSERT_TRUE(status.has_value()) << status.error();
  EXPECT_TRUE((*status)[0].checksum_mismatch);
  EXPECT_FALSE((*status)[1].checksum_mismatch);

  EXPECT_FALSE(m.down(2).has_value());
  EXPECT_TRUE(raw.has_table("b")) << "the refused down must not have reverted 0002 first";
}

TEST_F(migrator_test, a_database_newer_than_the_binary_is_an_error) {
  auto files = synthetic();
  auto m = open_or_fail(file_, files);
  ASSERT_TRUE(m.up().has_value());
  raw_sqlite raw(file_);
  raw.exec("INSERT INTO schema_migrations VALUES (3, '0003_c', 'abc', 1)");

  auto up = m.up();
  ASSERT_FALSE(up.has_value());
  EXPECT_THAT(up.error(), HasSubstr("0003"));
  auto status = m.status();
  ASSERT_TRUE(status.has_value()) << status.error();
  ASSERT_EQ(status->size(), 3u);
  EXPECT_TRUE((*status)[2].unknown);
}

TEST_F(migrator_test, a_failing_migration_rolls_back_completely) {
  auto files = synthetic(/*broken_up=*/true);
  auto m = open_or_fail(file_, files);
  auto up = m.up();
  ASSERT_FALSE(up.has_value());
  EXPECT_THAT(up.error(), HasSubstr("0002_b.up.sql"));
  EXPECT_THAT(up.error(), HasSubstr("nowhere"));

  raw_sqlite raw(file_);
  EXPECT_TRUE(raw.has_table("a")) << "0001 succeeded and stays";
  EXPECT_FALSE(raw.has_table("b")) << "0002 created b before failing; that must be undone";
  EXPECT_EQ(raw.query_int("SELECT count(*) FROM schema_migrations"), 1);
  EXPECT_EQ(*m.pending(), 1);
}

TEST_F(migrator_test, a_failing_down_migration_rolls_back_completely) {
  auto good = synthetic();
  ASSERT_TRUE(open_or_fail(file_, good).up().has_value());
  // Same up files (same checksums), a broken down file.
  auto files = synthetic(false, /*broken_down=*/true);
  auto m = open_or_fail(file_, files);
  auto down = m.down(1);
  ASSERT_FALSE(down.has_value());
  EXPECT_THAT(down.error(), HasSubstr("0002_b.down.sql"));
  raw_sqlite raw(file_);
  EXPECT_TRUE(raw.has_table("b"));
  EXPECT_EQ(raw.query_int("SELECT count(*) FROM b"), 1);
  EXPECT_EQ(raw.query_int("SELECT count(*) FROM schema_migrations"), 2);
}

TEST_F(migrator_test, a_migration_cannot_end_its_own_transaction) {
  const std::vector<embedded_file> files = {
      {"0001_a.up.sql", "CREATE TABLE a (x); COMMIT; CREATE TABLE c (x);"},
      {"0001_a.down.sql", "DROP TABLE a;"}};
  auto m = open_or_fail(file_, files);
  auto up = m.up();
  ASSERT_FALSE(up.has_value());
  EXPECT_THAT(up.error(), HasSubstr("0001_a.up.sql"));
  raw_sqlite raw(file_);
  EXPECT_FALSE(raw.has_table("a"));
  EXPECT_FALSE(raw.has_table("c"));
  EXPECT_EQ(raw.query_int("SELECT count(*) FROM schema_migrations"), 0);
}

TEST_F(migrator_test, a_second_migrator_sees_what_the_first_applied) {
  auto files = synthetic();
  auto first = open_or_fail(file_, files);
  auto second = open_or_fail(file_, files);
  ASSERT_EQ(first.up()->size(), 2u);
  auto up = second.up();
  ASSERT_TRUE(up.has_value()) << up.error();
  EXPECT_TRUE(up->empty());
}

}  // namespace
}  // namespace authd::store::sqlite
