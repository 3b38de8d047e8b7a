// One authd process for one test: `authd serve` on a free port of 127.0.0.1, in its own temporary
// directory (so no stray .env is read) with its own data directory and log file.
#pragma once

#include <sys/types.h>

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <map>
#include <optional>
#include <string>

#include "support/test_database.hpp"

namespace authd::itest {

using env_map = std::map<std::string, std::string>;

class test_server {
 public:
  enum class wait_mode { until_listening, no_wait };

  // Starts authd with a clean environment: the harness defaults (127.0.0.1, port 0, the data
  // directory, fast Argon2) overridden by `extra_env`. With until_listening, returns once the log
  // says where it listens, and throws (with the log) when it exits or does not listen in time.
  explicit test_server(env_map extra_env = {}, wait_mode mode = wait_mode::until_listening);
  // Kills a process still running, and removes the directory (the log is printed first when the
  // test failed).
  ~test_server();
  test_server(const test_server&) = delete;
  test_server& operator=(const test_server&) = delete;

  std::uint16_t port() const { return port_; }
  bool running() const { return pid_ > 0; }
  pid_t pid() const { return pid_; }

  // Sends `signal` and waits for the exit: the exit code, or 128 + the signal that ended it, or -1
  // when it did not exit within a generous deadline (it is then killed).
  int stop_with(int signal);

  // Waits for the process to exit by itself; the status as for stop_with, nullopt if still running.
  std::optional<int> wait_exit(std::chrono::seconds timeout);

  // Starts again on the same directory (stopping with SIGTERM first if still running) and waits
  // until listening; the port changes. `extra_env`, when given, replaces the per-test extras.
  void restart(std::optional<env_map> extra_env = std::nullopt);

  // Everything authd wrote to stdout and stderr, over all its runs.
  std::string log_text() const;

  const std::filesystem::path& directory() const { return dir_; }
  const test_database& database() const { return database_; }
  std::filesystem::path data_dir() const { return dir_ / "data"; }

 private:
  void spawn();
  void wait_until_listening();

  std::filesystem::path dir_;
  test_database database_;  // kept across restarts
  env_map extra_env_;
  pid_t pid_ = -1;
  std::uint16_t port_ = 0;
  std::size_t run_log_offset_ = 0;  // where the current run's output starts in the log
};

}  // namespace authd::itest
