// A thin RAII layer over the SQLite C API: one connection with the pragmas authd relies on, its
// cache of prepared statements, bind/step helpers and transactions, with errors as values.
#pragma once

#include <sqlite3.h>

#include <boost/assert/source_location.hpp>
#include <boost/system/result.hpp>
#include <chrono>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>

namespace authd::store::sqlite {

struct sqlite_error {
  // A constructor, not an aggregate: else result<bool, sqlite_error>{true} would be ambiguous.
  sqlite_error() = default;
  sqlite_error(int error_code, std::string error_message)
      : code(error_code), message(std::move(error_message)) {}

  int code = SQLITE_ERROR;  // extended result code
  std::string message;      // SQLite's text: it names tables and columns, never bound values
};

// Lets result<T, sqlite_error>::value() throw: an error nobody checked is unexpected.
[[noreturn]] void throw_exception_from_error(const sqlite_error& error,
                                             const boost::source_location& location);

template <class T>
using sqlite_result = boost::system::result<T, sqlite_error>;

// A cached prepared statement lent out by its connection. Binding errors are remembered and
// reported by the next step, so binds chain. Resets itself and clears its bindings when it goes
// out of scope, so no read snapshot or bound value outlives its use.
class statement {
 public:
  explicit statement(sqlite3_stmt* stmt) noexcept : stmt_(stmt) {}
  statement(statement&& other) noexcept;
  statement& operator=(statement&&) = delete;
  ~statement();

  // Indexes are 1-based, as in SQL's ?NNN. Text is copied by SQLite.
  statement& bind(int index, std::string_view text);
  statement& bind(int index, std::int64_t value);
  statement& bind(int index, std::optional<std::int64_t> value);

  // True when a row is ready, false when the statement has finished.
  sqlite_result<bool> step();
  // Runs a statement that returns no rows to completion.
  sqlite_result<void> run();

  std::string column_text(int column) const;
  std::int64_t column_int64(int column) const;
  std::optional<std::int64_t> column_optional_int64(int column) const;
  bool column_is_null(int column) const;

  sqlite3_stmt* native_handle() const noexcept { return stmt_; }

 private:
  sqlite_error error_from(int code) const;

  sqlite3_stmt* stmt_;
  int bind_error_ = SQLITE_OK;
};

class connection;

// BEGIN ... COMMIT; rolls back when destroyed uncommitted, so every early return undoes its work.
class transaction {
 public:
  explicit transaction(connection& conn) noexcept : conn_(&conn) {}
  transaction(transaction&& other) noexcept : conn_(std::exchange(other.conn_, nullptr)) {}
  transaction& operator=(transaction&&) = delete;
  ~transaction();

  sqlite_result<void> commit();

 private:
  connection* conn_;
};

struct connection_options {
  bool create = false;  // create the file when missing (the migrator), else it must exist (the store)
  std::chrono::milliseconds busy_timeout{5000};
};

class connection {
 public:
  // Opens the file and applies the pragmas: WAL, synchronous=FULL, busy timeout, foreign keys.
  static sqlite_result<connection> open(const std::filesystem::path& file, const connection_options& options);

  connection(connection&& other) noexcept;
  connection& operator=(connection&& other) noexcept;
  ~connection();

  // A statement from the cache, prepared on first use. `sql` is one statement.
  sqlite_result<statement> prepare(std::string_view sql);
  // Runs a script of any number of statements, uncached (migrations, pragmas).
  sqlite_result<void> exec(std::string_view sql);

  // BEGIN IMMEDIATE takes the write lock up front, so a writer waits at BEGIN (under the busy
  // timeout) instead of failing later when its read lock cannot be upgraded.
  sqlite_result<transaction> begin_immediate();

  // Rows changed by the last INSERT, UPDATE or DELETE.
  std::int64_t changes() const noexcept;
  bool in_transaction() const noexcept;
  sqlite3* native_handle() const noexcept { return db_; }

  sqlite_error last_error(int code) const;

 private:
  explicit connection(sqlite3* db) noexcept : db_(db) {}
  void close() noexcept;

  struct text_hash {
    using is_transparent = void;
    std::size_t operator()(std::string_view text) const noexcept {
      return std::hash<std::string_view>{}(text);
    }
  };

  sqlite3* db_ = nullptr;
  // Keyed by SQL text: the statements are compile-time constants, so the cache stays small.
  std::unordered_map<std::string, sqlite3_stmt*, text_hash, std::equal_to<>> cache_;
};

}  // namespace authd::store::sqlite
