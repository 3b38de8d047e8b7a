#include "support/nginx_proxy.hpp"

#include <fcntl.h>
#include <gtest/gtest.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <boost/asio/connect.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <cerrno>
#include <chrono>
#include <cstdlib>
#include <fstream>
#include <iostream>
#include <iterator>
#include <sstream>
#include <stdexcept>
#include <system_error>
#include <thread>
#include <vector>

#include "support/process_util.hpp"

namespace authd::itest {

namespace {

namespace asio = boost::asio;
using namespace std::chrono_literals;

constexpr auto start_timeout = 15s;
constexpr auto stop_timeout = 30s;
constexpr auto poll_interval = 20ms;

std::string read_whole(const std::filesystem::path& file) {
  std::ifstream in(file, std::ios::binary);
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

// Debian installs it in /usr/sbin, which is not on every user's PATH.
std::string nginx_binary() {
  for (const char* candidate : {"/usr/sbin/nginx", "/usr/local/sbin/nginx"})
    if (::access(candidate, X_OK) == 0) return candidate;
  throw std::runtime_error("nginx is not installed (scripts/install-deps installs it)");
}

// A port nothing listens on right now. nginx needs the number in its configuration; a port taken
// between this and nginx's start makes start() fail, and the caller picks again.
std::uint16_t free_port() {
  asio::io_context io;
  asio::ip::tcp::acceptor acceptor(io, asio::ip::tcp::endpoint(asio::ip::make_address("127.0.0.1"), 0));
  return acceptor.local_endpoint().port();
}

bool accepts_connections(std::uint16_t port) {
  asio::io_context io;
  asio::ip::tcp::socket socket(io);
  boost::system::error_code ec;
  socket.connect(asio::ip::tcp::endpoint(asio::ip::make_address("127.0.0.1"), port), ec);
  return !ec;
}

// Replaces every occurrence of `from` (at least one) with `to`.
void substitute(std::string& text, std::string_view from, std::string_view to) {
  std::size_t count = 0;
  for (auto at = text.find(from); at != std::string::npos; at = text.find(from, at + to.size())) {
    text.replace(at, from.size(), to);
    ++count;
  }
  if (count == 0)
    throw std::runtime_error("docs/nginx/authd.conf has no `" + std::string(from) +
                             "` any more: update tests/integration/support/nginx_proxy.cpp with it");
}

std::string trimmed_start(const std::string& line) {
  const auto start = line.find_first_not_of(" \t");
  return start == std::string::npos ? std::string{} : line.substr(start);
}

// nginx's own settings for a test: one unprivileged-friendly process (master_process off, so the
// parent-death signal reaches all of nginx and nothing outlives a crashed test), and every path
// that would default to /var or /run inside `dir`.
std::string main_conf(const std::filesystem::path& dir) {
  const std::string d = dir.string();
  std::ostringstream out;
  out << "daemon off;\n"
      << "master_process off;\n"
      << "pid " << d << "/nginx.pid;\n"
      << "error_log " << d << "/error.log notice;\n"
      << "events { worker_connections 512; }\n"
      << "http {\n"
      << "  access_log " << d << "/default-access.log;\n"
      << "  client_body_temp_path " << d << "/temp/client_body;\n"
      << "  proxy_temp_path " << d << "/temp/proxy;\n"
      << "  fastcgi_temp_path " << d << "/temp/fastcgi;\n"
      << "  uwsgi_temp_path " << d << "/temp/uwsgi;\n"
      << "  scgi_temp_path " << d << "/temp/scgi;\n"
      << "  include " << d << "/authd.conf;\n"
      << "}\n";
  return out.str();
}

}  // namespace

std::string render_site_for_test(std::string_view conf, std::uint16_t port, std::uint16_t redirect_port,
                                 std::uint16_t first, std::uint16_t second, const std::string& log_dir) {
  // TLS aside: the test client speaks plain HTTP, so the ssl_* lines go and so do the IPv6
  // listeners (the test listens on 127.0.0.1 only).
  std::string kept;
  std::istringstream lines{std::string(conf)};
  for (std::string line; std::getline(lines, line);) {
    const auto text = trimmed_start(line);
    if (text.starts_with("ssl_") || text.starts_with("listen [::]:")) continue;
    kept += line;
    kept += '\n';
  }
  const auto local = [](std::uint16_t p) { return "127.0.0.1:" + std::to_string(p); };
  substitute(kept, "listen 443 ssl http2;", "listen " + local(port) + ";");
  substitute(kept, "listen 80;", "listen " + local(redirect_port) + ";");
  substitute(kept, "server 127.0.0.1:8001 ", "server " + local(first) + " ");
  substitute(kept, "server 127.0.0.1:8002 ", "server " + local(second) + " ");
  substitute(kept, "/var/log/nginx/", log_dir + "/");
  return kept;
}

nginx_proxy::nginx_proxy(std::uint16_t first, std::uint16_t second) : dir_(make_temp_dir("authd-nginx")) {
  try {
    std::filesystem::create_directories(dir_ / "temp");
    for (int attempt = 0;; ++attempt) {
      if (start(first, second)) return;
      if (attempt == 2) throw std::runtime_error("nginx did not start; its error log:\n" + error_log());
    }
  } catch (...) {
    stop();
    std::error_code ignored;
    std::filesystem::remove_all(dir_, ignored);
    throw;
  }
}

nginx_proxy::~nginx_proxy() {
  stop();
  if (::testing::Test::HasFailure()) {
    std::cerr << "---- nginx error log (" << dir_.string() << ") ----\n"
              << error_log() << "---- nginx access log ----\n"
              << access_log() << "---- end of nginx logs ----\n";
  }
  std::error_code ignored;
  std::filesystem::remove_all(dir_, ignored);
}

bool nginx_proxy::start(std::uint16_t first, std::uint16_t second) {
  port_ = free_port();
  do redirect_port_ = free_port();
  while (redirect_port_ == port_);
  {
    std::ofstream(dir_ / "authd.conf")
        << render_site_for_test(read_whole(std::filesystem::path(AUTHD_SOURCE_DIR) / "docs/nginx/authd.conf"),
                                port_, redirect_port_, first, second, dir_.string());
    std::ofstream(dir_ / "nginx.conf") << main_conf(dir_);
  }

  std::vector<std::string> args{nginx_binary(),
                                "-p",
                                dir_.string() + "/",
                                "-c",
                                (dir_ / "nginx.conf").string(),
                                "-e",  // before the configuration is read, errors go here too
                                (dir_ / "error.log").string()};
  std::vector<char*> argv;
  for (auto& arg : args) argv.push_back(arg.data());
  argv.push_back(nullptr);
  const std::string output = (dir_ / "output.log").string();

  const pid_t parent = ::getpid();
  const pid_t pid = ::fork();
  if (pid < 0) throw std::system_error(errno, std::generic_category(), "fork");
  if (pid == 0) {
    // Only async-signal-safe calls between fork and exec: the test process may have threads.
    ::prctl(PR_SET_PDEATHSIG, SIGKILL);
    if (::getppid() != parent) ::_exit(127);
    const int out_fd = ::open(output.c_str(), O_WRONLY | O_CREAT | O_APPEND, 0600);
    const int null_fd = ::open("/dev/null", O_RDONLY);
    if (out_fd < 0 || null_fd < 0) ::_exit(127);
    if (::dup2(null_fd, 0) < 0 || ::dup2(out_fd, 1) < 0 || ::dup2(out_fd, 2) < 0) ::_exit(127);
    ::close_range(3, ~0U, 0);
    ::execv(argv[0], argv.data());
    ::_exit(127);
  }
  pid_ = pid;

  const auto deadline = std::chrono::steady_clock::now() + start_timeout;
  for (;;) {
    if (accepts_connections(port_) && accepts_connections(redirect_port_)) return true;
    int status = 0;
    if (::waitpid(pid_, &status, WNOHANG) == pid_) {
      pid_ = -1;
      const auto log = error_log() + read_whole(output);
      if (log.find("Address already in use") != std::string::npos) return false;
      throw std::runtime_error("nginx exited with status " + std::to_string(decode_status(status)) +
                               " at start; its output:\n" + log);
    }
    if (std::chrono::steady_clock::now() > deadline)
      throw std::runtime_error("nginx did not accept connections in time; its error log:\n" + error_log());
    std::this_thread::sleep_for(poll_interval);
  }
}

void nginx_proxy::stop() {
  if (pid_ <= 0) return;
  ::kill(pid_, SIGTERM);  // fast shutdown
  const auto deadline = std::chrono::steady_clock::now() + stop_timeout;
  while (::waitpid(pid_, nullptr, WNOHANG) != pid_) {
    if (std::chrono::steady_clock::now() >= deadline) {
      ::kill(pid_, SIGKILL);
      ::waitpid(pid_, nullptr, 0);
      break;
    }
    std::this_thread::sleep_for(poll_interval);
  }
  pid_ = -1;
}

std::string nginx_proxy::access_log() const {
  return read_whole(dir_ / "authd.access.log");
}

std::string nginx_proxy::error_log() const {
  return read_whole(dir_ / "error.log");
}

}  // namespace authd::itest
