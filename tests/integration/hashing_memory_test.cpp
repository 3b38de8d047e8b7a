// The hashing threads' memory (auth/argon2 arenas) as the operating system sees it: mapped by the
// first hash, given back after AUTHD_HASH_MEMORY_KEEP_SECONDS without one.
#include <gtest/gtest.h>

#include <chrono>
#include <fstream>
#include <sstream>
#include <string>
#include <thread>

#include "support/auth_api.hpp"
#include "support/http_client.hpp"
#include "support/test_server.hpp"

namespace authd::itest {
namespace {

// VmRSS of a process, in MiB.
double resident_mib(pid_t pid) {
  std::ifstream status("/proc/" + std::to_string(pid) + "/status");
  for (std::string line; std::getline(status, line);) {
    if (line.rfind("VmRSS:", 0) == 0) {
      std::istringstream fields(line.substr(6));
      double kib = 0;
      fields >> kib;
      return kib / 1024;
    }
  }
  return -1;
}

TEST(hashing_memory, is_mapped_by_the_first_hash_and_given_back_after_the_keep_time) {
  // 64 MiB per hash, one hashing thread: big enough to see in the process's resident memory.
  test_server server(env_map{{"AUTHD_ARGON2_MEMORY_KIB", "65536"},
                             {"AUTHD_ARGON2_ITERATIONS", "1"},
                             {"AUTHD_HASH_THREADS", "1"},
                             {"AUTHD_HASH_MEMORY_KEEP_SECONDS", "1"}});
  const double before = resident_mib(server.pid());
  ASSERT_GT(before, 0);

  http_client client(server.port());
  ASSERT_EQ(register_user(client, alice()).status, 201u);
  const double after_hash = resident_mib(server.pid());
  EXPECT_GT(after_hash, before + 60) << "the arena is faulted in up front";

  // The deadline only keeps a broken server from hanging the test; the release comes after 1 s.
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(30);
  double now = after_hash;
  while (now > before + 30 && std::chrono::steady_clock::now() < deadline) {
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
    now = resident_mib(server.pid());
  }
  EXPECT_LT(now, before + 30) << "resident " << now << " MiB, " << before << " before hashing";

  // And hashing still works afterwards, on a fresh arena.
  http_client again(server.port());
  EXPECT_EQ(login(again, alice()).status, 200u);
}

}  // namespace
}  // namespace authd::itest
