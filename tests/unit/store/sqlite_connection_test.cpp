#include "store/sqlite/sqlite_connection.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "store/sqlite/sqlite_connection_pool.hpp"
#include "unit/store/raw_sqlite.hpp"
#include "unit/store/temp_dir.hpp"

namespace authd::store::sqlite {
namespace {

using test_support::raw_sqlite;
using test_support::temp_dir;
using ::testing::HasSubstr;

class connection_test : public ::testing::Test {
 protected:
  void SetUp() override {
    auto opened = connection::open(file_, connection_options{.create = true});
    ASSERT_TRUE(opened.has_value()) << opened.error().message;
    conn_.emplace(std::move(*opened));
    ASSERT_TRUE(conn_->exec("CREATE TABLE t (id INTEGER PRIMARY KEY, v TEXT NOT NULL) STRICT").has_value());
  }

  std::int64_t count_rows() {
    auto stmt = conn_->prepare("SELECT count(*) FROM t");
    EXPECT_TRUE(stmt.has_value());
    EXPECT_TRUE(*stmt->step());
    return stmt->column_int64(0);
  }

  std::int64_t pragma(std::string_view name) {
    auto stmt = conn_->prepare(std::string("PRAGMA ") + std::string(name));
    EXPECT_TRUE(stmt.has_value());
    EXPECT_TRUE(*stmt->step());
    return stmt->column_int64(0);
  }

