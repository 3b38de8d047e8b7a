// The log after a full flow holds no password, no token, no hash and no JWT_SECRET.
#include "support/auth_api.hpp"
#include "support/forged_tokens.hpp"
#include "support/server_test.hpp"

namespace authd::itest {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;

class secrets_in_logs : public server_test {
 protected:
  env_map extra_env() const override {
    return {{"JWT_SECRET", std::string(known_jwt_secret)}, {"AUTHD_LOG_LEVEL", "debug"}};
  }
};

TEST_F(secrets_in_logs, a_full_flow_logs_no_secret) {
  const user u{"Logged Person", "logged@example.com", "unmistakable-passw0rd-7d1e"};
  const std::string wrong_password = "another-unmistakable-9b2c";
  auto c = client();
  ASSERT_EQ(register_user(c, u).status, 201u);
  const std::string first_token = *c.cookies().token();
  ASSERT_EQ(c.get("/auth/me").status, 200u);
  ASSERT_EQ(c.get("/auth/logout").status, 204u);
  ASSERT_EQ(c.post_json("/auth/login", login_body(u.email, wrong_password)).status, 401u);
  ASSERT_EQ(login(c, u).status, 200u);
  const std::string second_token = *c.cookies().token();
  ASSERT_EQ(c.get("/auth/me", bearer(second_token)).status, 200u);
  ASSERT_EQ(c.post_json("/auth/logout", boost::json::object{}).status, 204u);
  // A refused token and a validation error that echoes input back to the client.
  ASSERT_EQ(client().get("/auth/me", bearer(first_token)).status, 401u);
  auto short_password = register_body(u);
  short_password["password"] = "sh0rt!";
  ASSERT_EQ(c.post_json("/auth/register", short_password).status, 422u);
  EXPECT_EQ(server().stop_with(SIGTERM), 0);  // flushes the log

  const auto log = server().log_text();
  EXPECT_THAT(log, HasSubstr("/auth/login")) << "the access log is written (else this test proves nothing)";
  for (const std::string& secret : {u.password, wrong_password, std::string("sh0rt!"), first_token,
                                    second_token, first_token.substr(first_token.rfind('.') + 1),
                                    std::string("$argon2"), std::string(known_jwt_secret)}) {
    EXPECT_THAT(log, Not(HasSubstr(secret)));
  }
}

}  // namespace
}  // namespace authd::itest
