// GET and POST /auth/logout: 204, the cookie cleared, and the session revoked on the server so a
// kept copy of the token is refused.
#include "support/auth_api.hpp"
#include "support/cookies.hpp"
#include "support/server_test.hpp"

namespace authd::itest {
namespace {

class logout_endpoint : public server_test, public ::testing::WithParamInterface<const char*> {
 protected:
  void SetUp() override {
    server_test::SetUp();
    auto c = client();
    ASSERT_EQ(register_user(c, alice()).status, 201u);
  }
};

void expect_cleared_cookie(const http_response& response) {
  const auto cookie = find_set_cookie(response, "token");
  ASSERT_TRUE(cookie) << ::testing::PrintToString(response);
  EXPECT_EQ(cookie->value, "");
  EXPECT_EQ(cookie->attribute("max-age"), "0");
  EXPECT_EQ(cookie->attribute("path"), "/");
}

TEST_P(logout_endpoint, answers_204_with_no_body_and_clears_the_cookie) {
  auto c = client();
  ASSERT_EQ(login(c, alice()).status, 200u);
  const auto response = c.request(GetParam(), "/auth/logout");
  EXPECT_EQ(response.status, 204u);
  EXPECT_EQ(response.body, "");
  expect_cleared_cookie(response);
  EXPECT_FALSE(c.cookies().token()) << "the jar honours Max-Age=0";
  EXPECT_EQ(response.header("Cache-Control"), "no-store");
  EXPECT_TRUE(response.header("X-Request-Id"));
}

TEST_P(logout_endpoint, a_kept_token_is_refused_afterwards_by_cookie_and_by_bearer) {
  auto c = client();
  ASSERT_EQ(login(c, alice()).status, 200u);
  const std::string kept = *c.cookies().token();
  ASSERT_EQ(c.request(GetParam(), "/auth/logout").status, 204u);

  http_client replay(server().port());
  replay.cookies().set_token(kept);
  EXPECT_TRUE(has_detail(replay.get("/auth/me"), 401, "Invalid token"));
  EXPECT_TRUE(has_detail(client().get("/auth/me", bearer(kept)), 401, "Invalid token"));
}

TEST_P(logout_endpoint, without_a_token_answers_204) {
  auto c = client();
  const auto response = c.request(GetParam(), "/auth/logout");
  EXPECT_EQ(response.status, 204u);
  EXPECT_EQ(response.body, "");
}

TEST_P(logout_endpoint, with_an_invalid_token_answers_204) {
  auto c = client();
  c.cookies().set_token("not-a-token");
  EXPECT_EQ(c.request(GetParam(), "/auth/logout").status, 204u);
}

TEST_P(logout_endpoint, twice_answers_204_both_times) {
  auto c = client();
  ASSERT_EQ(login(c, alice()).status, 200u);
  const std::string kept = *c.cookies().token();
  ASSERT_EQ(c.request(GetParam(), "/auth/logout").status, 204u);
  c.cookies().set_token(kept);
  EXPECT_EQ(c.request(GetParam(), "/auth/logout").status, 204u);
}

TEST_P(logout_endpoint, revokes_only_its_own_session) {
  auto laptop = client();
  auto phone = client();
  ASSERT_EQ(login(laptop, alice()).status, 200u);
  ASSERT_EQ(login(phone, alice()).status, 200u);
  ASSERT_EQ(laptop.request(GetParam(), "/auth/logout").status, 204u);
  EXPECT_EQ(phone.get("/auth/me").status, 200u);
}

TEST_P(logout_endpoint, logging_in_again_works) {
  auto c = client();
  ASSERT_EQ(login(c, alice()).status, 200u);
  ASSERT_EQ(c.request(GetParam(), "/auth/logout").status, 204u);
  ASSERT_EQ(login(c, alice()).status, 200u);
  EXPECT_EQ(c.get("/auth/me").status, 200u);
}

INSTANTIATE_TEST_SUITE_P(methods, logout_endpoint, ::testing::Values("GET", "POST"));

}  // namespace
}  // namespace authd::itest
