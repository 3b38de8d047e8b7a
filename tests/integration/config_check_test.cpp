// `authd config check` and `authd version`, run as the real binary: the effective settings with
// secrets redacted, exit status 2 naming the variable when a value is bad, and the version lines.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "support/child_process.hpp"

namespace authd::itest {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;

bool has_line(const std::string& text, const std::string& line) {
  return ("\n" + text).find("\n" + line + "\n") != std::string::npos;
}

constexpr int exit_config = 2;  // the CLI's exit status for a bad configuration

const std::string jwt_secret = "config-check-jwt-secret-0123456789abcdef";
const std::string previous_secret = "config-check-previous-secret-fedcba9876543210";
const std::string database_password = "pg-pass-word-7f3a";

TEST(config_check, prints_the_effective_settings_with_secrets_redacted) {
  const auto result = run_authd({"config", "check"}, {{"AUTHD_HOST", "127.0.0.1"},
                                                      {"AUTHD_PORT", "8123"},
                                                      {"AUTHD_DATA_DIR", "/var/lib/authd-test"},
                                                      {"AUTHD_COOKIE_SECURE", "true"},
                                                      {"AUTHD_COOKIE_NAME", "__Host-token"},
                                                      {"JWT_SECRET", jwt_secret},
                                                      {"JWT_PREVIOUS_SECRETS", previous_secret}});
  EXPECT_EQ(result.exit_code, 0) << result.output;
  EXPECT_TRUE(has_line(result.output, "AUTHD_HOST=127.0.0.1")) << result.output;
  EXPECT_TRUE(has_line(result.output, "AUTHD_PORT=8123")) << result.output;
  EXPECT_TRUE(has_line(result.output, "AUTHD_DATA_DIR=/var/lib/authd-test")) << result.output;
  EXPECT_TRUE(has_line(result.output, "DATABASE_URL=sqlite:////var/lib/authd-test/authd.db"))
      << result.output;
  EXPECT_TRUE(has_line(result.output, "AUTHD_COOKIE_NAME=__Host-token")) << result.output;
  EXPECT_TRUE(has_line(result.output, "JWT_SECRET=<set, redacted>")) << result.output;
  EXPECT_THAT(result.output, Not(HasSubstr(jwt_secret)));
  EXPECT_THAT(result.output, Not(HasSubstr(previous_secret)));
  // It only reads: no data directory, no generated secret.
  EXPECT_FALSE(std::filesystem::exists("/var/lib/authd-test"));
}

TEST(config_check, never_prints_database_passwords) {
  // From the original service's DATABASE_* variables...
  auto parts = run_authd({"config", "check"}, {{"DATABASE_HOST", "db.example.com"},
                                               {"DATABASE_USER", "authd"},
                                               {"DATABASE_PASSWORD", database_password},
                                               {"DATABASE_NAME", "authd"}});
  EXPECT_EQ(parts.exit_code, 0) << parts.output;
  EXPECT_THAT(parts.output, HasSubstr("db.example.com"));
  EXPECT_THAT(parts.output, Not(HasSubstr(database_password)));
  // ...and from DATABASE_URL, in its userinfo and in libpq's query parameters.
  auto url = run_authd({"config", "check"},
                       {{"DATABASE_URL", "postgresql://authd:" + database_password +
                                             "@db.example.com:5433/authd?sslpassword=" + database_password}});
  EXPECT_EQ(url.exit_code, 0) << url.output;
  EXPECT_THAT(url.output, HasSubstr("db.example.com:5433"));
  EXPECT_THAT(url.output, Not(HasSubstr(database_password)));
}

TEST(config_check, a_bad_value_exits_2_naming_the_variable) {
  const auto result = run_authd({"config", "check"}, {{"AUTHD_PORT", "http"}});
  EXPECT_EQ(result.exit_code, exit_config) << result.output;
  EXPECT_THAT(result.output, HasSubstr("AUTHD_PORT"));
  EXPECT_THAT(result.output, Not(HasSubstr("AUTHD_HOST=")));  // no settings printed
}

TEST(config_check, a_weak_jwt_secret_exits_2_without_showing_it) {
  const std::string weak = "short-but-secret";
  const auto result = run_authd({"config", "check"}, {{"JWT_SECRET", weak}});
  EXPECT_EQ(result.exit_code, exit_config) << result.output;
  EXPECT_THAT(result.output, HasSubstr("JWT_SECRET"));
  EXPECT_THAT(result.output, Not(HasSubstr(weak)));
}

TEST(version, prints_the_version_then_the_build) {
  const auto result = run_authd({"version"}, {});
  EXPECT_EQ(result.exit_code, 0) << result.output;
  EXPECT_THAT(result.output,
              ::testing::MatchesRegex("authd [0-9]+\\.[0-9]+\\.[0-9]+\nbuild: .*libsodium .*SQLite .*\n"));
}

}  // namespace
}  // namespace authd::itest
