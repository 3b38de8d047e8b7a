#include <gtest/gtest.h>

#include "config/settings.hpp"
#include "fake_env.hpp"

namespace authd::config {
namespace {

using testing::fake_env;
using testing::load_error;
using testing::load_ok;

std::variant<sqlite_settings, postgres_settings> database(std::map<std::string, std::string> values) {
  auto loaded = load_settings(fake_env(std::move(values)));
  EXPECT_TRUE(loaded) << loaded.error();
  return loaded ? loaded->database : std::variant<sqlite_settings, postgres_settings>{};
}

std::filesystem::path sqlite_file(std::map<std::string, std::string> values) {
  auto db = database(std::move(values));
  EXPECT_TRUE(std::holds_alternative<sqlite_settings>(db));
  return std::holds_alternative<sqlite_settings>(db) ? std::get<sqlite_settings>(db).file : "";
}

std::string postgres_url(std::map<std::string, std::string> values) {
  auto db = database(std::move(values));
  EXPECT_TRUE(std::holds_alternative<postgres_settings>(db));
  return std::holds_alternative<postgres_settings>(db) ? std::get<postgres_settings>(db).url : "";
}

TEST(database, sqlite_url_relative_and_absolute) {
  EXPECT_EQ(sqlite_file({{"DATABASE_URL", "sqlite:///relative/path.db"}}),
            std::filesystem::path("relative/path.db"));
  EXPECT_EQ(sqlite_file({{"DATABASE_URL", "sqlite:////absolute/path.db"}}),
            std::filesystem::path("/absolute/path.db"));
  EXPECT_EQ(sqlite_file({{"DATABASE_URL", "SQLITE:///with%20space.db"}}),
            std::filesystem::path("with space.db"));
}

TEST(database, sqlite_url_without_a_file_is_refused) {
  for (const char* bad : {"sqlite://", "sqlite:///", "sqlite://host/x.db", "sqlite:x.db", "sqlite:///dir/",
                          "sqlite:///x.db?mode=ro", "sqlite:///x%00.db"}) {
    SCOPED_TRACE(bad);
    EXPECT_EQ(
        load_error({{"DATABASE_URL", bad}}).rfind("DATABASE_URL: expected sqlite:///relative/path.db", 0),
        0u);
  }
  EXPECT_EQ(load_error({{"DATABASE_URL", "sqlite:///:memory:"}}).rfind("DATABASE_URL: an in-memory", 0), 0u);
}

TEST(database, postgres_urls_become_libpq_urls) {
  EXPECT_EQ(postgres_url({{"DATABASE_URL", "postgresql://u:p@db:5433/authd"}}),
            "postgresql://u:p@db:5433/authd");
  EXPECT_EQ(postgres_url({{"DATABASE_URL", "postgres://u:p@db/authd?sslmode=require"}}),
            "postgresql://u:p@db/authd?sslmode=require");
  EXPECT_EQ(postgres_url({{"DATABASE_URL", "postgresql+asyncpg://admin:admin@localhost:5432/db"}}),
            "postgresql://admin:admin@localhost:5432/db");
  EXPECT_EQ(postgres_url({{"DATABASE_URL", "postgresql:///authd"}}), "postgresql:///authd");
}

TEST(database, database_url_wins_over_database_parts) {
  EXPECT_EQ(postgres_url({{"DATABASE_URL", "postgresql://a@x/y"}, {"DATABASE_HOST", "other"}}),
            "postgresql://a@x/y");
  EXPECT_EQ(sqlite_file({{"DATABASE_URL", "sqlite:///x.db"}, {"DATABASE_HOST", "other"}}), "x.db");
}

TEST(database, other_schemes_are_refused_without_echoing_the_url) {
  for (const char* bad : {"mysql://root:hunter2@db/authd", "hunter2 is not a url", "http://u:hunter2@x/",
                          "postgresql:hunter2", "postgresql+mysqldb://u:hunter2@x/"}) {
    SCOPED_TRACE(bad);
    std::string error = load_error({{"DATABASE_URL", bad}});
    EXPECT_EQ(error.rfind("DATABASE_URL: ", 0), 0u) << error;
    EXPECT_EQ(error.find("hunter2"), std::string::npos) << error;
    EXPECT_NE(error.find("not shown"), std::string::npos) << error;
  }
}

TEST(database, parts_build_a_postgres_url) {
  EXPECT_EQ(postgres_url({{"DATABASE_USER", "admin"},
                          {"DATABASE_PASSWORD", "admin"},
                          {"DATABASE_HOST", "localhost"},
                          {"DATABASE_PORT", "5432"},
                          {"DATABASE_NAME", "db"}}),
            "postgresql://admin:admin@localhost:5432/db");
  EXPECT_EQ(postgres_url({{"DATABASE_HOST", "db.internal"}}), "postgresql://db.internal:5432");
  EXPECT_EQ(postgres_url({{"DATABASE_HOST", "::1"}, {"DATABASE_NAME", "authd"}}),
            "postgresql://[::1]:5432/authd");
  EXPECT_EQ(postgres_url({{"DATABASE_HOST", "[::1]"}, {"DATABASE_PORT", "6000"}}), "postgresql://[::1]:6000");
}

TEST(database, parts_are_percent_encoded) {
  EXPECT_EQ(postgres_url({{"DATABASE_USER", "me@corp"},
                          {"DATABASE_PASSWORD", "p@ss:w/rd%?#& x"},
                          {"DATABASE_HOST", "db"},
                          {"DATABASE_NAME", "my db"}}),
            "postgresql://me%40corp:p%40ss%3Aw%2Frd%25%3F%23%26%20x@db:5432/my%20db");
}

TEST(database, a_password_needs_a_user) {
  EXPECT_EQ(load_error({{"DATABASE_HOST", "db"}, {"DATABASE_PASSWORD", "hunter2"}}),
            "DATABASE_PASSWORD: set without DATABASE_USER");
}

TEST(database, database_port_is_checked) {
  EXPECT_EQ(load_error({{"DATABASE_HOST", "db"}, {"DATABASE_PORT", "0"}}),
            "DATABASE_PORT: expected an integer from 1 to 65535, got \"0\"");
}

}  // namespace
}  // namespace authd::config
