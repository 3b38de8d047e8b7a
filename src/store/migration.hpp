// Migrations as data: the embedded NNNN_name.{up,down}.sql files, and the pure planning logic
// (what to apply, what to revert, which applied file changed) that every backend shares.
#pragma once

#include <boost/system/result.hpp>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "embedded_file.hpp"
#include "store/store.hpp"

namespace authd::store {

struct migration {
  int version = 0;  // NNNN
  std::string name;
  std::string up_sql;
  std::string down_sql;
  std::string checksum;  // hex SHA-256 of up_sql: an applied file must never change
};

// A row of the applied-migrations table.
struct applied_migration {
  int version = 0;
  std::string name;
  std::string checksum;
  micros applied_at = 0;
};

struct migration_state {
  int version = 0;
  std::string name;
  std::optional<micros> applied_at;  // empty when pending
  bool checksum_mismatch = false;    // applied, but the embedded file has changed since
  bool unknown = false;              // applied by a binary that has migrations this one lacks
};

// Errors are sentences for the operator.
template <class T>
using migration_result = boost::system::result<T, std::string>;

// Parses embedded files into migrations ordered by version. Every version needs both an .up.sql
// and a .down.sql, versions start at 1 and have no gaps.
migration_result<std::vector<migration>> load_migrations(std::span<const embedded_file> files);

// Status of every known migration, plus applied ones the binary does not know (newer binary ran).
std::vector<migration_state> plan_status(const std::vector<migration>& known,
                                         const std::vector<applied_migration>& applied);

// The migrations to apply, in order; an error if an applied migration's checksum differs or the
// database has versions this binary does not know.
migration_result<std::vector<migration>> plan_up(const std::vector<migration>& known,
                                                 const std::vector<applied_migration>& applied);

// The `steps` most recent applied migrations to revert, newest first; an error when fewer are
// applied, or one of them is unknown to this binary or has changed.
migration_result<std::vector<migration>> plan_down(const std::vector<migration>& known,
                                                   const std::vector<applied_migration>& applied, int steps);

// Hex SHA-256, used for checksums.
std::string sha256_hex(std::string_view data);

}  // namespace authd::store
