// The audit trail: one JSON line per authentication event, with the user, the client's address and
// user agent, and the request id its response carried; never a password, token or hash.
#include "support/audit_lines.hpp"
#include "support/auth_api.hpp"
#include "support/server_test.hpp"

namespace authd::itest {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;

class audit_log : public server_test {
 protected:
  // Every line leaves the batching writer only when the server stops.
  std::vector<boost::json::object> events(std::string_view name) {
    return audit_lines(server().log_text(), name);
  }
};

TEST_F(audit_log, records_register_login_and_logout_with_who_and_from_where) {
  auto c = client();
  const user u = alice();
  const auto registered = c.post_json("/auth/register", register_body(u));
  ASSERT_EQ(registered.status, 201u);
  const std::string user_id(registered.json().as_object().at("id").as_string());
  const auto wrong = c.post_json("/auth/login", login_body(u.email, "not-the-password-1234"));
  ASSERT_EQ(wrong.status, 401u);
  const auto unknown = c.post_json("/auth/login", login_body("nobody@example.com", u.password));
  ASSERT_EQ(unknown.status, 401u);
  const auto logged_in = c.post_json("/auth/login", login_body(u.email, u.password));
  ASSERT_EQ(logged_in.status, 200u);
  const auto logged_out = c.request("POST", "/auth/logout");
  ASSERT_EQ(logged_out.status, 204u);
  const auto again = client().post_json("/auth/register", register_body(u));
  ASSERT_EQ(again.status, 400u);
  ASSERT_EQ(server().stop_with(SIGTERM), 0);

  auto check = [&](std::string_view event, const http_response& response, std::string_view expected_user,
                   std::size_t index = 0) {
    SCOPED_TRACE(std::string(event));
    const auto lines = events(event);
    ASSERT_GT(lines.size(), index);
    const auto& line = lines[index];
    EXPECT_EQ(line.at("user_id").as_string(), expected_user);
    EXPECT_EQ(line.at("address"), "127.0.0.1");
    EXPECT_EQ(line.at("user_agent"), "authd-integration-tests");  // the test client's User-Agent
    EXPECT_EQ(line.at("request_id").as_string(), *response.header("X-Request-Id"));
  };
  check("registered", registered, user_id);
  check("login_failed", wrong, user_id, 0);
  check("login_failed", unknown, "", 1);
  check("login_succeeded", logged_in, user_id);
  check("logged_out", logged_out, user_id);
  check("register_refused", again, "");
  EXPECT_EQ(events("login_failed").size(), 2u);

  const auto log = server().log_text();
  for (const std::string& secret : {u.password, std::string("not-the-password-1234"), std::string("$argon2")})
    EXPECT_THAT(log, Not(HasSubstr(secret)));
}

TEST_F(audit_log, a_logout_without_a_genuine_session_records_nothing) {
  auto c = client();
  ASSERT_EQ(c.get("/auth/logout").status, 204u);
  ASSERT_EQ(c.get("/auth/logout", bearer("not.a.token")).status, 204u);
  ASSERT_EQ(server().stop_with(SIGTERM), 0);
  EXPECT_TRUE(events("logged_out").empty());
}

}  // namespace
}  // namespace authd::itest
