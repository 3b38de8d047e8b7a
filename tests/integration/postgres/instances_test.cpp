// Two authd processes on one database: a session made on one is honoured by the other, and a
// logout on either ends it on both (sessions live in the database, not in a process).
#include "postgres/postgres_test.hpp"
#include "support/auth_api.hpp"
#include "support/http_client.hpp"
#include "support/test_database.hpp"
#include "support/test_server.hpp"

namespace authd::itest {
namespace {

using instances = postgres_test;

env_map on(const test_database& database) {
  return {{"DATABASE_URL", database.url()},
          {"AUTHD_MIGRATE_ON_START", "true"},
          {"JWT_SECRET", shared_jwt_secret}};
}

TEST_F(instances, a_session_from_one_instance_works_on_the_other_until_logged_out_on_either) {
  test_database database;
  test_server a(on(database));
  test_server b(on(database));

  http_client on_a(a.port());
  ASSERT_EQ(register_user(on_a, alice()).status, 201u);
  const auto logged_in = login(on_a, alice());
  ASSERT_EQ(logged_in.status, 200u) << ::testing::PrintToString(logged_in);
  ASSERT_TRUE(on_a.cookies().token());
  const std::string token = *on_a.cookies().token();

  const auto me_on_a = on_a.get("/auth/me");
  ASSERT_EQ(me_on_a.status, 200u) << ::testing::PrintToString(me_on_a);
  http_client on_b(b.port());
  on_b.cookies().set_token(token);
  const auto me_on_b = on_b.get("/auth/me");
  ASSERT_EQ(me_on_b.status, 200u) << ::testing::PrintToString(me_on_b);
  EXPECT_EQ(me_on_b.json(), me_on_a.json());

  // One account across instances: B knows the email A registered.
  http_client other_on_b(b.port());
  EXPECT_TRUE(has_detail(register_user(other_on_b, alice()), 400, "User already exists"));

  const auto logout = on_b.request("POST", "/auth/logout");
  EXPECT_EQ(logout.status, 204u) << ::testing::PrintToString(logout);

  http_client replay_on_a(a.port());
  replay_on_a.cookies().set_token(token);
  EXPECT_TRUE(has_detail(replay_on_a.get("/auth/me"), 401, "Invalid token"));
  EXPECT_TRUE(has_detail(http_client(a.port()).get("/auth/me", bearer(token)), 401, "Invalid token"));
  http_client replay_on_b(b.port());
  replay_on_b.cookies().set_token(token);
  EXPECT_TRUE(has_detail(replay_on_b.get("/auth/me"), 401, "Invalid token"));
}

TEST_F(instances, a_logout_on_the_first_instance_ends_the_session_on_the_second) {
  test_database database;
  test_server a(on(database));
  test_server b(on(database));

  http_client on_b(b.port());
  ASSERT_EQ(register_user(on_b, bob()).status, 201u);
  ASSERT_TRUE(on_b.cookies().token());
  const std::string token = *on_b.cookies().token();

  http_client on_a(a.port());
  ASSERT_EQ(on_a.get("/auth/me", bearer(token)).status, 200u);
  EXPECT_EQ(on_a.request("POST", "/auth/logout", {}, {{"Cookie", "token=" + token}}).status, 204u);

  EXPECT_TRUE(has_detail(http_client(b.port()).get("/auth/me", bearer(token)), 401, "Invalid token"));
  // Logging in again on the other instance gives a new, working session.
  http_client again(b.port());
  ASSERT_EQ(login(again, bob()).status, 200u);
  EXPECT_EQ(http_client(a.port()).get("/auth/me", bearer(*again.cookies().token())).status, 200u);
}

}  // namespace
}  // namespace authd::itest
