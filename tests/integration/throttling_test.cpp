// Throttling of login and registration (429 with Retry-After), on both stores, with small limits.
#include <charconv>
#include <chrono>
#include <csignal>
#include <thread>

#include "support/auth_api.hpp"
#include "support/server_test.hpp"

namespace authd::itest {
namespace {

constexpr std::string_view too_many = "Too many attempts, try again later";

// Retry-After as whole seconds; 0 when absent or not a positive number.
long retry_after(const http_response& response) {
  const auto value = response.header("Retry-After");
  if (!value) return 0;
  long seconds = 0;
  const auto [end, error] = std::from_chars(value->data(), value->data() + value->size(), seconds);
  return error == std::errc() && end == value->data() + value->size() ? seconds : 0;
}

http_response login_as(http_client& c, std::string_view email, std::string_view password) {
  return c.post_json("/auth/login", login_body(email, password));
}

// Three failures per account, six per address, three registrations per address; blocks long
// enough that no test reaches their end by accident.
class throttling : public server_test {
 protected:
  env_map extra_env() const override {
    return {{"AUTHD_THROTTLE_ACCOUNT_FAILURES", "3"},
            {"AUTHD_THROTTLE_ADDRESS_FAILURES", "6"},
            {"AUTHD_THROTTLE_ADDRESS_REGISTRATIONS", "3"},
            {"AUTHD_THROTTLE_BLOCK_SECONDS", "120"},
            {"AUTHD_THROTTLE_MAX_BLOCK_SECONDS", "600"}};
  }
};

TEST_F(throttling, a_burst_of_wrong_passwords_gets_429_with_retry_after) {
  auto c = client();
  ASSERT_EQ(register_user(c, alice()).status, 201u);
  for (int i = 0; i < 3; ++i)
    EXPECT_TRUE(
        has_detail(login_as(c, alice().email, "not the password at all"), 401, "Invalid credentials"));
  const auto refused = login_as(c, alice().email, "not the password at all");
  EXPECT_TRUE(has_detail(refused, 429, too_many)) << ::testing::PrintToString(refused);
  EXPECT_GE(retry_after(refused), 1);
  EXPECT_LE(retry_after(refused), 120);
  EXPECT_EQ(refused.header("Cache-Control"), "no-store");
}

TEST_F(throttling, during_the_block_the_right_password_gets_the_same_answer_as_a_wrong_one) {
  auto c = client();
  ASSERT_EQ(register_user(c, alice()).status, 201u);
  for (int i = 0; i < 3; ++i) login_as(c, alice().email, "not the password at all");
  const auto wrong = login_as(c, alice().email, "not the password at all");
  const auto right = login(c, alice());
  EXPECT_TRUE(has_detail(wrong, 429, too_many)) << ::testing::PrintToString(wrong);
  EXPECT_TRUE(has_detail(right, 429, too_many)) << ::testing::PrintToString(right);
  EXPECT_EQ(right.body, wrong.body);
  EXPECT_TRUE(right.header("Retry-After"));
  EXPECT_FALSE(right.header("Set-Cookie")) << "no session for a throttled attempt";
  // Also by another spelling of the email: the account is the case-folded email.
  EXPECT_TRUE(has_detail(login_as(c, "ALICE@example.com", alice().password), 429, too_many));
}

TEST_F(throttling, guessing_the_current_password_of_a_stolen_session_counts_on_the_account) {
  auto c = client();
  ASSERT_EQ(register_user(c, alice()).status, 201u);
  const boost::json::object guess{{"current_password", "not the password at all"},
                                  {"new_password", "difference engine 1822 brass"}};
  for (int i = 0; i < 3; ++i)
    EXPECT_TRUE(has_detail(c.post_json("/auth/password", guess), 400, "Invalid current password"));
  const auto refused = c.post_json("/auth/password", guess);
  EXPECT_TRUE(has_detail(refused, 429, too_many)) << ::testing::PrintToString(refused);
  EXPECT_GE(retry_after(refused), 1);
  boost::json::object right = guess;
  right["current_password"] = alice().password;
  EXPECT_TRUE(has_detail(c.post_json("/auth/password", right), 429, too_many)) << "even the right one";
  EXPECT_TRUE(has_detail(login(c, alice()), 429, too_many)) << "and the login of that account";
}

TEST_F(throttling, an_unknown_email_is_throttled_like_a_known_one) {
  auto c = client();
  for (int i = 0; i < 3; ++i)
    EXPECT_TRUE(
        has_detail(login_as(c, "nobody@example.com", "not the password at all"), 401, "Invalid credentials"));
  EXPECT_TRUE(has_detail(login_as(c, "nobody@example.com", "not the password at all"), 429, too_many));
}

TEST_F(throttling, the_address_limit_spans_accounts) {
  auto c = client();
  ASSERT_EQ(register_user(c, alice()).status, 201u);
  // Two failures on each of three accounts: no account reaches its limit, the address does.
  for (const char* email : {"one@example.com", "two@example.com", "three@example.com"}) {
    for (int i = 0; i < 2; ++i)
      EXPECT_TRUE(has_detail(login_as(c, email, "not the password at all"), 401, "Invalid credentials"));
  }
  EXPECT_TRUE(has_detail(login(c, alice()), 429, too_many));
}

TEST_F(throttling, registrations_per_address_are_limited) {
  auto c = client();
  ASSERT_EQ(register_user(c, alice()).status, 201u);
  EXPECT_TRUE(has_detail(register_user(c, alice()), 400, "User already exists"));
  ASSERT_EQ(register_user(c, bob()).status, 201u);
  const user carol{"Carol", "carol@example.com", "a long and uncommon password"};
  const auto refused = register_user(c, carol);
  EXPECT_TRUE(has_detail(refused, 429, too_many)) << ::testing::PrintToString(refused);
  EXPECT_GE(retry_after(refused), 1);
  // Nothing was created: Carol cannot log in (a 401, as her account does not exist).
  EXPECT_TRUE(has_detail(login(c, carol), 401, "Invalid credentials"));
}

TEST_F(throttling, a_throttled_attempt_is_in_the_audit_trail_without_the_email) {
  auto c = client();
  for (int i = 0; i < 4; ++i) login_as(c, "nobody@example.com", "not the password at all");
  ASSERT_EQ(server().stop_with(SIGTERM), 0);  // flushes the log
  const std::string log = server().log_text();
  EXPECT_NE(log.find(R"("event":"throttled")"), std::string::npos) << log;
  EXPECT_NE(log.find(R"("detail":"login.account")"), std::string::npos) << log;
  EXPECT_EQ(log.find("nobody@example.com"), std::string::npos) << "no email in the log";
}

class throttling_short_blocks : public server_test {
 protected:
  env_map extra_env() const override {
    return {{"AUTHD_THROTTLE_ACCOUNT_FAILURES", "2"},
            {"AUTHD_THROTTLE_BLOCK_SECONDS", "2"},
            {"AUTHD_THROTTLE_MAX_BLOCK_SECONDS", "2"}};
  }
};

TEST_F(throttling_short_blocks, after_retry_after_the_right_password_works) {
  auto c = client();
  ASSERT_EQ(register_user(c, alice()).status, 201u);
  for (int i = 0; i < 2; ++i) login_as(c, alice().email, "not the password at all");
  const auto refused = login(c, alice());
  ASSERT_TRUE(has_detail(refused, 429, too_many)) << ::testing::PrintToString(refused);
  const long wait = retry_after(refused);
  ASSERT_GE(wait, 1);
  ASSERT_LE(wait, 2);
  // Waiting what Retry-After says is enough (it rounds up).
  std::this_thread::sleep_for(std::chrono::seconds(wait));
  const auto after = login(c, alice());
  EXPECT_EQ(after.status, 200u) << ::testing::PrintToString(after);
}

}  // namespace
}  // namespace authd::itest
