// Cross-site requests refused before the handler runs (the session survives), same-origin and
// allowed origins served, CORS preflights granted or refused, CORS headers on actual answers.
#include <gmock/gmock.h>

#include "support/auth_api.hpp"
#include "support/cookies.hpp"
#include "support/server_test.hpp"

namespace authd::itest {
namespace {

using ::testing::HasSubstr;

constexpr std::string_view app = "https://app.example.com";
constexpr std::string_view evil = "https://evil.example";

class cross_origin : public server_test {
 protected:
  env_map extra_env() const override { return {{"AUTHD_ALLOWED_ORIGINS", std::string(app)}}; }

  // A client logged in as alice, its cookie in the jar.
  http_client signed_in() {
    auto c = client();
    EXPECT_EQ(register_user(c, alice()).status, 201u);
    EXPECT_TRUE(c.cookies().token());
    return c;
  }

  std::string own_origin() { return "http://127.0.0.1:" + std::to_string(server().port()); }

  // The session of `c` still works: the refused request changed nothing.
  static ::testing::AssertionResult still_signed_in(http_client& c) {
    const auto me = c.get("/auth/me");
    if (me.status == 200u) return ::testing::AssertionSuccess();
    return ::testing::AssertionFailure() << "GET /auth/me answered " << me.status << " " << me.body;
  }
};

TEST_F(cross_origin, a_cross_site_post_with_the_cookie_is_refused_and_the_session_survives) {
  auto c = signed_in();
  const auto response = c.request("POST", "/auth/logout", {}, {{"Origin", std::string(evil)}});
  EXPECT_TRUE(has_detail(response, 403, "Cross-site request refused"));
  EXPECT_FALSE(find_set_cookie(response, "token")) << "the cookie is not cleared";
  EXPECT_EQ(response.header("Cache-Control"), "no-store");
  EXPECT_FALSE(response.header("Access-Control-Allow-Origin"));
  EXPECT_TRUE(still_signed_in(c));
}

TEST_F(cross_origin, a_cross_site_get_logout_is_refused_and_the_session_survives) {
  auto c = signed_in();
  // A link or an <img> on another site: a navigation carries Sec-Fetch-Site, no Origin.
  auto response = c.get("/auth/logout", {{"Sec-Fetch-Site", "cross-site"}, {"Sec-Fetch-Mode", "navigate"}});
  EXPECT_TRUE(has_detail(response, 403, "Cross-site request refused"));
  EXPECT_FALSE(find_set_cookie(response, "token"));
  response = c.get("/auth/logout", {{"Origin", std::string(evil)}});
  EXPECT_TRUE(has_detail(response, 403, "Cross-site request refused"));
  response = c.get("/auth/logout", {{"Origin", "null"}});
  EXPECT_TRUE(has_detail(response, 403, "Cross-site request refused"));
  EXPECT_TRUE(still_signed_in(c));
}

TEST_F(cross_origin, a_cross_site_login_is_refused_before_any_cookie_is_set) {
  auto c = client();
  ASSERT_EQ(register_user(c, alice()).status, 201u);
  http_client other(server().port());
  const auto response = other.post_json("/auth/login", login_body(alice().email, alice().password),
                                        {{"Origin", std::string(evil)}});
  EXPECT_TRUE(has_detail(response, 403, "Cross-site request refused"));
  EXPECT_FALSE(find_set_cookie(response, "token"));
}

TEST_F(cross_origin, same_origin_requests_work) {
  auto c = signed_in();
  const auto response = c.request("POST", "/auth/logout", {}, {{"Origin", own_origin()}});
  EXPECT_EQ(response.status, 204u) << response.body;
  EXPECT_EQ(c.get("/auth/me").status, 401u) << "logged out";
  EXPECT_FALSE(response.header("Access-Control-Allow-Origin")) << "same-origin needs no CORS";
}

TEST_F(cross_origin, browser_navigations_from_the_same_site_may_log_out) {
  auto c = signed_in();
  const auto response = c.get("/auth/logout", {{"Sec-Fetch-Site", "same-site"}});
  EXPECT_EQ(response.status, 204u) << response.body;
  EXPECT_EQ(c.get("/auth/me").status, 401u);
}

TEST_F(cross_origin, an_allowed_origin_may_log_in_and_read_the_answer) {
  auto c = client();
  ASSERT_EQ(register_user(c, alice()).status, 201u);
  http_client browser(server().port());
  const auto response = browser.post_json("/auth/login", login_body(alice().email, alice().password),
                                          {{"Origin", std::string(app)}});
  EXPECT_EQ(response.status, 200u) << response.body;
  EXPECT_EQ(response.header("Access-Control-Allow-Origin"), std::string(app));
  EXPECT_EQ(response.header("Access-Control-Allow-Credentials"), "true");
  EXPECT_EQ(response.header("Access-Control-Expose-Headers"), "X-Request-Id, Retry-After");
  EXPECT_EQ(response.header("Vary"), "Origin");
  ASSERT_TRUE(browser.cookies().token());
  const auto logout = browser.request("POST", "/auth/logout", {}, {{"Origin", std::string(app)}});
  EXPECT_EQ(logout.status, 204u);
  EXPECT_EQ(logout.header("Access-Control-Allow-Origin"), std::string(app));
}

TEST_F(cross_origin, other_origins_get_no_cors_headers) {
  auto c = signed_in();
  const auto response = c.get("/auth/me", {{"Origin", std::string(evil)}});
  EXPECT_EQ(response.status, 200u) << "a read is not refused; the browser just may not show it";
  EXPECT_FALSE(response.header("Access-Control-Allow-Origin"));
  EXPECT_FALSE(response.header("Access-Control-Allow-Credentials"));
}

TEST_F(cross_origin, a_form_post_with_the_cookie_is_refused_as_not_json) {
  auto c = signed_in();
  // An old browser that sends no Origin and no Sec-Fetch-Site, posting a form.
  const auto response =
      c.request("POST", "/auth/logout", "a=1", {{"Content-Type", "application/x-www-form-urlencoded"}});
  EXPECT_TRUE(has_detail(response, 415, "Unsupported Media Type"));
  EXPECT_TRUE(still_signed_in(c));
}

TEST_F(cross_origin, a_bodiless_post_logout_with_the_cookie_still_works) {
  auto c = signed_in();
  EXPECT_EQ(c.request("POST", "/auth/logout").status, 204u);
  EXPECT_EQ(c.get("/auth/me").status, 401u);
}

TEST_F(cross_origin, a_preflight_from_an_allowed_origin_is_granted) {
  auto c = client();
  const auto response = c.request("OPTIONS", "/auth/login", {},
                                  {{"Origin", std::string(app)},
                                   {"Access-Control-Request-Method", "POST"},
                                   {"Access-Control-Request-Headers", "content-type,x-request-id"}});
  EXPECT_EQ(response.status, 204u) << response.body;
  EXPECT_EQ(response.body, "");
  EXPECT_EQ(response.header("Access-Control-Allow-Origin"), std::string(app));
  EXPECT_EQ(response.header("Access-Control-Allow-Credentials"), "true");
  EXPECT_EQ(response.header("Access-Control-Allow-Methods"), "POST");
  EXPECT_EQ(response.header("Access-Control-Allow-Headers"), "Content-Type, Authorization, X-Request-Id");
  EXPECT_EQ(response.header("Access-Control-Max-Age"), "600");
  EXPECT_EQ(response.header("Vary"), "Origin");
}

TEST_F(cross_origin, preflights_outside_the_grants_are_refused) {
  auto c = client();
  const std::vector<header_list> refused{
      {{"Origin", std::string(evil)}, {"Access-Control-Request-Method", "POST"}},
      {{"Origin", std::string(app)}, {"Access-Control-Request-Method", "DELETE"}},
      {{"Origin", std::string(app)},
       {"Access-Control-Request-Method", "POST"},
       {"Access-Control-Request-Headers", "content-type, x-evil"}},
  };
  for (const auto& headers : refused) {
    const auto response = c.request("OPTIONS", "/auth/login", {}, headers);
    EXPECT_TRUE(has_detail(response, 403, "CORS request refused")) << ::testing::PrintToString(headers);
    EXPECT_FALSE(response.header("Access-Control-Allow-Origin"));
  }
}

TEST_F(cross_origin, options_on_an_unknown_path_or_without_a_requested_method_is_as_before) {
  auto c = client();
  EXPECT_TRUE(has_detail(c.request("OPTIONS", "/nope", {},
                                   {{"Origin", std::string(app)}, {"Access-Control-Request-Method", "GET"}}),
                         404, "Not Found"));
  const auto response = c.request("OPTIONS", "/auth/login", {}, {{"Origin", std::string(app)}});
  EXPECT_TRUE(has_detail(response, 405, "Method Not Allowed"));
  EXPECT_EQ(response.header("Allow"), "POST");
}

// Without AUTHD_ALLOWED_ORIGINS only the server's own pages may call with the cookie.
class same_origin_only : public server_test {};

TEST_F(same_origin_only, refuses_every_other_origin_and_grants_no_preflight) {
  auto c = client();
  ASSERT_EQ(register_user(c, alice()).status, 201u);
  const auto response = c.request("POST", "/auth/logout", {}, {{"Origin", std::string(app)}});
  EXPECT_TRUE(has_detail(response, 403, "Cross-site request refused"));
  EXPECT_EQ(c.get("/auth/me").status, 200u);
  const auto preflight = c.request("OPTIONS", "/auth/login", {},
                                   {{"Origin", std::string(app)}, {"Access-Control-Request-Method", "POST"}});
  EXPECT_TRUE(has_detail(preflight, 403, "CORS request refused"));
  EXPECT_FALSE(c.get("/auth/me", {{"Origin", std::string(app)}}).header("Vary"));
}

}  // namespace
}  // namespace authd::itest
