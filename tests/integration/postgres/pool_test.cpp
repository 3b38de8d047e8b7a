// The connection pool: more concurrent requests than connections all succeed (they wait their
// turn), and a query stuck behind a lock ends at the query timeout as 503, not as a hang.
#include <latch>
#include <thread>

#include "postgres/postgres_test.hpp"
#include "support/auth_api.hpp"
#include "support/http_client.hpp"
#include "support/pg_client.hpp"
#include "support/test_server.hpp"

namespace authd::itest {
namespace {

using pool = postgres_test;

constexpr std::size_t concurrent_requests = 32;

TEST_F(pool, thirty_two_concurrent_requests_share_two_connections) {
  // A long timeout: waiting for one of the two connections is expected here, not a failure.
  test_server server({{"AUTHD_DB_POOL_SIZE", "2"}, {"AUTHD_DB_TIMEOUT_SECONDS", "60"}});
  http_client setup(server.port());
  ASSERT_EQ(register_user(setup, alice()).status, 201u);
  const std::string token = *setup.cookies().token();
  const auto expected = setup.get("/auth/me");
  ASSERT_EQ(expected.status, 200u);

  std::vector<http_response> responses(concurrent_requests);
  std::vector<std::string> failures(concurrent_requests);
  std::latch ready(static_cast<std::ptrdiff_t>(concurrent_requests));
  std::vector<std::thread> threads;
  for (std::size_t i = 0; i < concurrent_requests; ++i) {
    threads.emplace_back([&, i] {
      try {
        http_client c(server.port());
        c.get("/healthz");  // connected before the start
        c.cookies().set_token(token);
        ready.arrive_and_wait();
        responses[i] = c.get("/auth/me");
      } catch (const std::exception& e) {
        failures[i] = e.what();
      }
    });
  }
  for (auto& t : threads) t.join();
  for (std::size_t i = 0; i < concurrent_requests; ++i) {
    EXPECT_EQ(failures[i], "");
    EXPECT_EQ(responses[i].status, 200u) << ::testing::PrintToString(responses[i]);
    if (responses[i].status == 200) {
      EXPECT_EQ(responses[i].json(), expected.json());
    }
  }

  // The pool stayed within its bound.
  pg_client db(server.database().url());
  const auto connections = db.scalar(
      "SELECT count(*)::text FROM pg_stat_activity WHERE datname = current_database() AND pid <> "
      "pg_backend_pid()");
  EXPECT_LE(std::stoi(connections.value_or("999")), 2) << "connections of authd to its database";
}

TEST_F(pool, a_query_blocked_past_the_timeout_answers_503_and_the_pool_recovers) {
  test_server server({{"AUTHD_DB_POOL_SIZE", "2"}, {"AUTHD_DB_TIMEOUT_SECONDS", "2"}});
  http_client c(server.port());
  ASSERT_EQ(register_user(c, alice()).status, 201u);
  ASSERT_EQ(c.get("/auth/me").status, 200u);

  pg_client locker(server.database().url());
  locker.exec("BEGIN");
  locker.exec("LOCK TABLE sessions IN ACCESS EXCLUSIVE MODE");
  // Each of these waits for the lock until authd cancels it; the client's own deadline (raw
  // connection's io_timeout) turns a hang into a failure.
  for (int i = 0; i < 3; ++i) {
    const auto blocked = c.get("/auth/me");
    EXPECT_EQ(blocked.status, 503u) << ::testing::PrintToString(blocked);
    EXPECT_TRUE(blocked.header("Retry-After").has_value()) << ::testing::PrintToString(blocked);
    if (blocked.status == 503) {
      EXPECT_TRUE(blocked.json().as_object().contains("detail")) << ::testing::PrintToString(blocked);
    }
  }
  EXPECT_TRUE(serving(server.port()));
  locker.exec("ROLLBACK");

  // Both pooled connections were cancelled at some point; both must be usable again.
  for (int i = 0; i < 4; ++i) {
    const auto me = c.get("/auth/me");
    EXPECT_EQ(me.status, 200u) << ::testing::PrintToString(me);
  }
  http_client other(server.port());
  EXPECT_EQ(login(other, alice()).status, 200u);
}

}  // namespace
}  // namespace authd::itest
