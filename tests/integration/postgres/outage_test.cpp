// PostgreSQL stopped and started again under traffic: while it is down, requests that need it get
// 503 with Retry-After (no hang), /readyz says not ready and /healthz stays alive; once it is back,
// authd recovers by itself, and every registration that was answered 201 is there.
#include <atomic>
#include <map>
#include <mutex>
#include <thread>

#include "postgres/postgres_test.hpp"
#include "support/auth_api.hpp"
#include "support/http_client.hpp"
#include "support/private_postgres.hpp"
#include "support/test_server.hpp"

namespace authd::itest {
namespace {

using namespace std::chrono_literals;

// Registers distinct users one after another until stopped, remembering what each answer was.
class registration_traffic {
 public:
  explicit registration_traffic(std::uint16_t port) : thread_([this, port] { run(port); }) {}
  ~registration_traffic() { stop(); }
  registration_traffic(const registration_traffic&) = delete;
  registration_traffic& operator=(const registration_traffic&) = delete;

  void stop() {
    stop_ = true;
    if (thread_.joinable()) thread_.join();
  }

  std::size_t created_count() const {
    std::lock_guard lock(mutex_);
    return created_.size();
  }
  std::size_t status_count(unsigned status) const {
    std::lock_guard lock(mutex_);
    const auto it = statuses_.find(status);
    return it == statuses_.end() ? 0 : it->second;
  }
  // Valid once stopped.
  const std::vector<user>& created() const { return created_; }
  const std::map<unsigned, std::size_t>& statuses() const { return statuses_; }
  const std::vector<std::string>& problems() const { return problems_; }

 private:
  void run(std::uint16_t port) {
    for (int i = 0; !stop_; ++i) {
      user u{"Traffic " + std::to_string(i), "traffic" + std::to_string(i) + "@example.com",
             "traffic password number " + std::to_string(i)};
      try {
        http_client c(port);
        const auto response = register_user(c, u);
        std::lock_guard lock(mutex_);
        ++statuses_[response.status];
        if (response.status == 201) {
          created_.push_back(u);
        } else if (response.status != 503) {
          problems_.push_back(u.email + ": " + ::testing::PrintToString(response));
        } else if (!response.header("Retry-After")) {
          problems_.push_back(u.email + ": 503 without Retry-After");
        }
      } catch (const std::exception& e) {
        std::lock_guard lock(mutex_);
        problems_.push_back(u.email + ": " + e.what());
      }
      // Steady traffic, not a flood: the machine is shared.
      std::this_thread::sleep_for(20ms);
    }
  }

  mutable std::mutex mutex_;
  std::vector<user> created_;
  std::map<unsigned, std::size_t> statuses_;
  std::vector<std::string> problems_;
  std::atomic<bool> stop_ = false;
  std::thread thread_;  // last: starts once the members above exist
};

// A request needing the database answered 503 {"detail": ...} with Retry-After.
::testing::AssertionResult unavailable(const http_response& response) {
  if (response.status != 503) return ::testing::AssertionFailure() << ::testing::PrintToString(response);
  if (!response.header("Retry-After")) return ::testing::AssertionFailure() << "no Retry-After";
  boost::system::error_code ec;
  const auto body = boost::json::parse(response.body, ec);
  if (ec || !body.is_object() || !body.as_object().contains("detail") || body.as_object().size() != 1)
    return ::testing::AssertionFailure() << "not a {\"detail\": ...} body: " << response.body;
  return ::testing::AssertionSuccess();
}

TEST(outage, postgres_stopped_and_started_under_traffic) {
  private_postgres postgres;
  test_server server({{"DATABASE_URL", postgres.url()},
                      {"AUTHD_DB_TIMEOUT_SECONDS", "2"},
                      {"AUTHD_MIGRATE_ON_START", "true"}});
  http_client probe(server.port());
  ASSERT_EQ(register_user(probe, alice()).status, 201u);
  ASSERT_EQ(probe.get("/auth/me").status, 200u);
  ASSERT_EQ(probe.get("/readyz").status, 200u);

  registration_traffic traffic(server.port());
  ASSERT_TRUE(eventually([&] { return traffic.created_count() >= 3; })) << "no traffic got through";

  postgres.stop();
  // Every client call below is bounded by the client's own deadline: an answer must come.
  EXPECT_TRUE(unavailable(probe.get("/auth/me")));
  EXPECT_TRUE(unavailable(
      http_client(server.port()).post_json("/auth/login", login_body(alice().email, alice().password))));
  EXPECT_TRUE(unavailable(register_user(probe, bob())));
  const auto readyz = http_client(server.port()).get("/readyz");
  EXPECT_EQ(readyz.status, 503u) << ::testing::PrintToString(readyz);
  EXPECT_TRUE(serving(server.port()));
  const auto before_outage_503s = traffic.status_count(503);
  EXPECT_TRUE(eventually([&] { return traffic.status_count(503) > before_outage_503s; }))
      << "the traffic never saw the outage";

  postgres.start();
  const auto created_before_recovery = traffic.created_count();
  EXPECT_TRUE(eventually([&] {
    try {
      return http_client(server.port()).get("/readyz").status == 200;
    } catch (const std::exception&) {
      return false;
    }
  })) << "authd did not become ready again after PostgreSQL came back";
  EXPECT_TRUE(eventually([&] { return traffic.created_count() > created_before_recovery; }))
      << "registrations did not succeed again";
  traffic.stop();

  for (const auto& problem : traffic.problems()) ADD_FAILURE() << problem;
  for (const auto& [status, count] : traffic.statuses())
    EXPECT_TRUE(status == 201 || status == 503) << count << " answers " << status;

  EXPECT_EQ(probe.get("/auth/me").status, 200u) << "the session from before the outage";
  for (const auto& u : traffic.created()) {
    http_client c(server.port());
    const auto response = login(c, u);
    EXPECT_EQ(response.status, 200u) << u.email
                                     << " was answered 201: " << ::testing::PrintToString(response);
  }
  EXPECT_EQ(register_user(probe, bob()).status, 201u)
      << "bob's registration during the outage was refused, not kept";
}

}  // namespace
}  // namespace authd::itest
