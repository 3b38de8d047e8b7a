#include "support/log_archive.hpp"

#include <unistd.h>

#include <atomic>
#include <boost/json/parse.hpp>
#include <fstream>
#include <mutex>
#include <string>

namespace authd::itest {

namespace {

std::mutex ledger_mutex;

// One file per test process, so that parallel tests never interleave lines.
std::ofstream& ledger() {
  static std::ofstream out(log_archive_dir() / ("secrets-" + std::to_string(::getpid()) + ".hex"),
                           std::ios::app);
  return out;
}

// Hex, one per line: a secret may hold any byte, newlines included.
void note(std::string_view secret) {
  static constexpr char digits[] = "0123456789abcdef";
  std::string line;
  line.reserve(secret.size() * 2 + 1);
  for (unsigned char c : secret) {
    line += digits[c >> 4];
    line += digits[c & 15];
  }
  line += '\n';
  std::lock_guard lock(ledger_mutex);
  ledger() << line << std::flush;
}

}  // namespace

const std::filesystem::path& log_archive_dir() {
  static const std::filesystem::path dir = [] {
    std::filesystem::path d = AUTHD_TEST_LOG_ARCHIVE;
    std::error_code ignored;
    std::filesystem::create_directories(d, ignored);
    return d;
  }();
  return dir;
}

void archive_server_log(const std::filesystem::path& log_file) {
  static std::atomic<unsigned> counter{0};
  const auto name = "server-" + std::to_string(::getpid()) + "-" + std::to_string(counter++) + ".log";
  std::error_code ignored;
  std::filesystem::copy_file(log_file, log_archive_dir() / name,
                             std::filesystem::copy_options::overwrite_existing, ignored);
}

void note_request_secrets(std::string_view body) {
  boost::system::error_code ec;
  const auto value = boost::json::parse(body, ec);
  if (ec || !value.is_object()) return;
  for (const char* key : {"password", "current_password", "new_password"})
    if (const auto* v = value.as_object().if_contains(key); v != nullptr && v->is_string())
      note(v->as_string());
}

void note_set_cookie(std::string_view header_value) {
  const auto eq = header_value.find('=');
  if (eq == std::string_view::npos) return;
  const auto end = header_value.find(';', eq);
  const auto value = header_value.substr(eq + 1, end == std::string_view::npos ? end : end - eq - 1);
  if (!value.empty()) note(value);
}

}  // namespace authd::itest
