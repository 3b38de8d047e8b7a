// Applies the embedded SQLite migrations to a database file: up, down, status.
#pragma once

#include <filesystem>
#include <memory>
#include <span>

#include "embedded_file.hpp"
#include "store/migration.hpp"

namespace authd::store::sqlite {

// The migrations compiled into the binary (generated from migrations/sqlite/).
std::span<const embedded_file> embedded_migrations();

class migrator {
 public:
  // Opens (creating if needed, with its parent directory) the database file.
  static migration_result<migrator> open(const std::filesystem::path& database_file);
  // The same with other migrations than the embedded ones (tests, tools).
  static migration_result<migrator> open(const std::filesystem::path& database_file,
                                         std::span<const embedded_file> files);

  // Each migration runs in its own transaction together with its row in schema_migrations.
  migration_result<std::vector<migration>> up();             // returns what was applied
  migration_result<std::vector<migration>> down(int steps);  // returns what was reverted
  migration_result<std::vector<migration_state>> status();
  // Number of known migrations not yet applied (serve refuses to start when > 0 and not migrating);
  // an error, like up(), when an applied file changed or the database is newer than the binary.
  migration_result<int> pending();

  migrator(migrator&&) noexcept;
  migrator& operator=(migrator&&) noexcept;
  ~migrator();

 private:
  struct impl;
  explicit migrator(std::unique_ptr<impl> p);
  std::unique_ptr<impl> impl_;
};

}  // namespace authd::store::sqlite
