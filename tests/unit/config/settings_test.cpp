#include "config/settings.hpp"

#include <gtest/gtest.h>

#include <cstdlib>
#include <functional>
#include <thread>

#include "fake_env.hpp"

namespace authd::config {
namespace {

using testing::fake_env;
using testing::load_error;
using testing::load_ok;

TEST(settings, defaults_when_nothing_is_set) {
  settings s = load_ok({});
  EXPECT_EQ(s.host, "0.0.0.0");
  EXPECT_EQ(s.port, 8000);
  EXPECT_GE(s.threads, 1u);
  EXPECT_GE(s.hash_threads, 1u);
  EXPECT_EQ(s.data_dir, std::filesystem::path("data"));
  ASSERT_TRUE(std::holds_alternative<sqlite_settings>(s.database));
  EXPECT_EQ(std::get<sqlite_settings>(s.database).file, std::filesystem::path("data") / "authd.db");
  EXPECT_TRUE(s.migrate_on_start);
  EXPECT_FALSE(s.jwt_secret);
  EXPECT_EQ(s.argon2_memory_kib, 19456u);
  EXPECT_EQ(s.argon2_iterations, 2u);
  EXPECT_EQ(s.hash_queue, 64u);
  EXPECT_EQ(s.token_lifetime, std::chrono::seconds(1800));
  EXPECT_EQ(s.cookie_name, "token");
  EXPECT_FALSE(s.cookie_secure);
  EXPECT_EQ(s.session_sweep_interval, std::chrono::seconds(600));
  EXPECT_EQ(s.throttle_account_failures, 10u);
  EXPECT_EQ(s.throttle_address_failures, 100u);
  EXPECT_EQ(s.throttle_address_registrations, 20u);
  EXPECT_EQ(s.throttle_window, std::chrono::seconds(900));
  EXPECT_EQ(s.throttle_block, std::chrono::seconds(60));
  EXPECT_EQ(s.throttle_max_block, std::chrono::seconds(900));
  EXPECT_EQ(s.password_min_length, 8u);
  EXPECT_EQ(s.password_max_length, 256u);
  EXPECT_EQ(s.max_header_bytes, 8192u);
  EXPECT_EQ(s.max_body_bytes, 65536u);
  EXPECT_EQ(s.read_timeout, std::chrono::seconds(15));
  EXPECT_EQ(s.idle_timeout, std::chrono::seconds(60));
  EXPECT_EQ(s.max_connections, 10000u);
  EXPECT_EQ(s.shutdown_timeout, std::chrono::seconds(10));
  EXPECT_EQ(s.log_level, "info");
  EXPECT_EQ(s.log_format, "text");
}

TEST(settings, zero_threads_mean_the_number_of_cores) {
  settings s = load_ok({{"AUTHD_THREADS", "0"}, {"AUTHD_HASH_THREADS", "0"}});
  unsigned cores = std::max(1u, std::thread::hardware_concurrency());
  EXPECT_EQ(s.threads, cores);
  EXPECT_EQ(s.hash_threads, cores);
}

TEST(settings, empty_values_count_as_unset) {
  settings s = load_ok({{"AUTHD_PORT", ""}, {"JWT_SECRET", ""}, {"DATABASE_URL", ""}, {"DATABASE_HOST", ""}});
  EXPECT_EQ(s.port, 8000);
  EXPECT_FALSE(s.jwt_secret);
  EXPECT_TRUE(std::holds_alternative<sqlite_settings>(s.database));
}

struct integer_case {
  const char* name;
  std::uint64_t min;
  std::uint64_t max;
  std::function<std::uint64_t(const settings&)> get;
};

std::uint64_t secs(std::chrono::seconds s) {
  return static_cast<std::uint64_t>(s.count());
}

const std::vector<integer_case>& integer_cases() {
  static const std::vector<integer_case> cases = {
      {"AUTHD_PORT", 0, 65535, [](const settings& s) { return s.port; }},
      {"AUTHD_THREADS", 0, 256, [](const settings& s) { return s.threads; }},
      {"AUTHD_HASH_THREADS", 0, 256, [](const settings& s) { return s.hash_threads; }},
      {"AUTHD_HASH_QUEUE", 1, 100000, [](const settings& s) { return s.hash_queue; }},
      {"AUTHD_HASH_MEMORY_KEEP_SECONDS", 0, 86400,
       [](const settings& s) { return secs(s.hash_memory_keep); }},
      {"AUTHD_ARGON2_MEMORY_KIB", 1024, 1048576, [](const settings& s) { return s.argon2_memory_kib; }},
      {"AUTHD_ARGON2_ITERATIONS", 1, 64, [](const settings& s) { return s.argon2_iterations; }},
      {"AUTHD_TOKEN_LIFETIME_SECONDS", 60, 2592000, [](const settings& s) { return secs(s.token_lifetime); }},
      {"AUTHD_SESSION_SWEEP_SECONDS", 1, 86400,
       [](const settings& s) { return secs(s.session_sweep_interval); }},
      {"AUTHD_THROTTLE_ACCOUNT_FAILURES", 0, 1000000,
       [](const settings& s) { return s.throttle_account_failures; }},
      {"AUTHD_THROTTLE_ADDRESS_FAILURES", 0, 1000000,
       [](const settings& s) { return s.throttle_address_failures; }},
      {"AUTHD_THROTTLE_ADDRESS_REGISTRATIONS", 0, 1000000,
       [](const settings& s) { return s.throttle_address_registrations; }},
      {"AUTHD_THROTTLE_WINDOW_SECONDS", 1, 86400, [](const settings& s) { return secs(s.throttle_window); }},
      {"AUTHD_THROTTLE_BLOCK_SECONDS", 1, 86400, [](const settings& s) { return secs(s.throttle_block); }},
      {"AUTHD_THROTTLE_MAX_BLOCK_SECONDS", 1, 86400,
       [](const settings& s) { return secs(s.throttle_max_block); }},
      {"AUTHD_PASSWORD_MIN_LENGTH", 1, 1024, [](const settings& s) { return s.password_min_length; }},
      // the lower bound is the (default) minimum length
      {"AUTHD_PASSWORD_MAX_LENGTH", 8, 4096, [](const settings& s) { return s.password_max_length; }},
      {"AUTHD_MAX_HEADER_BYTES", 1024, 1048576, [](const settings& s) { return s.max_header_bytes; }},
      {"AUTHD_MAX_BODY_BYTES", 1024, 16777216, [](const settings& s) { return s.max_body_bytes; }},
      {"AUTHD_READ_TIMEOUT_SECONDS", 1, 3600, [](const settings& s) { return secs(s.read_timeout); }},
      {"AUTHD_IDLE_TIMEOUT_SECONDS", 1, 3600, [](const settings& s) { return secs(s.idle_timeout); }},
      {"AUTHD_MAX_CONNECTIONS", 1, 1000000, [](const settings& s) { return s.max_connections; }},
      {"AUTHD_SHUTDOWN_TIMEOUT_SECONDS", 1, 3600, [](const settings& s) { return secs(s.shutdown_timeout); }},
      {"DATABASE_PORT", 1, 65535, nullptr},  // checked in database_test.cpp; only errors here
  };
  return cases;
}

std::map<std::string, std::string> with(const integer_case& c, const std::string& value) {
  std::map<std::string, std::string> env{{c.name, value}};
  if (std::string_view(c.name) == "AUTHD_PASSWORD_MIN_LENGTH") env["AUTHD_PASSWORD_MAX_LENGTH"] = "4096";
  if (std::string_view(c.name) == "DATABASE_PORT") env["DATABASE_HOST"] = "db";
  if (std::string_view(c.name) == "AUTHD_THROTTLE_BLOCK_SECONDS")
    env["AUTHD_THROTTLE_MAX_BLOCK_SECONDS"] = "86400";
  if (std::string_view(c.name) == "AUTHD_THROTTLE_MAX_BLOCK_SECONDS")
    env["AUTHD_THROTTLE_BLOCK_SECONDS"] = "1";
  return env;
}

TEST(settings, every_integer_accepts_its_bounds) {
  for (const auto& c : integer_cases()) {
    if (!c.get) continue;
    SCOPED_TRACE(c.name);
    EXPECT_EQ(c.get(load_ok(with(c, std::to_string(c.max)))), c.max);
    if (c.min > 0) {
      EXPECT_EQ(c.get(load_ok(with(c, std::to_string(c.min)))), c.min);
    }
    std::uint64_t middle = c.min + (c.max - c.min) / 3;
    if (middle > 0) {
      EXPECT_EQ(c.get(load_ok(with(c, std::to_string(middle)))), middle);
    }
  }
}

TEST(settings, every_integer_refuses_bad_values_naming_the_variable) {
  for (const auto& c : integer_cases()) {
    SCOPED_TRACE(c.name);
    const std::string expected = std::string(c.name) + ": expected an integer from " + std::to_string(c.min) +
                                 " to " + std::to_string(c.max);
    std::vector<std::string> bad = {"http",
                                    "12x",
                                    "-1",
                                    " 5",
                                    "5 ",
                                    "+5",
                                    "0x10",
                                    "1.5",
                                    "99999999999999999999999",
                                    std::to_string(c.max + 1)};
    if (c.min > 0) bad.push_back(std::to_string(c.min - 1));
    for (const auto& value : bad) {
      SCOPED_TRACE(value);
      EXPECT_EQ(load_error(with(c, value)), expected + ", got \"" + value + "\"");
    }
  }
}

TEST(settings, port_error_reads_as_documented) {
  EXPECT_EQ(load_error({{"AUTHD_PORT", "http"}}),
            "AUTHD_PORT: expected an integer from 0 to 65535, got \"http\"");
}

TEST(settings, echoed_values_are_escaped_and_cut) {
  std::string error = load_error({{"AUTHD_PORT", "1\n2\"" + std::string(100, 'a')}});
  EXPECT_EQ(error.find('\n'), std::string::npos);
  EXPECT_NE(error.find("1\\x0a2\\\""), std::string::npos) << error;
  EXPECT_NE(error.find("...\""), std::string::npos) << error;
  EXPECT_LT(error.size(), 160u);
}

TEST(settings, password_lengths_are_checked_together) {
  settings s = load_ok({{"AUTHD_PASSWORD_MIN_LENGTH", "12"}, {"AUTHD_PASSWORD_MAX_LENGTH", "12"}});
  EXPECT_EQ(s.password_min_length, 12u);
  EXPECT_EQ(s.password_max_length, 12u);
  EXPECT_EQ(load_error({{"AUTHD_PASSWORD_MIN_LENGTH", "12"}, {"AUTHD_PASSWORD_MAX_LENGTH", "11"}}),
            "AUTHD_PASSWORD_MAX_LENGTH: expected an integer from 12 to 4096, got \"11\"");
  EXPECT_EQ(load_error({{"AUTHD_PASSWORD_MIN_LENGTH", "300"}}),
            "AUTHD_PASSWORD_MIN_LENGTH: must not exceed AUTHD_PASSWORD_MAX_LENGTH (256)");
}

TEST(settings, the_longest_block_is_not_shorter_than_the_first) {
  settings s = load_ok({{"AUTHD_THROTTLE_BLOCK_SECONDS", "30"}, {"AUTHD_THROTTLE_MAX_BLOCK_SECONDS", "30"}});
  EXPECT_EQ(s.throttle_max_block, std::chrono::seconds(30));
  EXPECT_EQ(load_error({{"AUTHD_THROTTLE_BLOCK_SECONDS", "1000"}}),
            "AUTHD_THROTTLE_MAX_BLOCK_SECONDS: must not be less than AUTHD_THROTTLE_BLOCK_SECONDS (1000)");
}

TEST(settings, migrating_at_start_defaults_to_the_embedded_store_only) {
  EXPECT_TRUE(load_ok({}).migrate_on_start);
  EXPECT_FALSE(load_ok({{"DATABASE_URL", "postgresql://u@db/authd"}}).migrate_on_start);
  EXPECT_TRUE(load_ok({{"DATABASE_URL", "postgresql://u@db/authd"}, {"AUTHD_MIGRATE_ON_START", "true"}})
                  .migrate_on_start);
  EXPECT_FALSE(load_ok({{"AUTHD_MIGRATE_ON_START", "false"}}).migrate_on_start);
}

TEST(settings, database_pool_and_timeout) {
  auto s = load_ok({{"AUTHD_DB_POOL_SIZE", "3"}, {"AUTHD_DB_TIMEOUT_SECONDS", "2"}});
  EXPECT_EQ(s.db_pool_size, 3u);
  EXPECT_EQ(s.db_timeout, std::chrono::seconds(2));
  EXPECT_EQ(load_error({{"AUTHD_DB_POOL_SIZE", "0"}}),
            "AUTHD_DB_POOL_SIZE: expected an integer from 1 to 1000, got \"0\"");
}

TEST(settings, booleans_accept_the_usual_spellings) {
  for (const char* name : {"AUTHD_MIGRATE_ON_START", "AUTHD_COOKIE_SECURE"}) {
    SCOPED_TRACE(name);
    auto get = [name](const settings& s) {
      return std::string_view(name) == "AUTHD_COOKIE_SECURE" ? s.cookie_secure : s.migrate_on_start;
    };
    for (const char* yes : {"true", "TRUE", "1", "yes", "Yes", "on", "ON"})
      EXPECT_TRUE(get(load_ok({{name, yes}})));
    for (const char* no : {"false", "False", "0", "no", "NO", "off", "Off"})
      EXPECT_FALSE(get(load_ok({{name, no}})));
    for (const char* bad : {"y", "2", "truee", " true", "enabled"})
      EXPECT_EQ(load_error({{name, bad}}),
                std::string(name) + ": expected true or false (or 1/0, yes/no, on/off), got \"" + bad + "\"");
  }
}

TEST(settings, host_is_an_ip_literal_or_localhost) {
  EXPECT_EQ(load_ok({{"AUTHD_HOST", "127.0.0.1"}}).host, "127.0.0.1");
  EXPECT_EQ(load_ok({{"AUTHD_HOST", "::"}}).host, "::");
  EXPECT_EQ(load_ok({{"AUTHD_HOST", "::1"}}).host, "::1");
  EXPECT_EQ(load_ok({{"AUTHD_HOST", "LocalHost"}}).host, "localhost");
  for (const char* bad : {"example.com", "256.0.0.1", "[::1]", "1.2.3.4:80", "0.0.0.0 "})
    EXPECT_EQ(load_error({{"AUTHD_HOST", bad}}),
              std::string("AUTHD_HOST: expected an IPv4 or IPv6 address, or localhost, got \"") + bad + "\"");
}

TEST(settings, data_dir_and_jwt_secret_are_kept_as_given) {
  settings s = load_ok({{"AUTHD_DATA_DIR", "/var/lib/authd"}, {"JWT_SECRET", " spaces and all "}});
  EXPECT_EQ(s.data_dir, std::filesystem::path("/var/lib/authd"));
  EXPECT_EQ(std::get<sqlite_settings>(s.database).file, std::filesystem::path("/var/lib/authd/authd.db"));
  EXPECT_EQ(s.jwt_secret, " spaces and all ");
}

TEST(settings, cookie_name_is_a_token) {
  EXPECT_EQ(load_ok({{"AUTHD_COOKIE_NAME", "session_id-1.x"}}).cookie_name, "session_id-1.x");
  for (const char* bad : {"a b", "a;b", "a=b", "a,b", "tok\"en", "a/b", "caf\xc3\xa9", "a\tb"}) {
    SCOPED_TRACE(bad);
    std::string error = load_error({{"AUTHD_COOKIE_NAME", bad}});
    EXPECT_EQ(error.rfind("AUTHD_COOKIE_NAME: expected a cookie name", 0), 0u) << error;
  }
}

TEST(settings, prefixed_cookie_names_need_secure) {
  EXPECT_EQ(load_ok({{"AUTHD_COOKIE_NAME", "__Host-token"}, {"AUTHD_COOKIE_SECURE", "true"}}).cookie_name,
            "__Host-token");
  EXPECT_EQ(load_ok({{"AUTHD_COOKIE_NAME", "__Secure-token"}, {"AUTHD_COOKIE_SECURE", "on"}}).cookie_name,
            "__Secure-token");
  for (const char* name : {"__Host-token", "__host-token", "__Secure-token"}) {
    SCOPED_TRACE(name);
    std::string error = load_error({{"AUTHD_COOKIE_NAME", name}});
    EXPECT_EQ(error.rfind("AUTHD_COOKIE_NAME: the __", 0), 0u) << error;
    EXPECT_NE(error.find("requires AUTHD_COOKIE_SECURE=true"), std::string::npos) << error;
  }
}

TEST(settings, log_level_and_format_use_the_obs_parsers) {
  settings s = load_ok({{"AUTHD_LOG_LEVEL", "DEBUG"}, {"AUTHD_LOG_FORMAT", "json"}});
  EXPECT_EQ(s.log_level, "debug");
  EXPECT_EQ(s.log_format, "json");
  EXPECT_EQ(load_error({{"AUTHD_LOG_LEVEL", "loud"}}),
            "AUTHD_LOG_LEVEL: expected one of trace, debug, info, warn, error, critical, off, got \"loud\"");
  EXPECT_EQ(load_error({{"AUTHD_LOG_FORMAT", "xml"}}),
            "AUTHD_LOG_FORMAT: expected text or json, got \"xml\"");
}

TEST(settings, the_environment_wins_over_the_env_file) {
  auto env = with_fallback(fake_env({{"AUTHD_PORT", "9000"}, {"JWT_SECRET", ""}}),
                           {{"AUTHD_PORT", "7000"}, {"AUTHD_THREADS", "3"}, {"JWT_SECRET", "from-file"}});
  EXPECT_EQ(env("AUTHD_PORT"), "9000");
  EXPECT_EQ(env("AUTHD_THREADS"), "3");
  EXPECT_EQ(env("JWT_SECRET"), "");  // set, even if empty: the environment still wins
  EXPECT_EQ(env("AUTHD_HOST"), std::nullopt);
  auto loaded = load_settings(env);
  ASSERT_TRUE(loaded) << loaded.error();
  EXPECT_EQ(loaded->port, 9000);
  EXPECT_EQ(loaded->threads, 3u);
}

TEST(settings, process_environment_reads_real_variables) {
  ::setenv("AUTHD_CONFIG_TEST_VARIABLE", "value", 1);
  auto env = process_environment();
  EXPECT_EQ(env("AUTHD_CONFIG_TEST_VARIABLE"), "value");
  ::unsetenv("AUTHD_CONFIG_TEST_VARIABLE");
  EXPECT_EQ(env("AUTHD_CONFIG_TEST_VARIABLE"), std::nullopt);
}

}  // namespace
}  // namespace authd::config
