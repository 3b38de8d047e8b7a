// GET /auth/me: the cookie and the Bearer header, and every way a token is refused (garbage,
// tampered, unsigned, another algorithm, expired, unknown user), with forged tokens.
#include <ctime>
#include <regex>

#include "support/auth_api.hpp"
#include "support/forged_tokens.hpp"
#include "support/server_test.hpp"

namespace authd::itest {
namespace {

const boost::json::object hs256_header{{"alg", "HS256"}, {"typ", "JWT"}};

// A server with a known JWT_SECRET and a registered alice, whose token the tests take apart.
class me_endpoint : public server_test {
 protected:
  env_map extra_env() const override { return {{"JWT_SECRET", std::string(known_jwt_secret)}}; }

  void SetUp() override {
    server_test::SetUp();
    http_client c = client();
    const auto response = register_user(c, alice());
    ASSERT_EQ(response.status, 201u) << ::testing::PrintToString(response);
    alice_id_ = response.json().at("id").as_string();
    token_ = *c.cookies().token();
  }

  http_response me_with_cookie(std::string_view token) {
    http_client c = client();
    c.cookies().set_token(std::string(token));
    return c.get("/auth/me");
  }
  http_response me_with_bearer(std::string_view token) { return client().get("/auth/me", bearer(token)); }

  boost::json::object claims() const { return token_claims(token_); }

