// The usual fixture: a fresh authd (default settings, JWT_SECRET generated) per test.
#pragma once

#include <gtest/gtest.h>

#include <optional>

#include "support/http_client.hpp"
#include "support/test_server.hpp"

namespace authd::itest {

class server_test : public ::testing::Test {
 protected:
  // Settings on top of the harness defaults; fixtures override this.
  virtual env_map extra_env() const { return {}; }

  void SetUp() override { server_.emplace(extra_env()); }

  test_server& server() { return *server_; }
  http_client client() { return http_client(server_->port()); }

 private:
  std::optional<test_server> server_;
};

}  // namespace authd::itest