  temp_dir dir_;
  std::filesystem::path file_ = dir_.path() / "c.db";
  std::optional<connection> conn_;
};

TEST_F(connection_test, applies_the_pragmas) {
  auto mode = conn_->prepare("PRAGMA journal_mode");
  ASSERT_TRUE(mode.has_value());
  ASSERT_TRUE(*mode->step());
  EXPECT_EQ(mode->column_text(0), "wal");
  EXPECT_EQ(pragma("foreign_keys"), 1);
  EXPECT_EQ(pragma("synchronous"), 2);  // FULL
  EXPECT_EQ(pragma("busy_timeout"), 5000);
}

TEST_F(connection_test, reuses_prepared_statements) {
  sqlite3_stmt* first = nullptr;
  {
    auto stmt = conn_->prepare("SELECT v FROM t WHERE id = ?1");
    ASSERT_TRUE(stmt.has_value());
    first = stmt->native_handle();
  }
  auto again = conn_->prepare("SELECT v FROM t WHERE id = ?1");
  ASSERT_TRUE(again.has_value());
  EXPECT_EQ(again->native_handle(), first);
}

TEST_F(connection_test, binds_and_reads_values) {
  auto insert = conn_->prepare("INSERT INTO t (id, v) VALUES (?1, ?2)");
  ASSERT_TRUE(insert.has_value());
  insert->bind(1, std::int64_t{7}).bind(2, std::string_view("h\0llo", 5));
  ASSERT_TRUE(insert->run().has_value());

  // An empty string_view without data is empty text, not NULL (which the column refuses).
  auto empty = conn_->prepare("INSERT INTO t (id, v) VALUES (?1, ?2)");
  empty->bind(1, std::int64_t{8}).bind(2, std::string_view());
  auto done = empty->run();
  ASSERT_TRUE(done.has_value()) << done.error().message;

  auto select = conn_->prepare("SELECT v, typeof(v), NULL FROM t WHERE id = ?1");
  select->bind(1, std::int64_t{7});
  ASSERT_TRUE(*select->step());
  EXPECT_EQ(select->column_text(0), std::string("h\0llo", 5));
  EXPECT_TRUE(select->column_is_null(2));
  EXPECT_EQ(select->column_optional_int64(2), std::nullopt);
  EXPECT_FALSE(*select->step());
}

TEST_F(connection_test, a_bind_error_is_reported_by_step) {
  auto stmt = conn_->prepare("SELECT v FROM t WHERE id = ?1");
  ASSERT_TRUE(stmt.has_value());
  stmt->bind(5, std::int64_t{1});
  auto row = stmt->step();
  ASSERT_FALSE(row.has_value());
  EXPECT_EQ(row.error().code, SQLITE_RANGE);
}

TEST_F(connection_test, values_over_the_length_limit_are_refused) {
  auto stmt = conn_->prepare("INSERT INTO t (id, v) VALUES (1, ?1)");
  stmt->bind(1, std::string(2 << 20, 'x'));
  auto done = stmt->run();
  ASSERT_FALSE(done.has_value());
  EXPECT_EQ(done.error().code, SQLITE_TOOBIG);
}

TEST_F(connection_test, an_abandoned_statement_is_reset_for_its_next_user) {
  ASSERT_TRUE(conn_->exec("INSERT INTO t (id, v) VALUES (1, 'a'), (2, 'b')").has_value());
  {
    auto stmt = conn_->prepare("SELECT id FROM t ORDER BY id");
    ASSERT_TRUE(*stmt->step());
    EXPECT_EQ(stmt->column_int64(0), 1);
  }
  auto stmt = conn_->prepare("SELECT id FROM t ORDER BY id");
  ASSERT_TRUE(*stmt->step());
  EXPECT_EQ(stmt->column_int64(0), 1);
}

TEST_F(connection_test, prepare_takes_exactly_one_statement) {
  auto two = conn_->prepare("SELECT 1; SELECT 2");
  ASSERT_FALSE(two.has_value());
  EXPECT_EQ(two.error().code, SQLITE_MISUSE);
  auto broken = conn_->prepare("SELEC 1");
  ASSERT_FALSE(broken.has_value());
  EXPECT_THAT(broken.error().message, HasSubstr("syntax error"));
}

TEST_F(connection_test, a_transaction_not_committed_is_rolled_back) {
  {
    auto tx = conn_->begin_immediate();
    ASSERT_TRUE(tx.has_value());
    EXPECT_TRUE(conn_->in_transaction());
    ASSERT_TRUE(conn_->exec("INSERT INTO t (id, v) VALUES (1, 'a')").has_value());
  }
  EXPECT_FALSE(conn_->in_transaction());
  EXPECT_EQ(count_rows(), 0);

  {
    auto tx = conn_->begin_immediate();
    ASSERT_TRUE(tx.has_value());
    ASSERT_TRUE(conn_->exec("INSERT INTO t (id, v) VALUES (1, 'a')").has_value());
    ASSERT_TRUE(tx->commit().has_value());
  }
  EXPECT_EQ(count_rows(), 1);
  EXPECT_EQ(conn_->changes(), 1);
}

TEST_F(connection_test, a_writer_waits_no_longer_than_the_busy_timeout) {
  auto other = connection::open(
      file_, connection_options{.create = false, .busy_timeout = std::chrono::milliseconds(20)});
  ASSERT_TRUE(other.has_value()) << other.error().message;
  auto tx = conn_->begin_immediate();
  ASSERT_TRUE(tx.has_value());
  auto blocked = other->begin_immediate();
  ASSERT_FALSE(blocked.has_value());
  EXPECT_EQ(blocked.error().code & 0xff, SQLITE_BUSY);
}

TEST(connection, open_without_create_needs_an_existing_file) {
  temp_dir dir;
  auto opened = connection::open(dir.path() / "missing.db", connection_options{});
  ASSERT_FALSE(opened.has_value());
  EXPECT_EQ(opened.error().code & 0xff, SQLITE_CANTOPEN);
  EXPECT_FALSE(std::filesystem::exists(dir.path() / "missing.db"));
}

TEST(connection_pool, lends_each_connection_to_one_holder_and_times_out_when_all_are_lent) {
  temp_dir dir;
  std::vector<connection> connections;
  for (int i = 0; i < 2; ++i) {
    auto opened = connection::open(dir.path() / "p.db", connection_options{.create = true});
    ASSERT_TRUE(opened.has_value());
    connections.push_back(std::move(*opened));
  }
  connection_pool pool(std::move(connections), std::chrono::milliseconds(1));
  auto first = pool.acquire();
  auto second = pool.acquire();
  ASSERT_TRUE(first.has_value());
  ASSERT_TRUE(second.has_value());
  EXPECT_NE(&**first, &**second);
  EXPECT_FALSE(pool.acquire().has_value());
  connection* released = &**first;
  first.reset();
  auto third = pool.acquire();
  ASSERT_TRUE(third.has_value());
  EXPECT_EQ(&**third, released);
}

}  // namespace
}  // namespace authd::store::sqlite
