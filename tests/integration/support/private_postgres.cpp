#include "support/private_postgres.hpp"

#include <cerrno>
#include <cstdlib>
#include <stdexcept>
#include <system_error>

#include "support/child_process.hpp"

namespace authd::itest {

namespace {

// Short: the Unix socket path (DIR/sock/.s.PGSQL.5432) must stay under 108 bytes.
std::filesystem::path make_temp_dir() {
  std::string pattern = "/tmp/authd-pg-XXXXXX";
  if (::mkdtemp(pattern.data()) == nullptr)
    throw std::system_error(errno, std::generic_category(), "mkdtemp");
  return pattern;
}

std::string script() {
  return std::string(AUTHD_SOURCE_DIR) + "/scripts/throwaway-postgres";
}

// The line of the script's output that is the URL (`start` prints it last).
std::string url_in(const std::string& output) {
  const auto at = output.rfind("postgresql://");
  if (at == std::string::npos) throw std::runtime_error("throwaway-postgres printed no URL: " + output);
  const auto end = output.find_first_of("\r\n", at);
  return output.substr(at, end == std::string::npos ? std::string::npos : end - at);
}

}  // namespace

private_postgres::private_postgres() : dir_(make_temp_dir()) {
  try {
    url_ = url_in(run("start"));
  } catch (...) {
    child_process({script(), "destroy", dir_.string()}, std::nullopt).wait();
    throw;
  }
}

private_postgres::~private_postgres() {
  try {
    child_process({script(), "destroy", dir_.string()}, std::nullopt).wait();
  } catch (...) {
    // Nothing better to do in a destructor; the directory is in /tmp.
  }
}

void private_postgres::stop() {
  run("stop");
}

void private_postgres::start() {
  run("start");
}

std::string private_postgres::run(const char* command) {
  // The script needs PATH and friends: it gets the test's own environment.
  auto result = child_process({script(), command, dir_.string()}, std::nullopt).wait();
  if (result.exit_code != 0)
    throw std::runtime_error(std::string("throwaway-postgres ") + command + " failed (" +
                             std::to_string(result.exit_code) + "): " + result.output);
  return result.output;
}

}  // namespace authd::itest
