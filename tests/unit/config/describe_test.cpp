#include <gtest/gtest.h>

#include "config/settings.hpp"
#include "fake_env.hpp"

namespace authd::config {
namespace {

using testing::fake_env;

std::string described(std::map<std::string, std::string> values) {
  auto loaded = load_settings(fake_env(std::move(values)));
  EXPECT_TRUE(loaded) << loaded.error();
  return loaded ? describe(*loaded) : std::string();
}

bool has_line(const std::string& text, const std::string& line) {
  return ("\n" + text).find("\n" + line + "\n") != std::string::npos;
}

TEST(describe, lists_every_setting) {
  std::string text = described({});
  for (const char* name : {"AUTHD_HOST",
                           "AUTHD_PORT",
                           "AUTHD_THREADS",
                           "AUTHD_DATA_DIR",
                           "DATABASE_URL",
                           "AUTHD_MIGRATE_ON_START",
                           "AUTHD_DB_POOL_SIZE",
                           "AUTHD_DB_TIMEOUT_SECONDS",
                           "JWT_SECRET",
                           "JWT_PREVIOUS_SECRETS",
                           "AUTHD_TOKEN_LIFETIME_SECONDS",
                           "AUTHD_COOKIE_NAME",
                           "AUTHD_COOKIE_SECURE",
                           "AUTHD_SESSION_SWEEP_SECONDS",
                           "AUTHD_ARGON2_MEMORY_KIB",
                           "AUTHD_ARGON2_ITERATIONS",
                           "AUTHD_ARGON2_IMPLEMENTATION",
                           "AUTHD_HASH_THREADS",
                           "AUTHD_HASH_QUEUE",
                           "AUTHD_HASH_MEMORY_KEEP_SECONDS",
                           "AUTHD_PASSWORD_MIN_LENGTH",
                           "AUTHD_PASSWORD_MAX_LENGTH",
                           "AUTHD_MAX_HEADER_BYTES",
                           "AUTHD_MAX_BODY_BYTES",
                           "AUTHD_READ_TIMEOUT_SECONDS",
                           "AUTHD_IDLE_TIMEOUT_SECONDS",
                           "AUTHD_MAX_CONNECTIONS",
                           "AUTHD_SHUTDOWN_TIMEOUT_SECONDS",
                           "AUTHD_LOG_LEVEL",
                           "AUTHD_LOG_FORMAT"})
    EXPECT_NE(("\n" + text).find("\n" + std::string(name) + "="), std::string::npos) << name;
  EXPECT_TRUE(has_line(text, "AUTHD_PORT=8000"));
  EXPECT_TRUE(has_line(text, "AUTHD_COOKIE_SECURE=false"));
  EXPECT_TRUE(has_line(text, "AUTHD_TOKEN_LIFETIME_SECONDS=1800"));
  EXPECT_TRUE(has_line(text, "DATABASE_URL=sqlite:///data/authd.db"));
  EXPECT_TRUE(has_line(text, "JWT_SECRET=<unset: generated in data dir>"));
}

TEST(describe, never_shows_the_jwt_secret) {
  std::string text = described({{"JWT_SECRET", "do-not-print-this-0123456789abcdef"}});
  EXPECT_EQ(text.find("do-not-print-this"), std::string::npos);
  EXPECT_TRUE(has_line(text, "JWT_SECRET=<set, redacted>"));
}

TEST(describe, never_shows_the_previous_jwt_secrets) {
  EXPECT_TRUE(has_line(described({}), "JWT_PREVIOUS_SECRETS=<none>"));
  std::string text =
      described({{"JWT_PREVIOUS_SECRETS",
                  "first-old-secret-do-not-print-0123456789,second-old-secret-do-not-print-012345"}});
  EXPECT_EQ(text.find("do-not-print"), std::string::npos) << text;
  EXPECT_TRUE(has_line(text, "JWT_PREVIOUS_SECRETS=<2 set, redacted>")) << text;
}

TEST(describe, never_shows_the_database_password) {
  std::string text = described({{"DATABASE_URL", "postgresql+asyncpg://admin:hunter2@db:5432/authd"}});
  EXPECT_EQ(text.find("hunter2"), std::string::npos);
  EXPECT_TRUE(has_line(text, "DATABASE_URL=postgresql://admin:***@db:5432/authd")) << text;

  text = described(
      {{"DATABASE_URL", "postgresql://db/authd?sslmode=require&password=hunter2&PassWord=hunter2"}});
  EXPECT_EQ(text.find("hunter2"), std::string::npos) << text;
  EXPECT_NE(text.find("sslmode=require"), std::string::npos) << text;

  text = described({{"DATABASE_USER", "admin"}, {"DATABASE_PASSWORD", "hun:ter@2"}, {"DATABASE_HOST", "db"}});
  EXPECT_EQ(text.find("hun"), std::string::npos) << text;
  EXPECT_TRUE(has_line(text, "DATABASE_URL=postgresql://admin:***@db:5432")) << text;
}

TEST(describe, an_absolute_sqlite_path_keeps_four_slashes) {
  EXPECT_TRUE(
      has_line(described({{"AUTHD_DATA_DIR", "/srv/authd"}}), "DATABASE_URL=sqlite:////srv/authd/authd.db"));
}

}  // namespace
}  // namespace authd::config
