// POST /auth/password: the current password checked, the new one held to the rules of
// registration, every other session ended, and a new cookie that works.
#include "support/auth_api.hpp"
#include "support/cookies.hpp"
#include "support/server_test.hpp"

namespace authd::itest {
namespace {

const std::string new_password = "difference engine 1822 brass";

boost::json::object change_body(std::string_view current, std::string_view next) {
  return {{"current_password", current}, {"new_password", next}};
}

class password_change_endpoint : public server_test {
 protected:
  void SetUp() override {
    server_test::SetUp();
    auto c = client();
    ASSERT_EQ(register_user(c, alice()).status, 201u);
  }
};

TEST_F(password_change_endpoint, ends_the_other_sessions_and_answers_with_a_working_new_cookie) {
  auto laptop = client();
  auto phone = client();
  ASSERT_EQ(login(laptop, alice()).status, 200u);
  ASSERT_EQ(login(phone, alice()).status, 200u);
  const std::string old_laptop_token = *laptop.cookies().token();
  ASSERT_EQ(phone.get("/auth/me").status, 200u);  // on SQLite, now in the session cache

  const auto response = laptop.post_json("/auth/password", change_body(alice().password, new_password));
  ASSERT_EQ(response.status, 204u) << ::testing::PrintToString(response);
  EXPECT_EQ(response.body, "");
  EXPECT_EQ(response.header("Cache-Control"), "no-store");
  const auto cookie = find_set_cookie(response, "token");
  ASSERT_TRUE(cookie);
  EXPECT_NE(cookie->value, old_laptop_token);
  EXPECT_EQ(cookie->attribute("max-age"), "1800");

  EXPECT_EQ(laptop.get("/auth/me").status, 200u) << "the new cookie works";
  EXPECT_TRUE(has_detail(phone.get("/auth/me"), 401, "Invalid token")) << "the other device is logged out";
  EXPECT_TRUE(has_detail(client().get("/auth/me", bearer(old_laptop_token)), 401, "Invalid token"))
      << "the token the change was made with ended too";
  const auto sessions = laptop.get("/auth/sessions").json().as_array();
  ASSERT_EQ(sessions.size(), 1u);
  EXPECT_EQ(sessions[0].at("current"), true);
}

TEST_F(password_change_endpoint, the_old_password_no_longer_logs_in_and_the_new_one_does) {
  auto c = client();
  ASSERT_EQ(login(c, alice()).status, 200u);
  ASSERT_EQ(c.post_json("/auth/password", change_body(alice().password, new_password)).status, 204u);
  EXPECT_TRUE(has_detail(login(c, alice()), 401, "Invalid credentials"));
  auto changed = alice();
  changed.password = new_password;
  EXPECT_EQ(login(c, changed).status, 200u);
}

TEST_F(password_change_endpoint, a_wrong_current_password_is_400_and_changes_nothing) {
  auto c = client();
  auto phone = client();
  ASSERT_EQ(login(c, alice()).status, 200u);
  ASSERT_EQ(login(phone, alice()).status, 200u);
  const auto response = c.post_json("/auth/password", change_body("not my password at all", new_password));
  EXPECT_TRUE(has_detail(response, 400, "Invalid current password"));
  EXPECT_FALSE(find_set_cookie(response, "token"));
  EXPECT_EQ(c.get("/auth/me").status, 200u);
  EXPECT_EQ(phone.get("/auth/me").status, 200u);
  EXPECT_EQ(login(c, alice()).status, 200u) << "the password is unchanged";
}

TEST_F(password_change_endpoint, needs_a_valid_session) {
  auto c = client();
  EXPECT_TRUE(has_detail(c.post_json("/auth/password", change_body(alice().password, new_password)), 401,
                         "Not authenticated"));
  c.cookies().set_token("not-a-token");
  EXPECT_TRUE(has_detail(c.post_json("/auth/password", change_body(alice().password, new_password)), 401,
                         "Invalid token"));
  EXPECT_EQ(login(c, alice()).status, 200u) << "the password is unchanged";
}

TEST_F(password_change_endpoint, the_new_password_follows_the_rules_of_registration) {
  auto c = client();
  ASSERT_EQ(login(c, alice()).status, 200u);
  const auto short_one = c.post_json("/auth/password", change_body(alice().password, "short"));
  EXPECT_EQ(short_one.status, 422u);
  EXPECT_EQ(
      short_one.json(),
      json(R"({"detail":[{"type":"string_too_short","loc":["body","new_password"],)"
           R"("msg":"String should have at least 8 characters","input":"short","ctx":{"min_length":8}}]})"));

  const auto common = c.post_json("/auth/password", change_body(alice().password, "password123"));
  EXPECT_EQ(common.status, 422u);
  EXPECT_EQ(common.json().at("detail").at(0).at("loc"), json(R"(["body","new_password"])"));
  EXPECT_EQ(common.json().at("detail").at(0).at("msg"), "Value error, password is too common");

  const auto missing = c.post_json("/auth/password", boost::json::object{{"new_password", new_password}});
  EXPECT_EQ(missing.status, 422u);
  EXPECT_EQ(missing.json().at("detail").at(0).at("type"), "missing");
  EXPECT_EQ(missing.json().at("detail").at(0).at("loc"), json(R"(["body","current_password"])"));

  const auto not_json =
      c.request("POST", "/auth/password", "current_password=x", {{"Content-Type", "text/plain"}});
  EXPECT_TRUE(has_detail(not_json, 415, "Unsupported Media Type"));
  EXPECT_EQ(c.post_json_text("/auth/password", "{").status, 422u);

  EXPECT_EQ(c.get("/auth/me").status, 200u) << "refused changes end nothing";
  EXPECT_EQ(login(c, alice()).status, 200u) << "the password is unchanged";
}

}  // namespace
}  // namespace authd::itest
