// X-Forwarded-For is believed only from a trusted proxy: the client address in the audit trail
// (and so in session rows and throttling) is the forwarded one then, the peer otherwise.
#include <gmock/gmock.h>

#include <boost/json/parse.hpp>
#include <csignal>
#include <sstream>

#include "support/auth_api.hpp"
#include "support/server_test.hpp"

namespace authd::itest {
namespace {

// The addresses of the audit lines ("audit {...}") for `event`, in order.
std::vector<std::string> audited_addresses(const std::string& log, std::string_view event) {
  std::vector<std::string> out;
  std::istringstream lines(log);
  for (std::string line; std::getline(lines, line);) {
    const auto at = line.find("audit {");
    if (at == std::string::npos) continue;
    boost::system::error_code ec;
    const auto parsed = boost::json::parse(line.substr(at + 6), ec);
    if (ec || !parsed.is_object()) continue;
    const auto& o = parsed.as_object();
    if (o.contains("event") && o.at("event") == boost::json::string(event) && o.contains("address"))
      out.emplace_back(o.at("address").as_string());
  }
  return out;
}

const header_list spoofed{{"X-Forwarded-For", "198.51.100.1, 203.0.113.9"}};

class forwarded_for_untrusted : public server_test {};

TEST_F(forwarded_for_untrusted, is_ignored_and_the_peer_is_the_client) {
  auto c = client();
  ASSERT_EQ(c.post_json("/auth/register", register_body(alice()), spoofed).status, 201u);
  ASSERT_EQ(c.post_json("/auth/login", login_body(alice().email, alice().password), spoofed).status, 200u);
  ASSERT_EQ(server().stop_with(SIGTERM), 0);  // flushes the log
  const auto log = server().log_text();
  EXPECT_EQ(audited_addresses(log, "registered"), std::vector<std::string>{"127.0.0.1"}) << log;
  EXPECT_EQ(audited_addresses(log, "login_succeeded"), std::vector<std::string>{"127.0.0.1"}) << log;
}

class forwarded_for_trusted : public server_test {
 protected:
  env_map extra_env() const override { return {{"AUTHD_TRUSTED_PROXIES", "127.0.0.1,10.0.0.0/8"}}; }
};

TEST_F(forwarded_for_trusted, names_the_client_behind_the_proxy) {
  auto c = client();
  ASSERT_EQ(c.post_json("/auth/register", register_body(alice()), spoofed).status, 201u);
  // Two proxies: the client, then a trusted 10.x proxy, then the one at 127.0.0.1 (the peer).
  ASSERT_EQ(c.post_json("/auth/login", login_body(alice().email, alice().password),
                        {{"X-Forwarded-For", "1.2.3.4"}, {"X-Forwarded-For", "203.0.113.7, 10.1.2.3"}})
                .status,
            200u);
  ASSERT_EQ(server().stop_with(SIGTERM), 0);
  const auto log = server().log_text();
  EXPECT_EQ(audited_addresses(log, "registered"), std::vector<std::string>{"203.0.113.9"}) << log;
  EXPECT_EQ(audited_addresses(log, "login_succeeded"), std::vector<std::string>{"203.0.113.7"}) << log;
}

TEST_F(forwarded_for_trusted, a_malformed_entry_falls_back_to_the_peer) {
  auto c = client();
  ASSERT_EQ(
      c.post_json("/auth/register", register_body(alice()), {{"X-Forwarded-For", "198.51.100.1, unknown"}})
          .status,
      201u);
  ASSERT_EQ(server().stop_with(SIGTERM), 0);
  const auto log = server().log_text();
  EXPECT_EQ(audited_addresses(log, "registered"), std::vector<std::string>{"127.0.0.1"}) << log;
}

TEST(forwarded_for_settings, a_bad_trusted_proxy_stops_start_up_naming_the_variable) {
  test_server server({{"AUTHD_TRUSTED_PROXIES", "proxy.internal"}}, test_server::wait_mode::no_wait);
  const auto status = server.wait_exit(std::chrono::seconds(60));
  ASSERT_TRUE(status) << server.log_text();
  EXPECT_NE(*status, 0);
  EXPECT_THAT(server.log_text(), ::testing::HasSubstr("AUTHD_TRUSTED_PROXIES"));
}

}  // namespace
}  // namespace authd::itest
