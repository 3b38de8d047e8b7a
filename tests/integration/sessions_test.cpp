// GET /auth/sessions, DELETE /auth/sessions/{id} and POST /auth/logout?scope=...: the caller's
// sessions listed with the current one marked, ended one by one or by scope, and an ended
// session's token refused afterwards.
#include <algorithm>
#include <boost/json/array.hpp>
#include <cctype>

#include "support/auth_api.hpp"
#include "support/cookies.hpp"
#include "support/server_test.hpp"

namespace authd::itest {
namespace {

class sessions_endpoint : public server_test {
 protected:
  // A client logged in as `u` that says it is `agent`.
  http_client signed_in(const user& u, const std::string& agent) {
    auto c = client();
    const auto response =
        c.post_json("/auth/login", login_body(u.email, u.password), {{"User-Agent", agent}});
    EXPECT_EQ(response.status, 200u) << ::testing::PrintToString(response);
    return c;
  }

  void SetUp() override {
    server_test::SetUp();
    auto c = client();
    ASSERT_EQ(register_user(c, alice()).status, 201u);
    ASSERT_EQ(register_user(c, bob()).status, 201u);
  }
};

// The session ids of a GET /auth/sessions answer, in order, and the current one.
struct listed {
  std::vector<std::string> ids;
  std::string current;
};

listed list_of(http_client& c) {
  const auto response = c.get("/auth/sessions");
  EXPECT_EQ(response.status, 200u) << ::testing::PrintToString(response);
  listed out;
  if (response.status != 200u) return out;
  const auto body = response.json();
  for (const auto& item : body.as_array()) {
    const auto& o = item.as_object();
    out.ids.emplace_back(o.at("id").as_string());
    if (o.at("current").as_bool()) out.current = std::string(o.at("id").as_string());
  }
  return out;
}

TEST_F(sessions_endpoint, lists_the_callers_live_sessions_newest_first_with_the_current_one_marked) {
  auto laptop = signed_in(alice(), "laptop-browser/1.0");
  auto phone = signed_in(alice(), "phone-app/2.0");
  auto other = signed_in(bob(), "bob-browser");

  const auto response = phone.get("/auth/sessions");
  ASSERT_EQ(response.status, 200u) << ::testing::PrintToString(response);
  EXPECT_EQ(response.header("Cache-Control"), "no-store");
  const auto body = response.json();
  const auto& items = body.as_array();
  // Registration started a session too (without a User-Agent of ours): three in all.
  ASSERT_EQ(items.size(), 3u) << response.body;
  const auto& newest = items[0].as_object();
  EXPECT_EQ(newest.at("user_agent"), "phone-app/2.0");
  EXPECT_EQ(newest.at("current"), true);
  EXPECT_EQ(newest.at("address"), "127.0.0.1");
  EXPECT_TRUE(is_lowercase_uuid_v4(newest.at("id").as_string()));
  const std::string created(newest.at("created").as_string());
  EXPECT_TRUE(created.ends_with("Z") && created.size() >= 20 && created[10] == 'T') << created;
  EXPECT_EQ(newest.at("last_used"), newest.at("created")) << "used only now, within the minute";
  EXPECT_EQ(newest.size(), 6u) << "id, created, last_used, user_agent, address, current";
  EXPECT_EQ(items[1].at("user_agent"), "laptop-browser/1.0");
  EXPECT_EQ(items[1].at("current"), false);
  EXPECT_EQ(items[2].at("current"), false);

  // The laptop sees the same sessions, with its own marked.
  const auto from_laptop = list_of(laptop);
  EXPECT_EQ(from_laptop.current, std::string(items[1].at("id").as_string()));
  // Bob sees only his (registration + login).
  EXPECT_EQ(list_of(other).ids.size(), 2u);
}

TEST_F(sessions_endpoint, without_a_valid_token_is_401_as_me) {
  auto c = client();
  EXPECT_TRUE(has_detail(c.get("/auth/sessions"), 401, "Not authenticated"));
  c.cookies().set_token("not-a-token");
  EXPECT_TRUE(has_detail(c.get("/auth/sessions"), 401, "Invalid token"));
  EXPECT_TRUE(has_detail(c.request("DELETE", "/auth/sessions/5d2c8a1e-3b4f-4c6d-8e9f-0a1b2c3d4e5f"), 401,
                         "Invalid token"));
  EXPECT_TRUE(has_detail(client().request("DELETE", "/auth/sessions/x"), 401, "Not authenticated"));
}

TEST_F(sessions_endpoint, delete_ends_another_session_whose_token_is_then_refused) {
  auto laptop = signed_in(alice(), "laptop");
  auto phone = signed_in(alice(), "phone");
  const auto phone_session = list_of(phone).current;
  const std::string phone_token = *phone.cookies().token();

  const auto response = laptop.request("DELETE", "/auth/sessions/" + phone_session);
  EXPECT_EQ(response.status, 204u) << ::testing::PrintToString(response);
  EXPECT_EQ(response.body, "");
  EXPECT_FALSE(find_set_cookie(response, "token")) << "the laptop's own cookie stays";
  EXPECT_EQ(laptop.get("/auth/me").status, 200u);
  EXPECT_TRUE(has_detail(phone.get("/auth/me"), 401, "Invalid token"));
  EXPECT_TRUE(has_detail(client().get("/auth/me", bearer(phone_token)), 401, "Invalid token"));
  const auto left = list_of(laptop).ids;
  EXPECT_EQ(std::count(left.begin(), left.end(), phone_session), 0);

  // Ended already: not a live session any more.
  EXPECT_TRUE(
      has_detail(laptop.request("DELETE", "/auth/sessions/" + phone_session), 404, "Session not found"));
}

TEST_F(sessions_endpoint, deleting_the_current_session_clears_the_cookie) {
  auto laptop = signed_in(alice(), "laptop");
  const std::string kept = *laptop.cookies().token();
  const auto response = laptop.request("DELETE", "/auth/sessions/" + list_of(laptop).current);
  EXPECT_EQ(response.status, 204u);
  const auto cookie = find_set_cookie(response, "token");
  ASSERT_TRUE(cookie) << ::testing::PrintToString(response);
  EXPECT_EQ(cookie->attribute("max-age"), "0");
  EXPECT_TRUE(has_detail(client().get("/auth/me", bearer(kept)), 401, "Invalid token"));
}

TEST_F(sessions_endpoint, another_users_session_or_a_malformed_id_is_404_and_ends_nothing) {
  auto mine = signed_in(alice(), "alice");
  auto theirs = signed_in(bob(), "bob");
  const auto bobs_session = list_of(theirs).current;

  EXPECT_TRUE(has_detail(mine.request("DELETE", "/auth/sessions/" + bobs_session), 404, "Session not found"));
  EXPECT_EQ(theirs.get("/auth/me").status, 200u) << "Bob's session must survive";
  for (const std::string id : {"not-a-uuid", "5D2C8A1E-3B4F-4C6D-8E9F-0A1B2C3D4E5F",
                               "5d2c8a1e-3b4f-4c6d-8e9f-0a1b2c3d4e5f", "%00", "'%20OR%201=1"}) {
    EXPECT_TRUE(has_detail(mine.request("DELETE", "/auth/sessions/" + id), 404, "Session not found")) << id;
  }
  EXPECT_EQ(mine.get("/auth/me").status, 200u);

  // Only the written (lowercase) form names a session, on both stores (PostgreSQL's uuid type
  // would match any case).
  auto phone = signed_in(alice(), "phone");
  std::string upper = list_of(phone).current;
  std::transform(upper.begin(), upper.end(), upper.begin(),
                 [](unsigned char ch) { return std::toupper(ch); });
  EXPECT_TRUE(has_detail(mine.request("DELETE", "/auth/sessions/" + upper), 404, "Session not found"));
  EXPECT_EQ(phone.get("/auth/me").status, 200u);
}

TEST_F(sessions_endpoint, other_methods_and_paths_keep_404_and_405) {
  auto c = signed_in(alice(), "alice");
  const auto wrong = c.get("/auth/sessions/5d2c8a1e-3b4f-4c6d-8e9f-0a1b2c3d4e5f");
  EXPECT_TRUE(has_detail(wrong, 405, "Method Not Allowed"));
  EXPECT_EQ(wrong.header("Allow"), "DELETE");
  const auto list_wrong = c.request("DELETE", "/auth/sessions");
  EXPECT_TRUE(has_detail(list_wrong, 405, "Method Not Allowed"));
  EXPECT_EQ(list_wrong.header("Allow"), "GET, HEAD");
  EXPECT_TRUE(has_detail(c.request("DELETE", "/auth/sessions/a/b"), 404, "Not Found"));
  EXPECT_TRUE(has_detail(c.request("DELETE", "/auth/sessions/"), 404, "Not Found"));
}

TEST_F(sessions_endpoint, logout_scope_others_ends_the_other_sessions_and_keeps_this_one) {
  auto laptop = signed_in(alice(), "laptop");
  auto phone = signed_in(alice(), "phone");
  auto other = signed_in(bob(), "bob");
  ASSERT_EQ(phone.get("/auth/me").status, 200u);  // on SQLite, now in the session cache

  const auto response = laptop.request("POST", "/auth/logout?scope=others");
  EXPECT_EQ(response.status, 204u) << ::testing::PrintToString(response);
  EXPECT_FALSE(find_set_cookie(response, "token")) << "others keeps the cookie";
  EXPECT_EQ(laptop.get("/auth/me").status, 200u);
  EXPECT_TRUE(has_detail(phone.get("/auth/me"), 401, "Invalid token"));
  EXPECT_EQ(other.get("/auth/me").status, 200u) << "another user's sessions are not touched";
  const auto left = list_of(laptop);
  ASSERT_EQ(left.ids.size(), 1u);
  EXPECT_EQ(left.ids[0], left.current);
}

TEST_F(sessions_endpoint, logout_scope_all_ends_every_session_and_clears_the_cookie) {
  auto laptop = signed_in(alice(), "laptop");
  auto phone = signed_in(alice(), "phone");
  const std::string kept = *laptop.cookies().token();
  ASSERT_EQ(phone.get("/auth/me").status, 200u);  // on SQLite, now in the session cache

  const auto response = laptop.request("POST", "/auth/logout?scope=all");
  EXPECT_EQ(response.status, 204u) << ::testing::PrintToString(response);
  const auto cookie = find_set_cookie(response, "token");
  ASSERT_TRUE(cookie);
  EXPECT_EQ(cookie->attribute("max-age"), "0");
  EXPECT_TRUE(has_detail(client().get("/auth/me", bearer(kept)), 401, "Invalid token"));
  EXPECT_TRUE(has_detail(phone.get("/auth/me"), 401, "Invalid token"));
  EXPECT_EQ(login(phone, alice()).status, 200u) << "logging in again works";
}

TEST_F(sessions_endpoint, logout_scope_current_is_todays_logout) {
  auto laptop = signed_in(alice(), "laptop");
  auto phone = signed_in(alice(), "phone");
  const auto response = laptop.request("POST", "/auth/logout?scope=current");
  EXPECT_EQ(response.status, 204u);
  EXPECT_TRUE(find_set_cookie(response, "token"));
  EXPECT_EQ(phone.get("/auth/me").status, 200u);
  EXPECT_EQ(client().request("POST", "/auth/logout?scope=current").status, 204u) << "never fails";
}

TEST_F(sessions_endpoint, logout_scopes_others_and_all_need_a_valid_session) {
  for (const char* scope : {"others", "all"}) {
    auto c = client();
    EXPECT_TRUE(
        has_detail(c.request("POST", std::string("/auth/logout?scope=") + scope), 401, "Not authenticated"))
        << scope;
    c.cookies().set_token("not-a-token");
    EXPECT_TRUE(
        has_detail(c.request("POST", std::string("/auth/logout?scope=") + scope), 401, "Invalid token"))
        << scope;
  }
}

TEST_F(sessions_endpoint, an_unknown_scope_is_a_pydantic_enum_error) {
  auto c = signed_in(alice(), "laptop");
  const auto response = c.request("POST", "/auth/logout?scope=everyone");
  EXPECT_EQ(response.status, 422u);
  EXPECT_EQ(response.json(),
            json(R"({"detail":[{"type":"enum","loc":["query","scope"],)"
                 R"("msg":"Input should be 'current', 'others' or 'all'","input":"everyone",)"
                 R"("ctx":{"expected":"'current', 'others' or 'all'"}}]})"));
  EXPECT_EQ(c.get("/auth/me").status, 200u) << "a refused logout ends nothing";
  EXPECT_EQ(c.request("POST", "/auth/logout?scope=").status, 422u);
  EXPECT_EQ(c.request("POST", "/auth/logout?scope=ALL").status, 422u);
}

TEST_F(sessions_endpoint, get_logout_ignores_the_scope) {
  auto laptop = signed_in(alice(), "laptop");
  auto phone = signed_in(alice(), "phone");
  EXPECT_EQ(laptop.get("/auth/logout?scope=all").status, 204u);
  EXPECT_EQ(phone.get("/auth/me").status, 200u) << "GET /auth/logout ends only its own session";
  EXPECT_EQ(client().get("/auth/logout?scope=bogus").status, 204u);
}

}  // namespace
}  // namespace authd::itest
