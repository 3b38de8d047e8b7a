// The original FastAPI service's own five test cases, against authd.
#include "support/auth_api.hpp"
#include "support/cookies.hpp"
#include "support/server_test.hpp"

namespace authd::itest {
namespace {

using original_service = server_test;

TEST_F(original_service, register_answers_201_and_sets_the_cookie) {
  auto c = client();
  const auto response = register_user(c, alice());
  EXPECT_EQ(response.status, 201u) << ::testing::PrintToString(response);
  ASSERT_TRUE(response.json().as_object().contains("id"));
  const auto cookie = find_set_cookie(response, "token");
  ASSERT_TRUE(cookie);
  EXPECT_FALSE(cookie->value.empty());
}

TEST_F(original_service, registering_twice_answers_400_user_already_exists) {
  auto c = client();
  ASSERT_EQ(register_user(c, alice()).status, 201u);
  EXPECT_TRUE(has_detail(register_user(c, alice()), 400, "User already exists"));
}

TEST_F(original_service, login_me_logout_me_answer_200_200_204_401) {
  auto setup = client();
  ASSERT_EQ(register_user(setup, alice()).status, 201u);

  auto c = client();
  EXPECT_EQ(login(c, alice()).status, 200u);
  EXPECT_EQ(c.get("/auth/me").status, 200u);
  EXPECT_EQ(c.get("/auth/logout").status, 204u);
  EXPECT_EQ(c.get("/auth/me").status, 401u);
}

TEST_F(original_service, wrong_password_answers_401_invalid_credentials) {
  auto c = client();
  ASSERT_EQ(register_user(c, alice()).status, 201u);
  EXPECT_TRUE(has_detail(c.post_json("/auth/login", login_body(alice().email, "not the password at all")),
                         401, "Invalid credentials"));
}

TEST_F(original_service, me_without_cookie_answers_401_not_authenticated) {
  auto c = client();
  EXPECT_TRUE(has_detail(c.get("/auth/me"), 401, "Not authenticated"));
}

}  // namespace
}  // namespace authd::itest
