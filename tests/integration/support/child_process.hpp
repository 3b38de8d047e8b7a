// One-shot processes for the tests: `authd migrate ...` with a clean environment, or a helper
// script with the test's own; started, then waited for with a deadline, output captured.
#pragma once

#include <sys/types.h>

#include <chrono>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "support/test_server.hpp"

namespace authd::itest {

struct process_result {
  int exit_code = -1;  // the exit code, 128 + the signal that ended it, or -1 when killed at the deadline
  std::string output;  // stdout and stderr, interleaved as written
};

// Generous: a hang guard for a loaded machine under AddressSanitizer, never a speed assertion.
inline constexpr std::chrono::seconds process_timeout{180};

class child_process {
 public:
  // Starts `argv` (argv[0] an absolute path) in a fresh temporary working directory, so that no
  // stray .env is read. `env` nullopt: the test's own environment; otherwise exactly `env`.
  child_process(std::vector<std::string> argv, std::optional<env_map> env);
  // Kills a process still running, and removes the directory.
  ~child_process();
  child_process(const child_process&) = delete;
  child_process& operator=(const child_process&) = delete;

  // Waits for the exit (killing the process at `timeout`); call once.
  process_result wait(std::chrono::seconds timeout = process_timeout);

 private:
  std::filesystem::path dir_;
  pid_t pid_ = -1;
};

// The environment `authd` gets from the harness for a one-shot command: the sanitizer settings
// of the test run, plus `extra`.
env_map authd_env(const env_map& extra);

// Runs `authd args...` with authd_env(env) to completion.
process_result run_authd(const std::vector<std::string>& args, const env_map& env);

}  // namespace authd::itest
