// Test helper: a plain SQLite connection, without authd's pragmas (foreign keys off), to look at
// or tamper with a database behind the store's back.
#pragma once

#include <sqlite3.h>

#include <cstdint>
#include <filesystem>
#include <stdexcept>
#include <string>

namespace authd::store::test_support {

class raw_sqlite {
 public:
  explicit raw_sqlite(const std::filesystem::path& file) {
    if (sqlite3_open_v2(file.c_str(), &db_, SQLITE_OPEN_READWRITE, nullptr) != SQLITE_OK) {
      std::string message = sqlite3_errmsg(db_);
      sqlite3_close(db_);
      throw std::runtime_error("raw open failed: " + message);
    }
    sqlite3_busy_timeout(db_, 5000);
  }
  raw_sqlite(const raw_sqlite&) = delete;
  raw_sqlite& operator=(const raw_sqlite&) = delete;
  ~raw_sqlite() { sqlite3_close(db_); }

  void exec(const std::string& sql) {
    char* message = nullptr;
    if (sqlite3_exec(db_, sql.c_str(), nullptr, nullptr, &message) != SQLITE_OK) {
      std::string text = message != nullptr ? message : "?";
      sqlite3_free(message);
      throw std::runtime_error("raw exec failed: " + text);
    }
  }

  // The first column of the first row, as text ("" when NULL or no row).
  std::string query_text(const std::string& sql) {
    sqlite3_stmt* stmt = nullptr;
    if (sqlite3_prepare_v2(db_, sql.c_str(), -1, &stmt, nullptr) != SQLITE_OK) {
      throw std::runtime_error(std::string("raw prepare failed: ") + sqlite3_errmsg(db_));
    }
    std::string out;
    if (sqlite3_step(stmt) == SQLITE_ROW && sqlite3_column_text(stmt, 0) != nullptr) {
      out = reinterpret_cast<const char*>(sqlite3_column_text(stmt, 0));
    }
    sqlite3_finalize(stmt);
    return out;
  }

  std::int64_t query_int(const std::string& sql) { return std::stoll(query_text(sql)); }

  bool has_table(const std::string& name) {
    return query_int("SELECT count(*) FROM sqlite_schema WHERE type = 'table' AND name = '" + name + "'") ==
           1;
  }

 private:
  sqlite3* db_ = nullptr;
};

}  // namespace authd::store::test_support