  boost::json::string alice_id_;
  std::string token_;
};

// "2026-11-25T09:31:48.123456Z" as seconds since the epoch; -1 when not in that form.
long long parse_created(const std::string& text) {
  static const std::regex form(R"((\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})\.\d{6}Z)");
  std::smatch m;
  if (!std::regex_match(text, m, form)) return -1;
  std::tm tm{};
  tm.tm_year = std::stoi(m[1]) - 1900;
  tm.tm_mon = std::stoi(m[2]) - 1;
  tm.tm_mday = std::stoi(m[3]);
  tm.tm_hour = std::stoi(m[4]);
  tm.tm_min = std::stoi(m[5]);
  tm.tm_sec = std::stoi(m[6]);
  return static_cast<long long>(timegm(&tm));
}

TEST_F(me_endpoint, with_the_cookie_answers_the_user) {
  const auto response = me_with_cookie(token_);
  ASSERT_EQ(response.status, 200u) << ::testing::PrintToString(response);
  const auto body = response.json().as_object();
  EXPECT_EQ(body.size(), 4u);
  EXPECT_EQ(body.at("id"), alice_id_);
  EXPECT_EQ(body.at("name"), boost::json::string(alice().name));
  EXPECT_EQ(body.at("email"), boost::json::string(alice().email));
  ASSERT_TRUE(body.at("created").is_string());
  const auto created = parse_created(std::string(body.at("created").as_string()));
  ASSERT_GE(created, 0) << "not like 2026-11-25T09:31:48.123456Z: " << body.at("created");
  // UTC: within a day of this machine's clock (a time zone offset would be hours away at most, but
  // a missing Z or a local time is caught by the form check above).
  EXPECT_LT(std::llabs(created - unix_now()), 24 * 3600);
  EXPECT_EQ(response.header("Cache-Control"), "no-store");
  EXPECT_EQ(response.header("X-Content-Type-Options"), "nosniff");
}

TEST_F(me_endpoint, with_a_bearer_header_answers_the_user) {
  const auto response = me_with_bearer(token_);
  ASSERT_EQ(response.status, 200u) << ::testing::PrintToString(response);
  EXPECT_EQ(response.json().at("id"), alice_id_);
}

TEST_F(me_endpoint, created_stays_the_same) {
  const auto first = me_with_cookie(token_);
  auto c = client();
  ASSERT_EQ(login(c, alice()).status, 200u);
  const auto second = c.get("/auth/me");
  ASSERT_EQ(first.status, 200u);
  ASSERT_EQ(second.status, 200u);
  EXPECT_EQ(first.json().at("created"), second.json().at("created"));
}

TEST_F(me_endpoint, without_a_token_answers_not_authenticated) {
  const auto response = client().get("/auth/me");
  EXPECT_TRUE(has_detail(response, 401, "Not authenticated"));
  EXPECT_EQ(response.header("Cache-Control"), "no-store");
}

TEST_F(me_endpoint, garbage_answers_invalid_token) {
  for (const std::string& garbage : {std::string("garbage"), std::string("a.b.c"), std::string("..."),
                                     std::string("eyJhbGciOiJIUzI1NiJ9.."), std::string(300, 'A')}) {
    EXPECT_TRUE(has_detail(me_with_cookie(garbage), 401, "Invalid token")) << garbage;
    EXPECT_TRUE(has_detail(me_with_bearer(garbage), 401, "Invalid token")) << garbage;
  }
}

TEST_F(me_endpoint, a_tampered_payload_answers_invalid_token) {
  auto tampered_claims = claims();
  tampered_claims["exp"] = tampered_claims.at("exp").as_int64() + 3600;
  const auto dot = token_.find('.');
  const auto last_dot = token_.rfind('.');
  const std::string tampered = token_.substr(0, dot) + "." +
                               base64url(boost::json::serialize(tampered_claims)) + token_.substr(last_dot);
  EXPECT_TRUE(has_detail(me_with_cookie(tampered), 401, "Invalid token"));
  EXPECT_TRUE(has_detail(me_with_bearer(tampered), 401, "Invalid token"));
}

TEST_F(me_endpoint, a_changed_signature_answers_invalid_token) {
  std::string tampered = token_;
  char& last = tampered[tampered.size() - 2];
  last = last == 'A' ? 'B' : 'A';
  EXPECT_TRUE(has_detail(me_with_bearer(tampered), 401, "Invalid token"));
}

TEST_F(me_endpoint, a_token_signed_with_another_secret_answers_invalid_token) {
  const auto forged = make_token(hs256_header, claims(), "another secret that is long enough to be real");
  EXPECT_TRUE(has_detail(me_with_bearer(forged), 401, "Invalid token"));
}

TEST_F(me_endpoint, alg_none_answers_invalid_token) {
  const auto unsigned_token = make_token({{"alg", "none"}, {"typ", "JWT"}}, claims(), "");
  EXPECT_TRUE(has_detail(me_with_cookie(unsigned_token), 401, "Invalid token"));
  EXPECT_TRUE(has_detail(me_with_bearer(unsigned_token), 401, "Invalid token"));
}

TEST_F(me_endpoint, another_algorithm_answers_invalid_token) {
  const auto hs512 = make_token({{"alg", "HS512"}, {"typ", "JWT"}}, claims(), known_jwt_secret);
  EXPECT_TRUE(has_detail(me_with_bearer(hs512), 401, "Invalid token"));
}

TEST_F(me_endpoint, a_forged_token_with_the_right_secret_is_accepted) {
  // Proves the forging below is faithful: the same claims, re-signed here, are accepted.
  const auto resigned = make_token(hs256_header, claims(), known_jwt_secret);
  const auto response = me_with_bearer(resigned);
  ASSERT_EQ(response.status, 200u) << ::testing::PrintToString(response);
  EXPECT_EQ(response.json().at("id"), alice_id_);
}

TEST_F(me_endpoint, an_expired_token_answers_expired_token) {
  auto expired = claims();
  expired["iat"] = unix_now() - 7200;
  expired["exp"] = unix_now() - 3600;
  const auto token = make_token(hs256_header, expired, known_jwt_secret);
  EXPECT_TRUE(has_detail(me_with_cookie(token), 401, "Expired token"));
  EXPECT_TRUE(has_detail(me_with_bearer(token), 401, "Expired token"));
}

TEST_F(me_endpoint, an_expired_token_with_a_bad_signature_is_invalid_not_expired) {
  auto expired = claims();
  expired["exp"] = unix_now() - 3600;
  const auto token = make_token(hs256_header, expired, "another secret that is long enough to be real");
  EXPECT_TRUE(has_detail(me_with_bearer(token), 401, "Invalid token"));
}

TEST_F(me_endpoint, a_token_for_an_unknown_user_answers_user_not_found) {
  auto stranger = claims();  // alice's live session, someone else's id
  stranger["sub"] = random_uuid();
  const auto token = make_token(hs256_header, stranger, known_jwt_secret);
  EXPECT_TRUE(has_detail(me_with_bearer(token), 401, "User not found"));
}

TEST_F(me_endpoint, a_token_for_an_unknown_session_answers_invalid_token) {
  auto unknown = claims();
  unknown["sid"] = random_uuid();
  const auto token = make_token(hs256_header, unknown, known_jwt_secret);
  EXPECT_TRUE(has_detail(me_with_bearer(token), 401, "Invalid token"));
}

TEST_F(me_endpoint, a_token_missing_a_claim_answers_invalid_token) {
  for (const char* claim : {"sub", "sid", "exp"}) {
    auto partial = claims();
    partial.erase(claim);
    const auto token = make_token(hs256_header, partial, known_jwt_secret);
    EXPECT_TRUE(has_detail(me_with_bearer(token), 401, "Invalid token")) << "without " << claim;
  }
}

}  // namespace
}  // namespace authd::itest
