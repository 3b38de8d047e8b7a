// What the PostgreSQL-only tests share: the check that ctest gave them a server, a strong shared
// JWT secret, and bounded polling for states a server reaches by itself.
#pragma once

#include <gtest/gtest.h>

#include <chrono>
#include <functional>
#include <string>
#include <thread>

#include "support/test_database.hpp"

namespace authd::itest {

// These tests create databases on the throwaway PostgreSQL that ctest starts (the `postgres`
// fixture); run by hand, without it, they fail saying so rather than pass vacuously.
class postgres_test : public ::testing::Test {
 protected:
  void SetUp() override {
    if (!test_database::postgres_backend())
      GTEST_FAIL() << "AUTHD_TEST_POSTGRES_URL is not set: run these tests through ctest (-R postgres)";
  }
};

// Over 32 bytes and not a known weak value, so every instance accepts it; several instances on one
// database must sign with the same secret.
inline const std::string shared_jwt_secret = "itest-shared-secret-0123456789abcdefghijklmnop";

// Polls `done` until it holds or `timeout` passes: a hang guard, generous for a loaded machine
// under AddressSanitizer, never a speed assertion.
inline bool eventually(const std::function<bool()>& done,
                       std::chrono::seconds timeout = std::chrono::seconds(120)) {
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  while (!done()) {
    if (std::chrono::steady_clock::now() >= deadline) return false;
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  return true;
}

}  // namespace authd::itest
