// Races: concurrent registrations of one email give exactly one account, never a 500.
#include <latch>
#include <mutex>
#include <thread>

#include "support/auth_api.hpp"
#include "support/server_test.hpp"

namespace authd::itest {
namespace {

using concurrency = server_test;

// Registers `emails[i]` from thread i, each on its own connection, all released at once.
std::vector<http_response> register_all_at_once(std::uint16_t port, const std::vector<std::string>& emails) {
  std::vector<http_response> responses(emails.size());
  std::vector<std::string> failures(emails.size());
  std::latch ready(static_cast<std::ptrdiff_t>(emails.size()));
  std::vector<std::thread> threads;
  for (std::size_t i = 0; i < emails.size(); ++i) {
    threads.emplace_back([&, i] {
      try {
        http_client c(port);
        EXPECT_EQ(c.get("/healthz").status, 200u);  // connected before the start
        user u = alice();
        u.email = emails[i];
        u.name = "Racer " + std::to_string(i);
        ready.arrive_and_wait();
        responses[i] = register_user(c, u);
      } catch (const std::exception& e) {
        failures[i] = e.what();
      }
    });
  }
  for (auto& t : threads) t.join();
  for (const auto& failure : failures) EXPECT_EQ(failure, "");
  return responses;
}

void expect_one_winner(const std::vector<http_response>& responses) {
  int created = 0;
  int duplicates = 0;
  for (const auto& response : responses) {
    EXPECT_LT(response.status, 500u) << ::testing::PrintToString(response);
    if (response.status == 201) {
      ++created;
    } else if (has_detail(response, 400, "User already exists")) {
      ++duplicates;
    } else {
      ADD_FAILURE() << "unexpected answer: " << ::testing::PrintToString(response);
    }
  }
  EXPECT_EQ(created, 1);
  EXPECT_EQ(duplicates, static_cast<int>(responses.size()) - 1);
}

TEST_F(concurrency, sixteen_registrations_of_one_email_make_one_account) {
  const auto responses =
      register_all_at_once(server().port(), std::vector<std::string>(16, "race@example.com"));
  expect_one_winner(responses);
  auto c = client();
  EXPECT_EQ(c.post_json("/auth/login", login_body("race@example.com", alice().password)).status, 200u);
  EXPECT_TRUE(serving(server().port()));
}

TEST_F(concurrency, sixteen_registrations_differing_in_case_make_one_account) {
  std::vector<std::string> emails;
  for (int i = 0; i < 16; ++i) {
    std::string email = "case.race@example.com";
    for (std::size_t bit = 0; bit < 4; ++bit) {
      if (i & (1 << bit)) email[bit] = static_cast<char>(email[bit] - 'a' + 'A');
    }
    emails.push_back(email);
  }
  expect_one_winner(register_all_at_once(server().port(), emails));
}

TEST_F(concurrency, concurrent_distinct_registrations_all_succeed) {
  std::vector<std::string> emails;
  for (int i = 0; i < 16; ++i) emails.push_back("distinct" + std::to_string(i) + "@example.com");
  for (const auto& response : register_all_at_once(server().port(), emails)) {
    EXPECT_EQ(response.status, 201u) << ::testing::PrintToString(response);
  }
}

TEST_F(concurrency, concurrent_logins_and_reads_of_one_user) {
  auto setup = client();
  ASSERT_EQ(register_user(setup, alice()).status, 201u);
  std::vector<std::thread> threads;
  std::mutex mutex;
  std::vector<std::string> problems;
  for (int i = 0; i < 8; ++i) {
    threads.emplace_back([&] {
      try {
        http_client c(server().port());
        for (int round = 0; round < 3; ++round) {
          const auto in = login(c, alice());
          const auto me = c.get("/auth/me");
          const auto out = c.post_json("/auth/logout", boost::json::object{});
          if (in.status != 200 || me.status != 200 || out.status != 204) {
            const std::lock_guard lock(mutex);
            problems.push_back(std::to_string(in.status) + " " + std::to_string(me.status) + " " +
                               std::to_string(out.status));
          }
        }
      } catch (const std::exception& e) {
        const std::lock_guard lock(mutex);
        problems.emplace_back(e.what());
      }
    });
  }
  for (auto& t : threads) t.join();
  EXPECT_THAT(problems, ::testing::IsEmpty());
}

}  // namespace
}  // namespace authd::itest
