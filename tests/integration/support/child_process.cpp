#include "support/child_process.hpp"

#include <fcntl.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <fstream>
#include <iterator>
#include <stdexcept>
#include <system_error>
#include <thread>

#include "support/process_util.hpp"

extern char** environ;

namespace authd::itest {

namespace {

using namespace std::chrono_literals;

}  // namespace

child_process::child_process(std::vector<std::string> argv, std::optional<env_map> env)
    : dir_(make_temp_dir("authd-cmd")) {
  // Everything the child needs is prepared before fork: after it, only async-signal-safe calls.
  std::vector<char*> argv_ptrs;
  for (auto& arg : argv) argv_ptrs.push_back(arg.data());
  argv_ptrs.push_back(nullptr);
  std::vector<std::string> env_strings;
  if (env) {
    for (const auto& [name, value] : *env) env_strings.push_back(name + "=" + value);
  }
  std::vector<char*> envp;
  for (auto& entry : env_strings) envp.push_back(entry.data());
  envp.push_back(nullptr);
  char** child_env = env ? envp.data() : environ;
  const std::string output_path = (dir_ / "output").string();
  const std::string cwd = dir_.string();

  const pid_t parent = ::getpid();
  const pid_t pid = ::fork();
  if (pid < 0) {
    const int error = errno;
    std::error_code ignored;
    std::filesystem::remove_all(dir_, ignored);
    throw std::system_error(error, std::generic_category(), "fork");
  }
  if (pid == 0) {
    ::prctl(PR_SET_PDEATHSIG, SIGKILL);  // a crashed test must not leave a process behind
    if (::getppid() != parent) ::_exit(127);
    if (::chdir(cwd.c_str()) != 0) ::_exit(127);
    const int out_fd = ::open(output_path.c_str(), O_WRONLY | O_CREAT | O_APPEND, 0600);
    const int null_fd = ::open("/dev/null", O_RDONLY);
    if (out_fd < 0 || null_fd < 0) ::_exit(127);
    if (::dup2(null_fd, 0) < 0 || ::dup2(out_fd, 1) < 0 || ::dup2(out_fd, 2) < 0) ::_exit(127);
    ::close_range(3, ~0U, 0);
    ::execve(argv_ptrs[0], argv_ptrs.data(), child_env);
    ::_exit(127);
  }
  pid_ = pid;
}

child_process::~child_process() {
  if (pid_ > 0) {
    ::kill(pid_, SIGKILL);
    ::waitpid(pid_, nullptr, 0);
  }
  std::error_code ignored;
  std::filesystem::remove_all(dir_, ignored);
}

process_result child_process::wait(std::chrono::seconds timeout) {
  if (pid_ <= 0) throw std::logic_error("child_process::wait called twice");
  process_result result;
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  for (;;) {
    int status = 0;
    const pid_t done = ::waitpid(pid_, &status, WNOHANG);
    if (done == pid_) {
      result.exit_code = decode_status(status);
      break;
    }
    if (done < 0 && errno != EINTR) throw std::system_error(errno, std::generic_category(), "waitpid");
    if (std::chrono::steady_clock::now() >= deadline) {
      ::kill(pid_, SIGKILL);
      ::waitpid(pid_, nullptr, 0);
      result.exit_code = -1;
      break;
    }
    std::this_thread::sleep_for(20ms);
  }
  pid_ = -1;
  std::ifstream in(dir_ / "output", std::ios::binary);
  result.output.assign(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
  return result;
}

env_map authd_env(const env_map& extra) {
  env_map env;
  for (const char* name : {"ASAN_OPTIONS", "UBSAN_OPTIONS", "LSAN_OPTIONS"}) {
    if (const char* value = std::getenv(name)) env[name] = value;
  }
  for (const auto& [name, value] : extra) env[name] = value;
  return env;
}

process_result run_authd(const std::vector<std::string>& args, const env_map& env) {
  std::vector<std::string> argv{AUTHD_BINARY};
  argv.insert(argv.end(), args.begin(), args.end());
  return child_process(std::move(argv), authd_env(env)).wait();
}

}  // namespace authd::itest
