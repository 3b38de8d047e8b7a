// POST /auth/register: the 201 answer, its cookie and headers, duplicates, email normalization,
// and the media type.
#include <algorithm>

#include "support/auth_api.hpp"
#include "support/cookies.hpp"
#include "support/forged_tokens.hpp"
#include "support/server_test.hpp"
#include "support/text.hpp"

namespace authd::itest {
namespace {

using ::testing::HasSubstr;
using register_endpoint = server_test;

TEST_F(register_endpoint, answers_a_lowercase_uuid_v4_id_only) {
  auto c = client();
  const auto response = register_user(c, alice());
  ASSERT_EQ(response.status, 201u) << ::testing::PrintToString(response);
  const auto body = response.json().as_object();
  EXPECT_EQ(body.size(), 1u);
  ASSERT_TRUE(body.contains("id") && body.at("id").is_string());
  EXPECT_TRUE(is_lowercase_uuid_v4(body.at("id").as_string())) << body.at("id");
}

TEST_F(register_endpoint, sets_the_session_cookie_with_the_contract_attributes) {
  auto c = client();
  const auto response = register_user(c, alice());
  ASSERT_EQ(response.status, 201u);
  const auto cookie = find_set_cookie(response, "token");
  ASSERT_TRUE(cookie) << ::testing::PrintToString(response);
  EXPECT_EQ(std::count(cookie->value.begin(), cookie->value.end(), '.'), 2) << "not a JWT: " << cookie->value;
  EXPECT_TRUE(cookie->has("httponly"));
  EXPECT_EQ(cookie->attribute("max-age"), "1800");
  EXPECT_EQ(cookie->attribute("path"), "/");
  ASSERT_TRUE(cookie->attribute("samesite"));
  EXPECT_TRUE(iequals(*cookie->attribute("samesite"), "Lax"));
  EXPECT_FALSE(cookie->has("secure")) << "Secure is off by default (local development)";
}

TEST_F(register_endpoint, the_token_names_the_new_user_and_a_session) {
  auto c = client();
  const auto response = register_user(c, alice());
  ASSERT_EQ(response.status, 201u);
  const auto claims = token_claims(*c.cookies().token());
  EXPECT_EQ(claims.at("sub"), response.json().at("id"));
  ASSERT_TRUE(claims.contains("sid") && claims.at("sid").is_string());
  EXPECT_TRUE(is_lowercase_uuid_v4(claims.at("sid").as_string()));
  ASSERT_TRUE(claims.at("iat").is_int64() && claims.at("exp").is_int64());
  EXPECT_EQ(claims.at("exp").as_int64() - claims.at("iat").as_int64(), 1800);
}

TEST_F(register_endpoint, the_cookie_logs_the_new_user_in) {
  auto c = client();
  const auto id = register_user(c, alice()).json().at("id");
  const auto me = c.get("/auth/me");
  ASSERT_EQ(me.status, 200u) << ::testing::PrintToString(me);
  EXPECT_EQ(me.json().at("id"), id);
}

TEST_F(register_endpoint, answers_with_the_auth_headers) {
  auto c = client();
  const auto response = register_user(c, alice());
  ASSERT_EQ(response.status, 201u);
  EXPECT_TRUE(response.header("X-Request-Id").has_value());
  EXPECT_EQ(response.header("Cache-Control"), "no-store");
  EXPECT_EQ(response.header("X-Content-Type-Options"), "nosniff");
  ASSERT_TRUE(response.header("Content-Type"));
  EXPECT_THAT(to_lower(*response.header("Content-Type")), HasSubstr("application/json"));
}

TEST_F(register_endpoint, a_second_user_gets_another_id) {
  auto c = client();
  const auto first = register_user(c, alice());
  const auto second = register_user(c, bob());
  ASSERT_EQ(first.status, 201u);
  ASSERT_EQ(second.status, 201u);
  EXPECT_NE(first.json().at("id"), second.json().at("id"));
}

TEST_F(register_endpoint, duplicate_email_answers_400_and_sets_no_cookie) {
  auto c = client();
  ASSERT_EQ(register_user(c, alice()).status, 201u);
  auto other = alice();
  other.name = "Someone Else";
  other.password = "a different long password 4";
  const auto response = register_user(c, other);
  EXPECT_TRUE(has_detail(response, 400, "User already exists"));
  EXPECT_FALSE(find_set_cookie(response, "token"));
}

TEST_F(register_endpoint, emails_differing_only_in_case_are_one_account) {
  auto c = client();
  auto lower = alice();
  lower.email = "a@example.com";
  auto upper = alice();
  upper.email = "A@example.com";
  ASSERT_EQ(register_user(c, upper).status, 201u);
  EXPECT_TRUE(has_detail(register_user(c, lower), 400, "User already exists"));
  auto shouting = alice();
  shouting.email = "A@EXAMPLE.COM";
  EXPECT_TRUE(has_detail(register_user(c, shouting), 400, "User already exists"));
}

TEST_F(register_endpoint, the_email_domain_is_lowercased_in_the_answers) {
  auto c = client();
  auto u = alice();
  u.email = "Alice.Smith@Example.COM";
  ASSERT_EQ(register_user(c, u).status, 201u);
  const auto me = c.get("/auth/me");
  ASSERT_EQ(me.status, 200u);
  EXPECT_EQ(me.json().at("email"), "Alice.Smith@example.com");

  http_client other(server().port());
  const auto response = other.post_json("/auth/login", login_body("alice.smith@example.com", u.password));
  ASSERT_EQ(response.status, 200u) << ::testing::PrintToString(response);
  EXPECT_EQ(response.json().at("email"), "Alice.Smith@example.com");
}

TEST_F(register_endpoint, the_email_is_trimmed) {
  auto c = client();
  auto u = alice();
  u.email = "  alice@example.com \t";
  ASSERT_EQ(register_user(c, u).status, 201u) << "DESIGN.md: email trimmed";
  EXPECT_EQ(c.get("/auth/me").json().at("email"), "alice@example.com");
  EXPECT_TRUE(has_detail(register_user(c, alice()), 400, "User already exists"));
}

TEST_F(register_endpoint, accepts_json_with_a_charset) {
  auto c = client();
  const auto response = c.post_json("/auth/register", register_body(alice()),
                                    {{"Content-Type", "application/json; charset=utf-8"}});
  EXPECT_EQ(response.status, 201u) << ::testing::PrintToString(response);
}

TEST_F(register_endpoint, refuses_other_media_types_with_415) {
  const std::string body = boost::json::serialize(register_body(alice()));
  auto c = client();
  EXPECT_TRUE(has_detail(c.request("POST", "/auth/register", body, {{"Content-Type", "text/plain"}}), 415,
                         "Unsupported Media Type"));
  EXPECT_TRUE(has_detail(c.request("POST", "/auth/register", body), 415, "Unsupported Media Type"));
  EXPECT_TRUE(has_detail(c.request("POST", "/auth/register", "name=a&email=b&password=c",
                                   {{"Content-Type", "application/x-www-form-urlencoded"}}),
                         415, "Unsupported Media Type"));
  // None of them created the account.
  EXPECT_EQ(register_user(c, alice()).status, 201u);
}

TEST(register_settings, the_cookie_is_secure_when_configured) {
  test_server server(env_map{{"AUTHD_COOKIE_SECURE", "true"}});
  http_client c(server.port());
  const auto response = register_user(c, alice());
  ASSERT_EQ(response.status, 201u);
  const auto cookie = find_set_cookie(response, "token");
  ASSERT_TRUE(cookie);
  EXPECT_TRUE(cookie->has("secure"));
}

}  // namespace
}  // namespace authd::itest
