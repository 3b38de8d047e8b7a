#include "support/test_server.hpp"

#include <fcntl.h>
#include <gtest/gtest.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <fstream>
#include <iostream>
#include <iterator>
#include <regex>
#include <stdexcept>
#include <system_error>
#include <thread>
#include <vector>

#include "support/log_archive.hpp"
#include "support/process_util.hpp"

namespace authd::itest {

namespace {

using namespace std::chrono_literals;

constexpr auto listen_timeout = 15s;
// Shutdown drains in-flight requests; under AddressSanitizer on a shared machine that can be slow.
constexpr auto exit_timeout = 60s;
constexpr auto poll_interval = 20ms;

// Sanitizer settings are passed through: they configure the test run, not authd.
constexpr const char* passed_through[] = {"ASAN_OPTIONS", "UBSAN_OPTIONS", "LSAN_OPTIONS"};

std::string read_file_from(const std::filesystem::path& file, std::size_t offset) {
  std::ifstream in(file, std::ios::binary);
  if (!in) return {};
  in.seekg(static_cast<std::streamoff>(offset));
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

}  // namespace

test_server::test_server(env_map extra_env, wait_mode mode)
    : dir_(make_temp_dir("authd-itest")), extra_env_(std::move(extra_env)) {
  try {
    spawn();
    if (mode == wait_mode::until_listening) wait_until_listening();
  } catch (...) {
    if (pid_ > 0) {
      ::kill(pid_, SIGKILL);
      ::waitpid(pid_, nullptr, 0);
    }
    std::error_code ignored;
    std::filesystem::remove_all(dir_, ignored);
    throw;
  }
}

test_server::~test_server() {
  if (pid_ > 0) {
    ::kill(pid_, SIGKILL);
    ::waitpid(pid_, nullptr, 0);
  }
  if (::testing::Test::HasFailure()) {
    const auto log = log_text();
    const auto tail = log.size() > 8000 ? log.substr(log.size() - 8000) : log;
    std::cerr << "---- authd log (" << dir_.string() << "/authd.log, last 8000 bytes) ----\n"
              << tail << "\n---- end of authd log ----\n";
  }
  archive_server_log(dir_ / "authd.log");
  std::error_code ignored;
  std::filesystem::remove_all(dir_, ignored);
}

void test_server::spawn() {
  env_map env{{"AUTHD_HOST", "127.0.0.1"},
              {"AUTHD_PORT", "0"},
              {"AUTHD_DATA_DIR", data_dir().string()},
              {"AUTHD_LOG_LEVEL", "info"},
              {"AUTHD_ARGON2_MEMORY_KIB", "1024"},
              {"AUTHD_ARGON2_ITERATIONS", "1"}};
  for (const char* name : passed_through) {
    if (const char* value = std::getenv(name)) env[name] = value;
  }
  for (const auto& [name, value] : database_.env()) env[name] = value;
  for (const auto& [name, value] : extra_env_) env[name] = value;

  std::vector<std::string> env_strings;
  for (const auto& [name, value] : env) env_strings.push_back(name + "=" + value);
  std::vector<char*> envp;
  for (auto& entry : env_strings) envp.push_back(entry.data());
  envp.push_back(nullptr);
  std::string binary = AUTHD_BINARY;
  std::string serve = "serve";
  char* argv[] = {binary.data(), serve.data(), nullptr};
  const std::string log_path = (dir_ / "authd.log").string();
  const std::string cwd = dir_.string();

  std::error_code ec;
  const auto size = std::filesystem::file_size(log_path, ec);
  run_log_offset_ = ec ? 0 : static_cast<std::size_t>(size);

  const pid_t parent = ::getpid();
  const pid_t pid = ::fork();
  if (pid < 0) throw std::system_error(errno, std::generic_category(), "fork");
  if (pid == 0) {
    // Only async-signal-safe calls between fork and exec: the test process may have threads.
    ::prctl(PR_SET_PDEATHSIG, SIGKILL);  // a crashed test must not leave a server behind
    if (::getppid() != parent) ::_exit(127);
    if (::chdir(cwd.c_str()) != 0) ::_exit(127);
    const int log_fd = ::open(log_path.c_str(), O_WRONLY | O_CREAT | O_APPEND, 0600);
    const int null_fd = ::open("/dev/null", O_RDONLY);
    if (log_fd < 0 || null_fd < 0) ::_exit(127);
    if (::dup2(null_fd, 0) < 0 || ::dup2(log_fd, 1) < 0 || ::dup2(log_fd, 2) < 0) ::_exit(127);
    // Sockets of other test threads must not live on in the server.
    ::close_range(3, ~0U, 0);
    ::execve(argv[0], argv, envp.data());
    ::_exit(127);
  }
  pid_ = pid;
  port_ = 0;
}

void test_server::wait_until_listening() {
  static const std::regex listening(R"(listening on http://127\.0\.0\.1:(\d+))");
  const auto deadline = std::chrono::steady_clock::now() + listen_timeout;
  for (;;) {
    const auto log = read_file_from(dir_ / "authd.log", run_log_offset_);
    std::smatch match;
    if (std::regex_search(log, match, listening)) {
      port_ = static_cast<std::uint16_t>(std::stoi(match[1].str()));
      return;
    }
    if (const auto status = wait_exit(0s)) {
      throw std::runtime_error("authd exited with status " + std::to_string(*status) +
                               " before listening; its output:\n" + log);
    }
    if (std::chrono::steady_clock::now() > deadline) {
      throw std::runtime_error(
          "authd did not log `listening on http://127.0.0.1:PORT` in time; its output:\n" + log);
    }
    std::this_thread::sleep_for(poll_interval);
  }
}

std::optional<int> test_server::wait_exit(std::chrono::seconds timeout) {
  if (pid_ <= 0) throw std::logic_error("authd is not running");
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  for (;;) {
    int status = 0;
    const pid_t done = ::waitpid(pid_, &status, WNOHANG);
    if (done == pid_) {
      pid_ = -1;
      return decode_status(status);
    }
    if (done < 0 && errno != EINTR) throw std::system_error(errno, std::generic_category(), "waitpid");
    if (std::chrono::steady_clock::now() >= deadline) return std::nullopt;
    std::this_thread::sleep_for(poll_interval);
  }
}

int test_server::stop_with(int signal) {
  if (pid_ <= 0) throw std::logic_error("authd is not running");
  ::kill(pid_, signal);
  if (const auto status = wait_exit(std::chrono::duration_cast<std::chrono::seconds>(exit_timeout)))
    return *status;
  ::kill(pid_, SIGKILL);
  ::waitpid(pid_, nullptr, 0);
  pid_ = -1;
  return -1;
}

void test_server::restart(std::optional<env_map> extra_env) {
  if (pid_ > 0) stop_with(SIGTERM);
  if (extra_env) extra_env_ = std::move(*extra_env);
  spawn();
  wait_until_listening();
}

std::string test_server::log_text() const {
  return read_file_from(dir_ / "authd.log", 0);
}

}  // namespace authd::itest
