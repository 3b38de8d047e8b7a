// `authd migrate` on PostgreSQL: concurrent `up` from several instances applies each migration
// once, `serve` refuses an unmigrated database and names the command to run, `down` reverts.
#include <gmock/gmock.h>

#include <memory>
#include <sstream>
#include <vector>

#include "postgres/postgres_test.hpp"
#include "support/child_process.hpp"
#include "support/pg_client.hpp"
#include "support/test_database.hpp"
#include "support/test_server.hpp"

namespace authd::itest {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using migrate = postgres_test;

constexpr int migration_count = 4;

std::vector<std::string> lines_of(const std::string& text) {
  std::vector<std::string> lines;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);) {
    if (!line.empty()) lines.push_back(line);
  }
  return lines;
}

// `migrate status` prints one "NNNN_name  applied <time>" or "NNNN_name  pending" line per
// migration; the lines that are neither (logging) are left out.
std::vector<std::string> status_words(const std::string& output) {
  std::vector<std::string> words;
  for (const auto& line : lines_of(output)) {
    if (line.find("  applied ") != std::string::npos)
      words.push_back("applied");
    else if (line.ends_with("  pending"))
      words.push_back("pending");
  }
  return words;
}

std::size_t count_of(const std::string& text, const std::string& needle) {
  std::size_t count = 0;
  for (auto at = text.find(needle); at != std::string::npos; at = text.find(needle, at + needle.size()))
    ++count;
  return count;
}

bool table_exists(pg_client& db, const std::string& table) {
  return db.scalar("SELECT to_regclass($1) IS NOT NULL", {table}) == "t";
}

TEST_F(migrate, four_concurrent_ups_apply_each_migration_exactly_once) {
  test_database database;
  const env_map env{{"DATABASE_URL", database.url()}};
  std::vector<std::unique_ptr<child_process>> runs;
  for (int i = 0; i < 4; ++i)
    runs.push_back(std::make_unique<child_process>(std::vector<std::string>{AUTHD_BINARY, "migrate", "up"},
                                                   authd_env(env)));
  std::string all_output;
  for (auto& run : runs) {
    const auto result = run->wait();
    EXPECT_EQ(result.exit_code, 0) << result.output;
    all_output += result.output;
  }
  // The advisory lock serialises them: one applies, the others find the schema up to date.
  EXPECT_EQ(count_of(all_output, "applied  0001_"), 1u) << all_output;
  EXPECT_EQ(count_of(all_output, "applied  0002_"), 1u) << all_output;
  EXPECT_EQ(count_of(all_output, "applied  0003_"), 1u) << all_output;

  const auto status = run_authd({"migrate", "status"}, env);
  EXPECT_EQ(status.exit_code, 0) << status.output;
  EXPECT_THAT(status_words(status.output), ElementsAre("applied", "applied", "applied", "applied"))
      << status.output;

  pg_client db(database.url());
  const auto versions = db.query("SELECT version::text FROM schema_migrations ORDER BY version");
  ASSERT_EQ(versions.size(), static_cast<std::size_t>(migration_count));
  EXPECT_EQ(versions[0][0], "1");
  EXPECT_EQ(versions[1][0], "2");
  EXPECT_EQ(versions[2][0], "3");
  EXPECT_TRUE(table_exists(db, "users"));
  EXPECT_TRUE(table_exists(db, "sessions"));
  EXPECT_TRUE(table_exists(db, "throttle"));
}

TEST_F(migrate, serve_on_an_unmigrated_database_exits_and_says_to_run_migrate_up) {
  test_server server({{"AUTHD_MIGRATE_ON_START", "false"}}, test_server::wait_mode::no_wait);
  const auto status = server.wait_exit(std::chrono::seconds(120));
  ASSERT_TRUE(status.has_value()) << "authd kept running on an unmigrated database";
  EXPECT_NE(*status, 0);
  EXPECT_THAT(server.log_text(), HasSubstr("authd migrate up"));

  pg_client db(server.database().url());
  EXPECT_FALSE(table_exists(db, "users")) << "serve must not migrate unless told to";
}

TEST_F(migrate, down_4_reverts_every_migration) {
  test_database database;
  const env_map env{{"DATABASE_URL", database.url()}};
  const auto up = run_authd({"migrate", "up"}, env);
  ASSERT_EQ(up.exit_code, 0) << up.output;

  const auto down = run_authd({"migrate", "down", "4"}, env);
  EXPECT_EQ(down.exit_code, 0) << down.output;
  EXPECT_EQ(count_of(down.output, "reverted 0003_"), 1u) << down.output;
  EXPECT_EQ(count_of(down.output, "reverted 0002_"), 1u) << down.output;
  EXPECT_EQ(count_of(down.output, "reverted 0001_"), 1u) << down.output;

  const auto status = run_authd({"migrate", "status"}, env);
  EXPECT_EQ(status.exit_code, 0) << status.output;
  EXPECT_THAT(status_words(status.output), ElementsAre("pending", "pending", "pending", "pending"))
      << status.output;

  pg_client db(database.url());
  EXPECT_FALSE(table_exists(db, "users"));
  EXPECT_FALSE(table_exists(db, "sessions"));
  EXPECT_FALSE(table_exists(db, "throttle"));

  // And the way back up works on the reverted database.
  const auto again = run_authd({"migrate", "up"}, env);
  EXPECT_EQ(again.exit_code, 0) << again.output;
  EXPECT_TRUE(table_exists(db, "sessions"));
}

}  // namespace
}  // namespace authd::itest
