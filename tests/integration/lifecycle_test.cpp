// The process: restarts keep users and sessions, SIGTERM drains and exits 0 without losing an
// answered registration, and JWT_SECRET is refused when weak and generated when unset.
#include <sys/stat.h>

#include <atomic>
#include <fstream>
#include <mutex>
#include <thread>

#include "support/auth_api.hpp"
#include "support/child_process.hpp"
#include "support/server_test.hpp"

namespace authd::itest {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;
using lifecycle = server_test;

std::string read_whole(const std::filesystem::path& file) {
  std::ifstream in(file, std::ios::binary);
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

TEST_F(lifecycle, sigterm_when_idle_exits_0) {
  EXPECT_EQ(server().stop_with(SIGTERM), 0);
}

TEST_F(lifecycle, sigint_exits_0) {
  EXPECT_EQ(server().stop_with(SIGINT), 0);
}

TEST_F(lifecycle, sigterm_with_an_idle_keep_alive_connection_exits_0) {
  auto c = client();
  ASSERT_EQ(c.get("/healthz").status, 200u);  // the connection stays open, idle
  EXPECT_EQ(server().stop_with(SIGTERM), 0);
}

TEST_F(lifecycle, a_restart_keeps_users_and_sessions) {
  auto c = client();
  const auto created = register_user(c, alice());
  ASSERT_EQ(created.status, 201u);
  const auto before = c.get("/auth/me");
  ASSERT_EQ(before.status, 200u);

  server().restart();
  http_client after(server().port());
  after.cookies() = c.cookies();
  const auto me = after.get("/auth/me");
  ASSERT_EQ(me.status, 200u) << "the session and the generated secret must survive a restart\n"
                             << ::testing::PrintToString(me);
  EXPECT_EQ(me.json(), before.json());
  EXPECT_EQ(login(after, alice()).status, 200u);
  EXPECT_TRUE(has_detail(register_user(after, alice()), 400, "User already exists"));
}

TEST_F(lifecycle, a_logout_survives_a_restart) {
  auto c = client();
  ASSERT_EQ(register_user(c, alice()).status, 201u);
  const std::string kept = *c.cookies().token();
  ASSERT_EQ(c.get("/auth/logout").status, 204u);
  server().restart();
  EXPECT_TRUE(has_detail(http_client(server().port()).get("/auth/me", bearer(kept)), 401, "Invalid token"));
}

TEST_F(lifecycle, an_unset_jwt_secret_is_generated_with_mode_0600_and_reused) {
  const auto file = server().data_dir() / "jwt_secret";
  ASSERT_TRUE(std::filesystem::exists(file));
  struct stat info {};
  ASSERT_EQ(::stat(file.c_str(), &info), 0);
  EXPECT_EQ(info.st_mode & 0777, 0600u);
  const auto secret = read_whole(file);
  EXPECT_GE(secret.size(), 32u);

  server().restart();
  EXPECT_EQ(read_whole(file), secret);
  EXPECT_THAT(server().log_text(), Not(HasSubstr(secret.substr(0, 16))))
      << "the secret itself is never logged";
}

TEST_F(lifecycle, a_second_server_on_the_same_sqlite_store_refuses_to_start) {
  if (server().database().postgres())
    GTEST_SKIP() << "several instances on one PostgreSQL are supported (postgres_only tests)";
  // Its session cache is exact only while no other process writes to the file.
  const auto second = run_authd(
      {"serve"},
      {{"AUTHD_HOST", "127.0.0.1"}, {"AUTHD_PORT", "0"}, {"AUTHD_DATA_DIR", server().data_dir().string()}});
  EXPECT_NE(second.exit_code, 0);
  EXPECT_THAT(second.output, HasSubstr("another authd process is serving this SQLite database"));
  ASSERT_EQ(client().get("/healthz").status, 200u);  // the first one is unharmed
  EXPECT_EQ(server().stop_with(SIGTERM), 0);
  server().restart();  // and the lock goes with the process
  EXPECT_EQ(client().get("/healthz").status, 200u);
}

TEST(lifecycle_secret, two_data_directories_get_different_secrets) {
  test_server first;
  test_server second;
  EXPECT_NE(read_whole(first.data_dir() / "jwt_secret"), read_whole(second.data_dir() / "jwt_secret"));
}

TEST(lifecycle_secret, a_weak_jwt_secret_is_refused_at_start) {
  for (const std::string& weak : {std::string("secret"), std::string(31, 'k'), std::string("changeme")}) {
    test_server server(env_map{{"JWT_SECRET", weak}}, test_server::wait_mode::no_wait);
    const auto status = server.wait_exit(std::chrono::seconds(15));
    ASSERT_TRUE(status) << "authd kept running with JWT_SECRET=" << weak << "\n" << server.log_text();
    EXPECT_NE(*status, 0) << weak;
    EXPECT_THAT(server.log_text(), HasSubstr("JWT_SECRET")) << weak;
    EXPECT_THAT(server.log_text(), Not(HasSubstr("listening on"))) << weak;
    EXPECT_FALSE(std::filesystem::exists(server.data_dir() / "jwt_secret")) << weak;
  }
}

TEST(lifecycle_secret, a_strong_jwt_secret_is_used_and_not_written) {
  test_server server(env_map{{"JWT_SECRET", std::string(40, 'z') + "-strong-enough"}});
  http_client c(server.port());
  EXPECT_EQ(register_user(c, alice()).status, 201u);
  EXPECT_FALSE(std::filesystem::exists(server.data_dir() / "jwt_secret"));
}

TEST(lifecycle_secret, a_bad_setting_stops_start_up_naming_the_variable) {
  test_server server(env_map{{"AUTHD_ARGON2_ITERATIONS", "many"}}, test_server::wait_mode::no_wait);
  const auto status = server.wait_exit(std::chrono::seconds(15));
  ASSERT_TRUE(status) << server.log_text();
  EXPECT_NE(*status, 0);
  EXPECT_THAT(server.log_text(), HasSubstr("AUTHD_ARGON2_ITERATIONS"));
}

// Several clients register distinct emails in a loop; SIGTERM arrives meanwhile. Every
// registration that was answered 201 must be there after a restart.
TEST_F(lifecycle, sigterm_during_registrations_loses_no_answered_registration) {
  constexpr int writers = 4;
  constexpr int max_per_writer = 300;  // a bound in case the server never stops
  std::mutex mutex;
  std::vector<user> registered;
  std::atomic<int> answered{0};
  std::atomic<int> server_errors{0};
  std::atomic<int> finished{0};
  const auto port = server().port();

  std::vector<std::thread> threads;
  for (int w = 0; w < writers; ++w) {
    threads.emplace_back([&, w] {
      try {
        http_client c(port);
        for (int i = 0; i < max_per_writer; ++i) {
          user u{"Writer " + std::to_string(w),
                 "w" + std::to_string(w) + "-" + std::to_string(i) + "@example.com",
                 "sturdy horse battery " + std::to_string(w * 1000 + i)};
          const auto response = register_user(c, u);
          if (response.status == 201) {
            const std::lock_guard lock(mutex);
            registered.push_back(u);
          } else if (response.status >= 500 && response.status != 503) {
            ++server_errors;
          }
          ++answered;
          c.cookies().clear();
        }
      } catch (const std::exception&) {
        // The server went away: this writer is done.
      }
      ++finished;
    });
  }
  // Signal once the writers are busy; the wait is for progress, not for a time.
  while (answered.load() < writers * 5 && finished.load() < writers) {
    std::this_thread::sleep_for(std::chrono::milliseconds(2));
  }
  const int status = server().stop_with(SIGTERM);
  for (auto& t : threads) t.join();

  EXPECT_EQ(status, 0);
  EXPECT_EQ(server_errors.load(), 0);
  ASSERT_FALSE(registered.empty());
  RecordProperty("registered_before_exit", static_cast<int>(registered.size()));

  server().restart();
  http_client c(server().port());
  for (const auto& u : registered) {
    EXPECT_EQ(login(c, u).status, 200u) << u.email << " was answered 201 before SIGTERM";
  }
}

}  // namespace
}  // namespace authd::itest
