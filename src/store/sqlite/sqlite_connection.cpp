#include "store/sqlite/sqlite_connection.hpp"

#include <algorithm>
#include <cctype>
#include <limits>
#include <memory>
#include <stdexcept>

namespace authd::store::sqlite {

namespace {

// Rows hold names, emails, hashes and user agents of at most a few KiB; anything near this limit
// is a bug or an attack, and SQLite refuses it (SQLITE_TOOBIG) instead of storing it.
constexpr int max_value_bytes = 1 << 20;

struct finalizer {
  void operator()(sqlite3_stmt* stmt) const noexcept { sqlite3_finalize(stmt); }
};
using owned_statement = std::unique_ptr<sqlite3_stmt, finalizer>;

bool only_blanks(std::string_view text) {
  return std::all_of(text.begin(), text.end(),
                     [](char c) { return std::isspace(static_cast<unsigned char>(c)); });
}

}  // namespace

void throw_exception_from_error(const sqlite_error& error, const boost::source_location&) {
  throw std::runtime_error("sqlite error " + std::to_string(error.code) + ": " + error.message);
}

// ---- statement

statement::statement(statement&& other) noexcept
    : stmt_(std::exchange(other.stmt_, nullptr)), bind_error_(other.bind_error_) {}

statement::~statement() {
  if (stmt_ != nullptr) {
    sqlite3_reset(stmt_);
    sqlite3_clear_bindings(stmt_);
  }
}

statement& statement::bind(int index, std::string_view text) {
  if (bind_error_ == SQLITE_OK) {
    // A null pointer would bind SQL NULL; an empty string_view must stay an empty text.
    const char* data = text.data() != nullptr ? text.data() : "";
    bind_error_ = sqlite3_bind_text64(stmt_, index, data, text.size(), SQLITE_TRANSIENT, SQLITE_UTF8);
  }
  return *this;
}

statement& statement::bind(int index, std::int64_t value) {
  if (bind_error_ == SQLITE_OK) bind_error_ = sqlite3_bind_int64(stmt_, index, value);
  return *this;
}

statement& statement::bind(int index, std::optional<std::int64_t> value) {
  if (value) return bind(index, *value);
  if (bind_error_ == SQLITE_OK) bind_error_ = sqlite3_bind_null(stmt_, index);
  return *this;
}

sqlite_error statement::error_from(int code) const {
  return sqlite_error{code, sqlite3_errmsg(sqlite3_db_handle(stmt_))};
}

sqlite_result<bool> statement::step() {
  if (bind_error_ != SQLITE_OK) return sqlite_error{bind_error_, sqlite3_errstr(bind_error_)};
  const int rc = sqlite3_step(stmt_);
  if (rc == SQLITE_ROW) return true;
  if (rc == SQLITE_DONE) return false;
  return error_from(rc);
}

sqlite_result<void> statement::run() {
  for (;;) {
    auto row = step();
    if (!row) return row.error();
    if (!*row) break;
  }
  sqlite3_reset(stmt_);
  return {};
}

std::string statement::column_text(int column) const {
  const auto* text = sqlite3_column_text(stmt_, column);
  if (text == nullptr) return {};
  const int size = sqlite3_column_bytes(stmt_, column);
  return std::string(reinterpret_cast<const char*>(text), static_cast<std::size_t>(size));
}

std::int64_t statement::column_int64(int column) const {
  return sqlite3_column_int64(stmt_, column);
}

std::optional<std::int64_t> statement::column_optional_int64(int column) const {
  if (column_is_null(column)) return std::nullopt;
  return column_int64(column);
}

bool statement::column_is_null(int column) const {
  return sqlite3_column_type(stmt_, column) == SQLITE_NULL;
}

// ---- transaction

transaction::~transaction() {
  // SQLite ends the transaction by itself after some errors (full disk, I/O); only roll back what
  // is still open. A failing ROLLBACK leaves nothing more to do: closing the connection also rolls back.
  if (conn_ != nullptr && conn_->in_transaction()) {
    if (auto rollback = conn_->prepare("ROLLBACK")) (void)rollback->run();
  }
}

sqlite_result<void> transaction::commit() {
  auto stmt = conn_->prepare("COMMIT");
  if (!stmt) return stmt.error();
  if (auto done = stmt->run(); !done) return done.error();
  conn_ = nullptr;
  return {};
}

// ---- connection

sqlite_result<connection> connection::open(const std::filesystem::path& file,
                                           const connection_options& options) {
  // NOMUTEX: a connection is only ever used by one thread at a time (the pool guarantees it), so
  // SQLite's per-connection mutex would be pure overhead.
  int flags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX | SQLITE_OPEN_EXRESCODE;
  if (options.create) flags |= SQLITE_OPEN_CREATE;
  sqlite3* raw = nullptr;
  const int rc = sqlite3_open_v2(file.c_str(), &raw, flags, nullptr);
  connection conn(raw);  // owns the handle even when opening failed
  if (rc != SQLITE_OK) {
    if (raw == nullptr) return sqlite_error{rc, sqlite3_errstr(rc)};
    return conn.last_error(rc);
  }
  sqlite3_extended_result_codes(raw, 1);
  const auto timeout = std::clamp<std::chrono::milliseconds::rep>(options.busy_timeout.count(), 0,
                                                                  std::numeric_limits<int>::max());
  sqlite3_busy_timeout(raw, static_cast<int>(timeout));
  sqlite3_limit(raw, SQLITE_LIMIT_LENGTH, max_value_bytes);
  // Defensive: no writable_schema or other ways for SQL to corrupt the file on purpose.
  sqlite3_db_config(raw, SQLITE_DBCONFIG_DEFENSIVE, 1, nullptr);
  sqlite3_db_config(raw, SQLITE_DBCONFIG_TRUSTED_SCHEMA, 0, nullptr);

  // WAL: readers never block the writer nor each other, which is what lets /auth/me scale.
  // synchronous=FULL rather than NORMAL: in WAL mode NORMAL is safe against a process crash
  // (committed pages are in the OS cache) but the last commits can be lost on power loss or a
  // kernel crash, until the next checkpoint. A registration answered 201 or a logout answered 204
  // (a revocation!) must not come back undone, so each commit syncs the WAL; that costs one fsync
  // per write, small next to the Argon2 hash that precedes every register and login.
  {
    sqlite3_stmt* raw_stmt = nullptr;
    if (int prc = sqlite3_prepare_v2(raw, "PRAGMA journal_mode = WAL", -1, &raw_stmt, nullptr);
        prc != SQLITE_OK) {
      return conn.last_error(prc);
    }
    owned_statement stmt(raw_stmt);
    const int src = sqlite3_step(stmt.get());
    if (src != SQLITE_ROW) return conn.last_error(src);
    const auto* mode = sqlite3_column_text(stmt.get(), 0);
    if (mode == nullptr || std::string_view(reinterpret_cast<const char*>(mode)) != "wal") {
      return sqlite_error{SQLITE_ERROR, "the database cannot use WAL journal mode"};
    }
  }
  if (auto set = conn.exec("PRAGMA synchronous = FULL; PRAGMA foreign_keys = ON;"); !set) return set.error();
  {
    // PRAGMA foreign_keys is silently ignored by builds without them; make that an error.
    auto check = conn.prepare("PRAGMA foreign_keys");
    if (!check) return check.error();
    auto row = check->step();
    if (!row) return row.error();
    if (!*row || check->column_int64(0) != 1) {
      return sqlite_error{SQLITE_ERROR, "this SQLite cannot enforce foreign keys"};
    }
  }
  return conn;
}

connection::connection(connection&& other) noexcept
    : db_(std::exchange(other.db_, nullptr)), cache_(std::move(other.cache_)) {
  other.cache_.clear();
}

connection& connection::operator=(connection&& other) noexcept {
  if (this != &other) {
    close();
    db_ = std::exchange(other.db_, nullptr);
    cache_ = std::move(other.cache_);
    other.cache_.clear();
  }
  return *this;
}

connection::~connection() {
  close();
}

void connection::close() noexcept {
  for (auto& [sql, stmt] : cache_) sqlite3_finalize(stmt);
  cache_.clear();
  if (db_ != nullptr) sqlite3_close_v2(db_);
  db_ = nullptr;
}

sqlite_error connection::last_error(int code) const {
  return sqlite_error{code, db_ != nullptr ? sqlite3_errmsg(db_) : sqlite3_errstr(code)};
}

sqlite_result<statement> connection::prepare(std::string_view sql) {
  auto it = cache_.find(sql);
  if (it == cache_.end()) {
    if (sql.size() >= static_cast<std::size_t>(std::numeric_limits<int>::max())) {
      return sqlite_error{SQLITE_TOOBIG, "statement too long"};
    }
    sqlite3_stmt* raw = nullptr;
    const char* tail = nullptr;
    // PERSISTENT: these statements live as long as the connection, so SQLite keeps them out of
    // its short-lived lookaside memory.
    const int rc = sqlite3_prepare_v3(db_, sql.data(), static_cast<int>(sql.size()),
                                      SQLITE_PREPARE_PERSISTENT, &raw, &tail);
    if (rc != SQLITE_OK) return last_error(rc);
    owned_statement stmt(raw);
    if (stmt == nullptr) return sqlite_error{SQLITE_MISUSE, "empty statement"};
    const std::string_view rest = sql.substr(static_cast<std::size_t>(tail - sql.data()));
    if (!only_blanks(rest)) {
      return sqlite_error{SQLITE_MISUSE, "prepare takes one statement; use exec for scripts"};
    }
    it = cache_.emplace(std::string(sql), stmt.release()).first;
  }
  // A statement that is mid-iteration belongs to someone up the stack; resetting it under them
  // would silently cut their results short.
  if (sqlite3_stmt_busy(it->second) != 0)
    throw std::logic_error("a cached SQLite statement is already in use");
  return statement(it->second);
}

sqlite_result<void> connection::exec(std::string_view sql) {
  const std::string script(sql);  // sqlite3_exec wants a terminated string
  char* message = nullptr;
  const int rc = sqlite3_exec(db_, script.c_str(), nullptr, nullptr, &message);
  std::unique_ptr<char, decltype(&sqlite3_free)> owned(message, &sqlite3_free);
  if (rc == SQLITE_OK) return {};
  return sqlite_error{sqlite3_extended_errcode(db_), message != nullptr ? message : sqlite3_errstr(rc)};
}

sqlite_result<transaction> connection::begin_immediate() {
  auto stmt = prepare("BEGIN IMMEDIATE");
  if (!stmt) return stmt.error();
  if (auto done = stmt->run(); !done) return done.error();
  return transaction(*this);
}

std::int64_t connection::changes() const noexcept {
  return sqlite3_changes64(db_);
}

bool connection::in_transaction() const noexcept {
  return db_ != nullptr && sqlite3_get_autocommit(db_) == 0;
}

}  // namespace authd::store::sqlite
