// AUTHD_ALLOWED_ORIGINS and AUTHD_TRUSTED_PROXIES: parsed, normalized, refused with the variable's name.
#include <gtest/gtest.h>

#include "config/settings.hpp"
#include "fake_env.hpp"

namespace authd::config {
namespace {

using testing::fake_env;
using testing::load_error;
using testing::load_ok;
using strings = std::vector<std::string>;

bool has_line(const std::string& text, const std::string& line) {
  return ("\n" + text).find("\n" + line + "\n") != std::string::npos;
}

TEST(allowed_origins, default_to_none) {
  EXPECT_TRUE(load_ok({}).allowed_origins.empty());
  EXPECT_TRUE(has_line(describe(load_ok({})), "AUTHD_ALLOWED_ORIGINS="));
}

TEST(allowed_origins, are_kept_as_browsers_write_them) {
  const auto s =
      load_ok({{"AUTHD_ALLOWED_ORIGINS",
                " https://App.Example.com , http://localhost:3000,https://a.example:443,http://b.example:80,"
                "http://[::1]:8080"}});
  EXPECT_EQ(s.allowed_origins, (strings{"https://app.example.com", "http://localhost:3000",
                                        "https://a.example", "http://b.example", "http://[::1]:8080"}));
  EXPECT_TRUE(
      has_line(describe(s),
               "AUTHD_ALLOWED_ORIGINS=https://app.example.com,http://localhost:3000,https://a.example,"
               "http://b.example,http://[::1]:8080"));
}

TEST(allowed_origins, refuse_what_is_not_an_origin) {
  for (const char* bad :
       {"*", "https://*.example.com", "app.example.com", "https://app.example.com/",
        "https://app.example.com/path", "https://user@app.example.com", "https://app.example.com?x",
        "https://app.example.com#x", "https://", "https://app.example.com:"}) {
    const auto error = load_error({{"AUTHD_ALLOWED_ORIGINS", std::string("https://ok.example,") + bad}});
    EXPECT_EQ(error.rfind("AUTHD_ALLOWED_ORIGINS: expected origins like https://app.example.com", 0), 0u)
        << bad << ": " << error;
  }
}

TEST(trusted_proxies, default_to_none) {
  EXPECT_TRUE(load_ok({}).trusted_proxies.empty());
  EXPECT_TRUE(has_line(describe(load_ok({})), "AUTHD_TRUSTED_PROXIES="));
}

TEST(trusted_proxies, accept_addresses_and_blocks_of_both_families) {
  const auto s = load_ok({{"AUTHD_TRUSTED_PROXIES", "127.0.0.1, 10.0.0.0/8,::1,2001:db8::/32"}});
  EXPECT_EQ(s.trusted_proxies, (strings{"127.0.0.1", "10.0.0.0/8", "::1", "2001:db8::/32"}));
  EXPECT_TRUE(has_line(describe(s), "AUTHD_TRUSTED_PROXIES=127.0.0.1,10.0.0.0/8,::1,2001:db8::/32"));
}

TEST(trusted_proxies, refuse_names_and_bad_prefixes) {
  for (const char* bad :
       {"proxy.internal", "10.0.0.0/33", "::/129", "10.0.0.0/", "10.0.0.0/x", "*", "fe80::1%eth0"}) {
    const auto error = load_error({{"AUTHD_TRUSTED_PROXIES", std::string("10.0.0.1,") + bad}});
    EXPECT_EQ(error.rfind("AUTHD_TRUSTED_PROXIES: expected IP addresses or CIDR blocks", 0), 0u)
        << bad << ": " << error;
  }
}

}  // namespace
}  // namespace authd::config
