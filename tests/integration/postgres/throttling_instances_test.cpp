// Two authd processes on one database share the throttling: failures made through one are
// counted by the other, which refuses with 429 (the state is in PostgreSQL, not in a process).
#include "postgres/postgres_test.hpp"
#include "support/auth_api.hpp"
#include "support/http_client.hpp"
#include "support/test_database.hpp"
#include "support/test_server.hpp"

namespace authd::itest {
namespace {

using throttling_instances = postgres_test;

env_map on(const test_database& database) {
  return {{"DATABASE_URL", database.url()},
          {"AUTHD_MIGRATE_ON_START", "true"},
          {"JWT_SECRET", shared_jwt_secret},
          {"AUTHD_THROTTLE_ACCOUNT_FAILURES", "4"},
          {"AUTHD_THROTTLE_ADDRESS_REGISTRATIONS", "2"},
          {"AUTHD_THROTTLE_BLOCK_SECONDS", "120"}};
}

TEST_F(throttling_instances, failures_through_one_instance_block_logins_through_the_other) {
  test_database database;
  test_server a(on(database));
  test_server b(on(database));

  http_client on_a(a.port());
  http_client on_b(b.port());
  ASSERT_EQ(register_user(on_a, alice()).status, 201u);
  // Two failures on each: the account reaches its limit only counted together.
  for (int i = 0; i < 2; ++i) {
    EXPECT_TRUE(
        has_detail(on_a.post_json("/auth/login", login_body(alice().email, "not the password at all")), 401,
                   "Invalid credentials"));
    EXPECT_TRUE(
        has_detail(on_b.post_json("/auth/login", login_body(alice().email, "not the password at all")), 401,
                   "Invalid credentials"));
  }
  const auto on_b_refused = login(on_b, alice());
  EXPECT_TRUE(has_detail(on_b_refused, 429, "Too many attempts, try again later"))
      << ::testing::PrintToString(on_b_refused);
  EXPECT_TRUE(on_b_refused.header("Retry-After"));
  EXPECT_TRUE(has_detail(login(on_a, alice()), 429, "Too many attempts, try again later"));
}

TEST_F(throttling_instances, registrations_through_one_instance_count_on_the_other) {
  test_database database;
  test_server a(on(database));
  test_server b(on(database));

  http_client on_a(a.port());
  http_client on_b(b.port());
  ASSERT_EQ(register_user(on_a, alice()).status, 201u);
  ASSERT_EQ(register_user(on_b, bob()).status, 201u);
  const user carol{"Carol", "carol@example.com", "a long and uncommon password"};
  EXPECT_TRUE(has_detail(register_user(on_a, carol), 429, "Too many attempts, try again later"));
}

}  // namespace
}  // namespace authd::itest
