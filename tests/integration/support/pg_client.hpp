// A blocking libpq connection for tests that look at or change a PostgreSQL database behind
// authd's back: set up a schema, read what authd stored, hold a lock.
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <vector>

struct pg_conn;

namespace authd::itest {

// Rows of text values; NULL is nullopt.
using pg_row = std::vector<std::optional<std::string>>;

class pg_client {
 public:
  // Connects to `url`; throws std::runtime_error (with libpq's message) when that fails.
  explicit pg_client(const std::string& url);
  ~pg_client();
  pg_client(const pg_client&) = delete;
  pg_client& operator=(const pg_client&) = delete;

  // Runs `sql` (one or more statements, no parameters); throws std::runtime_error on an error.
  void exec(const std::string& sql);
  // Runs one statement with text parameters ($1, $2, ...) and returns its rows; throws on an error.
  std::vector<pg_row> query(const std::string& sql, const std::vector<std::string>& params = {});
  // The first column of the first row, for single-value queries; throws when there is none.
  std::optional<std::string> scalar(const std::string& sql, const std::vector<std::string>& params = {});

 private:
  std::unique_ptr<pg_conn, void (*)(pg_conn*)> conn_;
};

}  // namespace authd::itest
