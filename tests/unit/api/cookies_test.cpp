// Reading the session token from requests and writing the cookie.
#include "api/cookies.hpp"

#include <gtest/gtest.h>

namespace authd::api {
namespace {

http::request with(std::initializer_list<std::pair<http::bhttp::field, std::string>> fields) {
  http::request req{http::bhttp::verb::get, "/auth/me", 11};
  for (const auto& [f, v] : fields) req.insert(f, v);
  return req;
}

using http::bhttp::field;

TEST(cookies, finds_the_named_cookie_among_others) {
  auto req = with({{field::cookie, "a=1; token=abc.def.ghi; b=2"}});
  EXPECT_EQ(find_cookie(req, "token"), "abc.def.ghi");
  EXPECT_EQ(find_cookie(req, "b"), "2");
  EXPECT_FALSE(find_cookie(req, "tok").has_value());
}

TEST(cookies, empty_or_quoted_values) {
  EXPECT_FALSE(find_cookie(with({{field::cookie, "token="}}), "token").has_value());
  EXPECT_EQ(find_cookie(with({{field::cookie, "token=\"x.y.z\""}}), "token"), "x.y.z");
  EXPECT_FALSE(find_cookie(with({}), "token").has_value());
}

// Found by the cookies fuzz target: a quoted blank value used to be returned as the token " ".
TEST(cookies, a_quoted_blank_value_is_absent) {
  EXPECT_FALSE(find_cookie(with({{field::cookie, "token=\" \""}}), "token").has_value());
  EXPECT_FALSE(find_cookie(with({{field::cookie, "token=\"\t \""}}), "token").has_value());
  EXPECT_EQ(find_token(with({{field::cookie, "token=\" \""}, {field::authorization, "Bearer b"}}), {}), "b");
}

TEST(cookies, looks_in_every_cookie_header) {
  auto req = with({{field::cookie, "a=1"}, {field::cookie, "token=t"}});
  EXPECT_EQ(find_cookie(req, "token"), "t");
}

TEST(bearer, scheme_is_case_insensitive_and_needs_a_token) {
  EXPECT_EQ(find_bearer(with({{field::authorization, "Bearer abc"}})), "abc");
  EXPECT_EQ(find_bearer(with({{field::authorization, "bearer   abc "}})), "abc");
  EXPECT_FALSE(find_bearer(with({{field::authorization, "Bearer "}})).has_value());
  EXPECT_FALSE(find_bearer(with({{field::authorization, "Basic abc"}})).has_value());
  EXPECT_FALSE(find_bearer(with({{field::authorization, "Bearerabc"}})).has_value());
}

TEST(tokens, cookie_wins_over_bearer) {
  cookie_options options;
  auto req = with({{field::cookie, "token=from-cookie"}, {field::authorization, "Bearer from-header"}});
  EXPECT_EQ(find_token(req, options), "from-cookie");
  EXPECT_EQ(find_token(with({{field::authorization, "Bearer h"}}), options), "h");
}

TEST(set_cookie, session_cookie_has_the_contract_attributes) {
  cookie_options options{.name = "token", .secure = false, .max_age = std::chrono::seconds(1800)};
  EXPECT_EQ(session_cookie(options, "a.b.c"), "token=a.b.c; Max-Age=1800; HttpOnly; Path=/; SameSite=Lax");
  options.secure = true;
  options.name = "__Host-token";
  EXPECT_EQ(session_cookie(options, "a.b.c"),
            "__Host-token=a.b.c; Max-Age=1800; HttpOnly; Path=/; SameSite=Lax; Secure");
}

TEST(set_cookie, cleared_cookie_expires_it) {
  cookie_options options;
  EXPECT_EQ(cleared_cookie(options),
            "token=; Max-Age=0; Expires=Thu, 01 Jan 1970 00:00:00 GMT; HttpOnly; Path=/; SameSite=Lax");
}

}  // namespace
}  // namespace authd::api
