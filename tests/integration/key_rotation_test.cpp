// Key rotation: tokens name their secret by kid; after JWT_SECRET is replaced and the old one moved
// to JWT_PREVIOUS_SECRETS, old cookies still work and new ones carry the new kid; unknown kids,
// and the old secret once removed from the list, are refused.
#include <gmock/gmock.h>

#include "support/auth_api.hpp"
#include "support/forged_tokens.hpp"
#include "support/server_test.hpp"

namespace authd::itest {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;

const std::string old_secret(known_jwt_secret);
const std::string new_secret = "integration-tests-only-rotated-5e0b7d21c6a94f38b2";

// Starts on old_secret with alice registered; her cookie is the token signed before the rotation.
class key_rotation : public server_test {
 protected:
  env_map extra_env() const override { return {{"JWT_SECRET", old_secret}}; }

  void SetUp() override {
    server_test::SetUp();
    http_client c = client();
    const auto response = register_user(c, alice());
    ASSERT_EQ(response.status, 201u) << ::testing::PrintToString(response);
    old_token_ = *c.cookies().token();
  }

  void rotate() {
    server().restart(env_map{{"JWT_SECRET", new_secret}, {"JWT_PREVIOUS_SECRETS", old_secret}});
  }

  http_response me(std::string_view token) { return client().get("/auth/me", bearer(token)); }

  // A token for alice's live session, with `header` and signed with `secret`.
  std::string forged(const boost::json::object& header, std::string_view secret) const {
    return make_token(header, token_claims(old_token_), secret);
  }

  std::string old_token_;
};

boost::json::object header_with_kid(std::string_view kid) {
  return {{"alg", "HS256"}, {"kid", kid}, {"typ", "JWT"}};
}

TEST_F(key_rotation, tokens_carry_the_kid_of_the_secret_that_signed_them) {
  EXPECT_EQ(token_header(old_token_).at("kid"), boost::json::string(key_id(old_secret)));
  EXPECT_NE(key_id(old_secret), key_id(new_secret));
  EXPECT_THAT(server().log_text(), HasSubstr("kid " + key_id(old_secret)));
}

TEST_F(key_rotation, an_old_cookie_survives_the_rotation_and_new_logins_carry_the_new_kid) {
  rotate();
  http_client c(server().port());
  c.cookies().set_token(old_token_);
  const auto still = c.get("/auth/me");
  ASSERT_EQ(still.status, 200u) << ::testing::PrintToString(still);
  EXPECT_EQ(still.json().at("email"), boost::json::string(alice().email));

  http_client fresh(server().port());
  ASSERT_EQ(login(fresh, alice()).status, 200u);
  const std::string new_token = *fresh.cookies().token();
  EXPECT_EQ(token_header(new_token).at("kid"), boost::json::string(key_id(new_secret)));
  EXPECT_EQ(fresh.get("/auth/me").status, 200u);

  const std::string log = server().log_text();
  EXPECT_THAT(log, HasSubstr("tokens signed with kid " + key_id(new_secret) + "; also verifying kids " +
                             key_id(old_secret)));
  EXPECT_THAT(log, Not(HasSubstr(old_secret)));
  EXPECT_THAT(log, Not(HasSubstr(new_secret)));
}

TEST_F(key_rotation, once_the_old_secret_is_removed_its_tokens_are_refused) {
  rotate();
  ASSERT_EQ(me(old_token_).status, 200u);
  http_client fresh(server().port());
  ASSERT_EQ(login(fresh, alice()).status, 200u);
  const std::string new_token = *fresh.cookies().token();

  server().restart(env_map{{"JWT_SECRET", new_secret}});
  EXPECT_TRUE(has_detail(me(old_token_), 401, "Invalid token"));
  EXPECT_EQ(me(new_token).status, 200u);
}

TEST_F(key_rotation, a_token_with_an_unknown_kid_is_refused) {
  rotate();
  // The right secret and a live session: only the kid is wrong.
  EXPECT_TRUE(has_detail(me(forged(header_with_kid("0123456789abcdef"), new_secret)), 401, "Invalid token"));
  EXPECT_TRUE(
      has_detail(me(forged(header_with_kid(key_id(new_secret) + "00"), new_secret)), 401, "Invalid token"));
  const std::string unknown_secret = "a-secret-this-server-never-had-0123456789abcdef";
  EXPECT_TRUE(
      has_detail(me(forged(header_with_kid(key_id(unknown_secret)), unknown_secret)), 401, "Invalid token"));
  // The same forgeries with the right kids pass: what was refused above was the kid.
  EXPECT_EQ(me(forged(header_with_kid(key_id(new_secret)), new_secret)).status, 200u);
  EXPECT_EQ(me(forged(header_with_kid(key_id(old_secret)), old_secret)).status, 200u);
}

TEST_F(key_rotation, a_kid_paired_with_another_known_secret_is_refused) {
  rotate();
  EXPECT_TRUE(has_detail(me(forged(header_with_kid(key_id(old_secret)), new_secret)), 401, "Invalid token"));
  EXPECT_TRUE(has_detail(me(forged(header_with_kid(key_id(new_secret)), old_secret)), 401, "Invalid token"));
}

TEST_F(key_rotation, a_token_without_kid_is_checked_with_the_current_secret_only) {
  const boost::json::object no_kid{{"alg", "HS256"}, {"typ", "JWT"}};
  EXPECT_EQ(me(forged(no_kid, old_secret)).status, 200u);  // issued before key ids existed
  rotate();
  EXPECT_EQ(me(forged(no_kid, new_secret)).status, 200u);
  EXPECT_TRUE(has_detail(me(forged(no_kid, old_secret)), 401, "Invalid token"));
}

TEST(key_rotation_settings, a_weak_previous_secret_stops_start_up_naming_the_variable) {
  const std::string weak = "too-short-to-be-a-secret";
  test_server server(env_map{{"JWT_SECRET", new_secret}, {"JWT_PREVIOUS_SECRETS", old_secret + "," + weak}},
                     test_server::wait_mode::no_wait);
  const auto status = server.wait_exit(std::chrono::seconds(15));
  ASSERT_TRUE(status) << "authd kept running with a weak JWT_PREVIOUS_SECRETS\n" << server.log_text();
  EXPECT_NE(*status, 0);
  EXPECT_THAT(server.log_text(), HasSubstr("JWT_PREVIOUS_SECRETS: entry 2: shorter than 32 bytes"));
  EXPECT_THAT(server.log_text(), Not(HasSubstr(weak)));
  EXPECT_THAT(server.log_text(), Not(HasSubstr("listening on")));
}

}  // namespace
}  // namespace authd::itest
