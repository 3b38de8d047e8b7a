// POST /auth/login: the answer and cookie, the indistinguishable failures, the length rules.
#include "support/auth_api.hpp"
#include "support/cookies.hpp"
#include "support/forged_tokens.hpp"
#include "support/server_test.hpp"

namespace authd::itest {
namespace {

class login_endpoint : public server_test {
 protected:
  void SetUp() override {
    server_test::SetUp();
    http_client c = client();
    const auto response = register_user(c, alice());
    ASSERT_EQ(response.status, 201u) << ::testing::PrintToString(response);
    alice_id_ = response.json().at("id").as_string();
  }
  boost::json::string alice_id_;
};

TEST_F(login_endpoint, answers_id_name_and_email_and_sets_the_cookie) {
  auto c = client();
  const auto response = login(c, alice());
  ASSERT_EQ(response.status, 200u) << ::testing::PrintToString(response);
  EXPECT_EQ(response.json(),
            (boost::json::object{{"id", alice_id_}, {"name", alice().name}, {"email", alice().email}}));
  const auto cookie = find_set_cookie(response, "token");
  ASSERT_TRUE(cookie);
  EXPECT_TRUE(cookie->has("httponly"));
  EXPECT_EQ(cookie->attribute("max-age"), "1800");
  EXPECT_EQ(cookie->attribute("path"), "/");
  EXPECT_EQ(response.header("Cache-Control"), "no-store");
  EXPECT_EQ(response.header("X-Content-Type-Options"), "nosniff");
  EXPECT_TRUE(response.header("X-Request-Id"));
}

TEST_F(login_endpoint, the_email_is_compared_case_insensitively) {
  auto c = client();
  const auto response = c.post_json("/auth/login", login_body("ALICE@Example.com", alice().password));
  ASSERT_EQ(response.status, 200u) << ::testing::PrintToString(response);
  EXPECT_EQ(response.json().at("id"), alice_id_);
  EXPECT_EQ(response.json().at("email"), "alice@example.com");
}

TEST_F(login_endpoint, each_login_opens_its_own_session) {
  auto first = client();
  auto second = client();
  ASSERT_EQ(login(first, alice()).status, 200u);
  ASSERT_EQ(login(second, alice()).status, 200u);
  EXPECT_NE(token_claims(*first.cookies().token()).at("sid"),
            token_claims(*second.cookies().token()).at("sid"));
}

TEST_F(login_endpoint, wrong_password_and_unknown_email_answer_identically) {
  auto c = client();
  const auto wrong_password =
      c.post_json("/auth/login", login_body(alice().email, "not the password at all"));
  const auto unknown_email = c.post_json("/auth/login", login_body("nobody@example.com", alice().password));
  EXPECT_TRUE(has_detail(wrong_password, 401, "Invalid credentials"));
  EXPECT_TRUE(has_detail(unknown_email, 401, "Invalid credentials"));
  EXPECT_EQ(wrong_password.body, unknown_email.body);
  EXPECT_FALSE(find_set_cookie(wrong_password, "token"));
  EXPECT_FALSE(find_set_cookie(unknown_email, "token"));
}

TEST_F(login_endpoint, the_password_is_case_sensitive) {
  auto c = client();
  auto shouted = alice();
  std::transform(shouted.password.begin(), shouted.password.end(), shouted.password.begin(),
                 [](char ch) { return static_cast<char>(std::toupper(static_cast<unsigned char>(ch))); });
  EXPECT_TRUE(has_detail(login(c, shouted), 401, "Invalid credentials"));
}

TEST_F(login_endpoint, does_not_apply_the_minimum_length) {
  auto c = client();
  EXPECT_TRUE(
      has_detail(c.post_json("/auth/login", login_body(alice().email, "abc")), 401, "Invalid credentials"));
}

TEST_F(login_endpoint, applies_the_maximum_length) {
  auto c = client();
  const std::string long_password(257, 'x');
  const auto response = c.post_json("/auth/login", login_body(alice().email, long_password));
  EXPECT_EQ(response.status, 422u);
  EXPECT_EQ(response.json(),
            (boost::json::object{{"detail", boost::json::array{boost::json::object{
                                                {"type", "string_too_long"},
                                                {"loc", boost::json::array{"body", "password"}},
                                                {"msg", "String should have at most 256 characters"},
                                                {"input", long_password},
                                                {"ctx", {{"max_length", 256}}}}}}}));
}

TEST_F(login_endpoint, refuses_other_media_types_with_415) {
  auto c = client();
  const std::string body = boost::json::serialize(login_body(alice().email, alice().password));
  EXPECT_TRUE(has_detail(c.request("POST", "/auth/login", body, {{"Content-Type", "text/plain"}}), 415,
                         "Unsupported Media Type"));
  EXPECT_TRUE(has_detail(c.request("POST", "/auth/login", body), 415, "Unsupported Media Type"));
  EXPECT_FALSE(c.cookies().token());
}

// An account made when the minimum was lower still logs in after the minimum was raised.
TEST(login_settings, an_old_short_password_still_logs_in) {
  test_server server(env_map{{"AUTHD_PASSWORD_MIN_LENGTH", "4"}});
  const user old{"Old Timer", "old@example.com", "Zq9#"};
  {
    http_client c(server.port());
    ASSERT_EQ(register_user(c, old).status, 201u);
  }
  server.restart(env_map{});
  http_client c(server.port());
  const auto response = login(c, old);
  EXPECT_EQ(response.status, 200u) << ::testing::PrintToString(response);
}

}  // namespace
}  // namespace authd::itest
