// Applies the embedded PostgreSQL migrations (blocking libpq: this runs from the CLI and at start,
// never on the I/O threads), under an advisory lock so that several instances may run it at once.
#pragma once

#include <functional>
#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "embedded_file.hpp"
#include "store/migration.hpp"

namespace authd::store::postgres {

// The migrations compiled into the binary (generated from migrations/postgres/).
std::span<const embedded_file> embedded_migrations();

// Computes the unique email key of an address already stored (the composition root passes the
// auth module's case folding, so this module stays free of auth rules).
using email_key_function = std::function<std::string(std::string_view email)>;

// What `up` did to a database the original FastAPI service created.
struct takeover_report {
  bool taken_over = false;  // the alembic schema (7dfc9f79011c) was recognised and adopted
  std::size_t users = 0;    // rows kept
  // Accounts whose email differs from an older account's only in case: kept, but without an email
  // key (they cannot log in until an operator resolves them). "id email" strings.
  std::vector<std::string> unresolved_duplicates;
};

class migrator {
 public:
  static migration_result<migrator> open(const std::string& url, email_key_function key,
                                         std::span<const embedded_file> files = embedded_migrations());

  migration_result<std::vector<migration>> up(takeover_report* report = nullptr);
  migration_result<std::vector<migration>> down(int steps);
  migration_result<std::vector<migration_state>> status();
  migration_result<int> pending();

  migrator(migrator&&) noexcept;
  migrator& operator=(migrator&&) noexcept;
  ~migrator();

 private:
  struct impl;
  explicit migrator(std::unique_ptr<impl> p);
  std::unique_ptr<impl> impl_;
};

}  // namespace authd::store::postgres
