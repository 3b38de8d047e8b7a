#include "store/sqlite/sqlite_store.hpp"

#include <fcntl.h>
#include <spdlog/spdlog.h>
#include <sys/file.h>
#include <unistd.h>

#include <array>
#include <boost/system/result.hpp>
#include <cerrno>
#include <cstring>
#include <type_traits>
#include <utility>

#include "store/sqlite/session_cache.hpp"
#include "store/sqlite/sqlite_connection.hpp"
#include "store/sqlite/sqlite_connection_pool.hpp"
#include "store/throttle_sql.hpp"

namespace authd::store::sqlite {

namespace {

constexpr std::string_view insert_user_sql =
    "INSERT INTO users (id, name, email, email_key, hashed_password, created) "
    "VALUES (?1, ?2, ?3, ?4, ?5, ?6)";
constexpr std::string_view insert_session_sql =
    "INSERT INTO sessions (id, user_id, created, expires, revoked, user_agent, client_address) "
    "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)";
constexpr std::string_view select_user_by_email_key_sql =
    "SELECT id, name, email, email_key, hashed_password, created FROM users WHERE email_key = ?1";
constexpr std::string_view update_password_hash_sql = "UPDATE users SET hashed_password = ?2 WHERE id = ?1";
// Always exactly one row, so that a missing user does not hide the session and vice versa; the
// session joins on both its id and the user id, so another user's session never matches.
constexpr std::string_view select_user_and_session_sql =
    "SELECT u.id, u.name, u.email, u.email_key, u.hashed_password, u.created, "
    "s.id, s.user_id, s.created, s.expires, s.revoked, s.user_agent, s.client_address, "
    "COALESCE(s.last_used, s.created) "
    "FROM (SELECT ?1 AS user_id, ?2 AS session_id) AS wanted "
    "LEFT JOIN users AS u ON u.id = wanted.user_id "
    "LEFT JOIN sessions AS s ON s.id = wanted.session_id AND s.user_id = wanted.user_id";
// Keeps the first revocation time: revoking twice changes nothing.
constexpr std::string_view revoke_session_sql =
    "UPDATE sessions SET revoked = ?2 WHERE id = ?1 AND revoked IS NULL";
// Never moves last_used back: two requests may touch the same session out of order.
constexpr std::string_view touch_session_sql =
    "UPDATE sessions SET last_used = ?2 WHERE id = ?1 AND (last_used IS NULL OR last_used < ?2)";
constexpr std::string_view select_live_sessions_sql =
    "SELECT id, user_id, created, expires, revoked, user_agent, client_address, "
    "COALESCE(last_used, created) FROM sessions "
    "WHERE user_id = ?1 AND revoked IS NULL AND expires > ?2 ORDER BY created DESC, id DESC LIMIT ?3";
// Only a live session of that user: another user's id, or an ended session, ends nothing.
constexpr std::string_view end_session_sql =
    "UPDATE sessions SET revoked = ?3 WHERE id = ?2 AND user_id = ?1 AND revoked IS NULL AND expires > ?3";
constexpr std::string_view end_sessions_except_sql =
    "UPDATE sessions SET revoked = ?3 WHERE user_id = ?1 AND id <> ?2 AND revoked IS NULL AND expires > ?3";
constexpr std::string_view delete_ended_sessions_sql =
    "DELETE FROM sessions WHERE expires < ?1 OR revoked < ?1";
constexpr std::string_view ping_sql = "SELECT 1 FROM users LIMIT 1";
constexpr std::string_view select_throttle_block_sql = "SELECT blocked_until FROM throttle WHERE key = ?1";
constexpr std::string_view delete_throttle_sql = "DELETE FROM throttle WHERE key = ?1";
constexpr std::string_view delete_idle_throttles_sql = "DELETE FROM throttle WHERE expires <= ?1";
constexpr throttle_sql::dialect throttle_dialect{.key = "?1",
                                                 .now = "?2",
                                                 .limit = "?3",
                                                 .window = "?4",
                                                 .base_block = "?5",
                                                 .max_block = "?6",
                                                 .doublings = "?7",
                                                 .greatest = "MAX",
                                                 .shift_count_cast = ""};
const std::string ensure_throttle_sql = throttle_sql::ensure_row(throttle_dialect);
const std::string record_throttle_failure_sql = throttle_sql::record_failure(throttle_dialect);

// Prepared on every connection at open: a schema that does not fit fails there, not mid-request.
constexpr std::array all_statements = {insert_user_sql,
                                       insert_session_sql,
                                       select_user_by_email_key_sql,
                                       update_password_hash_sql,
                                       select_user_and_session_sql,
                                       revoke_session_sql,
                                       touch_session_sql,
                                       select_live_sessions_sql,
                                       end_session_sql,
                                       end_sessions_except_sql,
                                       delete_ended_sessions_sql,
                                       ping_sql,
                                       select_throttle_block_sql,
                                       delete_throttle_sql,
                                       delete_idle_throttles_sql,
                                       std::string_view("BEGIN IMMEDIATE"),
                                       std::string_view("COMMIT"),
                                       std::string_view("ROLLBACK")};

bool is_unavailable(int code) {
  switch (code & 0xff) {  // the primary code: every SQLITE_IOERR_* and SQLITE_BUSY_* alike
    case SQLITE_BUSY:
    case SQLITE_LOCKED:
    case SQLITE_IOERR:
    case SQLITE_FULL:
    case SQLITE_CANTOPEN:
    case SQLITE_READONLY:
    case SQLITE_PROTOCOL:
      return true;
    default:
      return false;
  }
}

// SQLite's messages name the table and column ("UNIQUE constraint failed: users.email_key") and
// never the values, so they are safe to log; the bound values (hashes, emails) never are.
store_error map_error(std::string_view operation, const sqlite_error& error) {
  if (error.code == SQLITE_CONSTRAINT_UNIQUE && error.message.find("users.email_key") != std::string::npos) {
    return store_error::duplicate_email;
  }
  if (is_unavailable(error.code)) {
    spdlog::warn("sqlite {}: database unavailable: {} (code {})", operation, error.message, error.code);
    return store_error::unavailable;
  }
  spdlog::error("sqlite {}: {} (code {})", operation, error.message, error.code);
  return store_error::internal;
}

void bind_session(statement& stmt, const session_record& session) {
  stmt.bind(1, session.id)
      .bind(2, session.user_id)
      .bind(3, session.created)
      .bind(4, session.expires)
      .bind(5, session.revoked)
      .bind(6, session.user_agent)
      .bind(7, session.client_address);
}

// Reads the six user columns starting at `first`.
user_record read_user(const statement& stmt, int first) {
  user_record user;
  user.id = stmt.column_text(first);
  user.name = stmt.column_text(first + 1);
  user.email = stmt.column_text(first + 2);
  user.email_key = stmt.column_text(first + 3);
  user.password_hash = stmt.column_text(first + 4);
  user.created = stmt.column_int64(first + 5);
  return user;
}

// Reads the eight session columns starting at `first` (the last: last_used, or created).
session_record read_session(const statement& stmt, int first) {
  session_record session;
  session.id = stmt.column_text(first);
  session.user_id = stmt.column_text(first + 1);
  session.created = stmt.column_int64(first + 2);
  session.expires = stmt.column_int64(first + 3);
  session.revoked = stmt.column_optional_int64(first + 4);
  session.user_agent = stmt.column_text(first + 5);
  session.client_address = stmt.column_text(first + 6);
  session.last_used = stmt.column_int64(first + 7);
  return session;
}

sqlite_result<void> insert_session(connection& conn, const session_record& session) {
  auto stmt = conn.prepare(insert_session_sql);
  if (!stmt) return stmt.error();
  bind_session(*stmt, session);
  return stmt->run();
}

}  // namespace

// Held while the store is open, so that the session cache cannot be bypassed by another authd
// serving the same file (several instances share PostgreSQL, not SQLite). flock locks are apart from
// SQLite's own POSIX locks, and the kernel drops them when the process ends, however it ends.
class exclusive_lock {
 public:
  static boost::system::result<exclusive_lock, std::string> take(const std::string& path) {
    const int fd = ::open(path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0600);
    if (fd < 0) return "cannot open " + path + ": " + std::strerror(errno);
    if (::flock(fd, LOCK_EX | LOCK_NB) != 0) {
      const int error = errno;
      ::close(fd);
      if (error == EWOULDBLOCK)
        return "another authd process is serving this SQLite database (" + path +
               " is locked); several instances need PostgreSQL";
      return "cannot lock " + path + ": " + std::strerror(error);
    }
    return exclusive_lock(fd);
  }
  exclusive_lock(exclusive_lock&& other) noexcept : fd_(std::exchange(other.fd_, -1)) {}
  exclusive_lock& operator=(exclusive_lock&&) = delete;
  ~exclusive_lock() {
    if (fd_ >= 0) ::close(fd_);
  }

 private:
  explicit exclusive_lock(int fd) : fd_(fd) {}
  int fd_;
};

// About 10 MiB at most (session_cache::max_entry_bytes each, plus the map).
constexpr std::size_t session_cache_capacity = 10'000;

struct sqlite_store::impl {
  exclusive_lock lock;  // first in, last out: released after every connection is closed
  connection_pool pool;
  session_cache sessions{session_cache_capacity};

  impl(exclusive_lock held, std::vector<connection> connections, std::chrono::milliseconds wait)
      : lock(std::move(held)), pool(std::move(connections), wait) {}

  // Runs `work` on a connection of its own and turns SQLite errors into store errors.
  template <class T, class Work>
  result<T> with_connection(std::string_view operation, Work&& work) {
    auto lease = pool.acquire();
    if (!lease) {
      spdlog::warn("sqlite {}: database unavailable: no free connection within the busy timeout", operation);
      return store_error::unavailable;
    }
    sqlite_result<T> done = work(**lease);
    if (!done) return map_error(operation, done.error());
    if constexpr (std::is_void_v<T>) {
      return {};
    } else {
      return std::move(*done);
    }
  }

  result<void> create_user(const user_record& user, const session_record& session) {
    return with_connection<void>("create_user", [&](connection& conn) -> sqlite_result<void> {
      auto tx = conn.begin_immediate();
      if (!tx) return tx.error();
      auto insert_user = conn.prepare(insert_user_sql);
      if (!insert_user) return insert_user.error();
      insert_user->bind(1, user.id)
          .bind(2, user.name)
          .bind(3, user.email)
          .bind(4, user.email_key)
          .bind(5, user.password_hash)
          .bind(6, user.created);
      if (auto done = insert_user->run(); !done) return done.error();
      if (auto done = insert_session(conn, session); !done) return done.error();
      return tx->commit();
    });
  }

  result<std::optional<user_record>> find_user_by_email_key(std::string_view email_key) {
    return with_connection<std::optional<user_record>>(
        "find_user_by_email_key", [&](connection& conn) -> sqlite_result<std::optional<user_record>> {
          auto stmt = conn.prepare(select_user_by_email_key_sql);
          if (!stmt) return stmt.error();
          stmt->bind(1, email_key);
          auto row = stmt->step();
          if (!row) return row.error();
          if (!*row) return std::optional<user_record>();
          return std::optional<user_record>(read_user(*stmt, 0));
        });
  }

  result<void> update_password_hash(std::string_view user_id, std::string_view password_hash) {
    auto done = with_connection<void>("update_password_hash", [&](connection& conn) -> sqlite_result<void> {
      auto stmt = conn.prepare(update_password_hash_sql);
      if (!stmt) return stmt.error();
      stmt->bind(1, user_id).bind(2, password_hash);
      return stmt->run();
    });
    sessions.forget_user(user_id);  // cached answers carry the user's record, hash included
    return done;
  }

  result<void> create_session(const session_record& session) {
    return with_connection<void>("create_session", [&](connection& conn) -> sqlite_result<void> {
      return insert_session(conn, session);
    });
  }

  result<user_and_session> read_user_and_session(std::string_view user_id, std::string_view session_id) {
    return with_connection<user_and_session>("find_user_and_session",
                                             [&](connection& conn) -> sqlite_result<user_and_session> {
                                               auto stmt = conn.prepare(select_user_and_session_sql);
                                               if (!stmt) return stmt.error();
                                               stmt->bind(1, user_id).bind(2, session_id);
                                               auto row = stmt->step();
                                               if (!row) return row.error();
                                               user_and_session found;
                                               if (!*row) return found;
                                               if (!stmt->column_is_null(0)) found.user = read_user(*stmt, 0);
                                               if (!stmt->column_is_null(6))
                                                 found.session = read_session(*stmt, 6);
                                               return found;
                                             });
  }

  result<user_and_session> find_user_and_session(std::string_view user_id, std::string_view session_id) {
    if (auto cached = sessions.find(user_id, session_id)) return std::move(*cached);
    const auto generation = sessions.generation();
    auto found = read_user_and_session(user_id, session_id);
    if (found) sessions.remember(*found, generation);
    return found;
  }

  // The writes below forget what they may have changed once they are done, failed or not (a
  // failed commit may still have reached the disk).
  result<void> revoke_session(std::string_view session_id, micros now) {
    auto done = with_connection<void>("revoke_session", [&](connection& conn) -> sqlite_result<void> {
      auto stmt = conn.prepare(revoke_session_sql);
      if (!stmt) return stmt.error();
      stmt->bind(1, session_id).bind(2, now);
      return stmt->run();
    });
    sessions.forget_session(session_id);
    return done;
  }

  result<void> touch_session(std::string_view session_id, micros now) {
    auto done = with_connection<void>("touch_session", [&](connection& conn) -> sqlite_result<void> {
      auto stmt = conn.prepare(touch_session_sql);
      if (!stmt) return stmt.error();
      stmt->bind(1, session_id).bind(2, now);
      return stmt->run();
    });
    sessions.forget_session(session_id);  // the cached record carries last_used
    return done;
  }

  result<std::vector<session_record>> list_live_sessions(std::string_view user_id, micros now) {
    return with_connection<std::vector<session_record>>(
        "list_live_sessions", [&](connection& conn) -> sqlite_result<std::vector<session_record>> {
          auto stmt = conn.prepare(select_live_sessions_sql);
          if (!stmt) return stmt.error();
          stmt->bind(1, user_id).bind(2, now).bind(3, static_cast<std::int64_t>(store::max_listed_sessions));
          std::vector<session_record> out;
          for (;;) {
            auto row = stmt->step();
            if (!row) return row.error();
            if (!*row) break;
            out.push_back(read_session(*stmt, 0));
          }
          return out;
        });
  }

  result<bool> end_session(std::string_view user_id, std::string_view session_id, micros now) {
    auto ended = with_connection<bool>("end_session", [&](connection& conn) -> sqlite_result<bool> {
      auto stmt = conn.prepare(end_session_sql);
      if (!stmt) return stmt.error();
      stmt->bind(1, user_id).bind(2, session_id).bind(3, now);
      if (auto done = stmt->run(); !done) return done.error();
      return conn.changes() > 0;
    });
    sessions.forget_session(session_id);
    return ended;
  }

  result<std::uint64_t> end_sessions_except(std::string_view user_id, std::string_view keep, micros now) {
    auto ended = with_connection<std::uint64_t>("end_sessions_except",
                                                [&](connection& conn) -> sqlite_result<std::uint64_t> {
                                                  auto stmt = conn.prepare(end_sessions_except_sql);
                                                  if (!stmt) return stmt.error();
                                                  stmt->bind(1, user_id).bind(2, keep).bind(3, now);
                                                  if (auto done = stmt->run(); !done) return done.error();
                                                  return static_cast<std::uint64_t>(conn.changes());
                                                });
    sessions.forget_user(user_id);
    return ended;
  }

  result<void> change_password(std::string_view user_id, std::string_view password_hash,
                               const session_record& session, micros now) {
    auto done = with_connection<void>("change_password", [&](connection& conn) -> sqlite_result<void> {
      auto tx = conn.begin_immediate();
      if (!tx) return tx.error();
      auto update = conn.prepare(update_password_hash_sql);
      if (!update) return update.error();
      update->bind(1, user_id).bind(2, password_hash);
      if (auto run = update->run(); !run) return run.error();
      auto end_all = conn.prepare(end_sessions_except_sql);
      if (!end_all) return end_all.error();
      end_all->bind(1, user_id).bind(2, std::string_view()).bind(3, now);
      if (auto run = end_all->run(); !run) return run.error();
      if (auto run = insert_session(conn, session); !run) return run.error();
      return tx->commit();
    });
    sessions.forget_user(user_id);  // the hash and every session of the user changed
    return done;
  }

  result<std::uint64_t> delete_sessions_ended_before(micros before) {
    auto deleted = with_connection<std::uint64_t>("delete_sessions_ended_before",
                                                  [&](connection& conn) -> sqlite_result<std::uint64_t> {
                                                    auto stmt = conn.prepare(delete_ended_sessions_sql);
                                                    if (!stmt) return stmt.error();
                                                    stmt->bind(1, before);
                                                    if (auto done = stmt->run(); !done) return done.error();
                                                    return static_cast<std::uint64_t>(conn.changes());
                                                  });
    sessions.forget_all();
    return deleted;
  }

  result<std::vector<micros>> find_throttle_blocks(const std::vector<std::string>& keys) {
    return with_connection<std::vector<micros>>("find_throttle_blocks",
                                                [&](connection& conn) -> sqlite_result<std::vector<micros>> {
                                                  std::vector<micros> blocks;
                                                  blocks.reserve(keys.size());
                                                  for (const std::string& key : keys) {
                                                    auto stmt = conn.prepare(select_throttle_block_sql);
                                                    if (!stmt) return stmt.error();
                                                    stmt->bind(1, key);
                                                    auto row = stmt->step();
                                                    if (!row) return row.error();
                                                    blocks.push_back(*row ? stmt->column_int64(0) : 0);
                                                  }
                                                  return blocks;
                                                });
  }

  result<std::vector<throttle_state>> record_throttle_failures(const std::vector<throttle_hit>& hits,
                                                               micros now) {
    return with_connection<std::vector<throttle_state>>(
        "record_throttle_failures", [&](connection& conn) -> sqlite_result<std::vector<throttle_state>> {
          auto tx = conn.begin_immediate();
          if (!tx) return tx.error();
          std::vector<throttle_state> states;
          states.reserve(hits.size());
          for (const throttle_hit& hit : hits) {
            auto ensure = conn.prepare(ensure_throttle_sql);
            if (!ensure) return ensure.error();
            ensure->bind(1, hit.key).bind(2, now);
            if (auto done = ensure->run(); !done) return done.error();
            auto record = conn.prepare(record_throttle_failure_sql);
            if (!record) return record.error();
            record->bind(1, hit.key)
                .bind(2, now)
                .bind(3, hit.rule.limit)
                .bind(4, hit.rule.window)
                .bind(5, hit.rule.base_block)
                .bind(6, hit.rule.max_block)
                .bind(7, throttle_sql::doublings_to_max(hit.rule.base_block, hit.rule.max_block));
            auto row = record->step();
            if (!row) return row.error();
            if (!*row) return sqlite_error{SQLITE_INTERNAL, "throttle row vanished inside its transaction"};
            states.push_back(throttle_state{.failures = record->column_int64(0),
                                            .last_failure = record->column_int64(1),
                                            .blocked_until = record->column_int64(2)});
            // RETURNING rows are all produced by the first step; finish it before the next statement.
            if (auto rest = record->step(); !rest) return rest.error();
          }
          if (auto done = tx->commit(); !done) return done.error();
          return states;
        });
  }

  result<void> clear_throttle(std::string_view key) {
    return with_connection<void>("clear_throttle", [&](connection& conn) -> sqlite_result<void> {
      auto stmt = conn.prepare(delete_throttle_sql);
      if (!stmt) return stmt.error();
      stmt->bind(1, key);
      return stmt->run();
    });
  }

  result<std::uint64_t> delete_idle_throttles(micros now) {
    return with_connection<std::uint64_t>("delete_idle_throttles",
                                          [&](connection& conn) -> sqlite_result<std::uint64_t> {
                                            auto stmt = conn.prepare(delete_idle_throttles_sql);
                                            if (!stmt) return stmt.error();
                                            stmt->bind(1, now);
                                            if (auto done = stmt->run(); !done) return done.error();
                                            return static_cast<std::uint64_t>(conn.changes());
                                          });
  }

  bool ping() {
    auto answered = with_connection<bool>("ping", [](connection& conn) -> sqlite_result<bool> {
      auto stmt = conn.prepare(ping_sql);
      if (!stmt) return stmt.error();
      auto row = stmt->step();
      if (!row) return row.error();
      return true;
    });
    return answered.has_value();
  }
};

sqlite_store::sqlite_store(std::unique_ptr<impl> p) : impl_(std::move(p)) {}
sqlite_store::~sqlite_store() = default;

migration_result<std::unique_ptr<sqlite_store>> sqlite_store::open(const sqlite_options& options) {
  if (options.connections == 0) return std::string("the SQLite store needs at least one connection");
  const std::string file = options.file.string();
  auto lock = exclusive_lock::take(file + ".lock");
  if (!lock) return lock.error();
  std::vector<connection> connections;
  connections.reserve(options.connections);
  for (std::size_t i = 0; i < options.connections; ++i) {
    auto conn = connection::open(options.file,
                                 connection_options{.create = false, .busy_timeout = options.busy_timeout});
    if (!conn) return "cannot open database " + file + ": " + conn.error().message;
    for (std::string_view sql : all_statements) {
      if (auto stmt = conn->prepare(sql); !stmt) {
        return "database " + file + " is not ready (" + stmt.error().message + "); run `authd migrate up`";
      }
    }
    for (std::string_view sql :
         {std::string_view(ensure_throttle_sql), std::string_view(record_throttle_failure_sql)}) {
      if (auto stmt = conn->prepare(sql); !stmt) {
        return "database " + file + " is not ready (" + stmt.error().message + "); run `authd migrate up`";
      }
    }
    connections.push_back(std::move(*conn));
  }
  return std::unique_ptr<sqlite_store>(new sqlite_store(
      std::make_unique<impl>(std::move(*lock), std::move(connections), options.busy_timeout)));
}

boost::asio::awaitable<result<void>> sqlite_store::create_user(const user_record& user,
                                                               const session_record& session) {
  co_return impl_->create_user(user, session);
}

boost::asio::awaitable<result<std::optional<user_record>>> sqlite_store::find_user_by_email_key(
    std::string_view email_key) {
  co_return impl_->find_user_by_email_key(email_key);
}

boost::asio::awaitable<result<void>> sqlite_store::update_password_hash(std::string_view user_id,
                                                                        std::string_view password_hash) {
  co_return impl_->update_password_hash(user_id, password_hash);
}

boost::asio::awaitable<result<void>> sqlite_store::create_session(const session_record& session) {
  co_return impl_->create_session(session);
}

boost::asio::awaitable<result<user_and_session>> sqlite_store::find_user_and_session(
    std::string_view user_id, std::string_view session_id) {
  co_return impl_->find_user_and_session(user_id, session_id);
}

boost::asio::awaitable<result<void>> sqlite_store::revoke_session(std::string_view session_id, micros now) {
  co_return impl_->revoke_session(session_id, now);
}

boost::asio::awaitable<result<void>> sqlite_store::touch_session(std::string_view session_id, micros now) {
  co_return impl_->touch_session(session_id, now);
}

boost::asio::awaitable<result<std::vector<session_record>>> sqlite_store::list_live_sessions(
    std::string_view user_id, micros now) {
  co_return impl_->list_live_sessions(user_id, now);
}

boost::asio::awaitable<result<bool>> sqlite_store::end_session(std::string_view user_id,
                                                               std::string_view session_id, micros now) {
  co_return impl_->end_session(user_id, session_id, now);
}

boost::asio::awaitable<result<std::uint64_t>> sqlite_store::end_sessions_except(std::string_view user_id,
                                                                                std::string_view keep,
                                                                                micros now) {
  co_return impl_->end_sessions_except(user_id, keep, now);
}

boost::asio::awaitable<result<void>> sqlite_store::change_password(std::string_view user_id,
                                                                   std::string_view password_hash,
                                                                   const session_record& session,
                                                                   micros now) {
  co_return impl_->change_password(user_id, password_hash, session, now);
}

boost::asio::awaitable<result<std::uint64_t>> sqlite_store::delete_sessions_ended_before(micros before) {
  co_return impl_->delete_sessions_ended_before(before);
}

boost::asio::awaitable<result<std::vector<micros>>> sqlite_store::find_throttle_blocks(
    const std::vector<std::string>& keys) {
  co_return impl_->find_throttle_blocks(keys);
}

boost::asio::awaitable<result<std::vector<throttle_state>>> sqlite_store::record_throttle_failures(
    const std::vector<throttle_hit>& hits, micros now) {
  co_return impl_->record_throttle_failures(hits, now);
}

boost::asio::awaitable<result<void>> sqlite_store::clear_throttle(std::string_view key) {
  co_return impl_->clear_throttle(key);
}

boost::asio::awaitable<result<std::uint64_t>> sqlite_store::delete_idle_throttles(micros now) {
  co_return impl_->delete_idle_throttles(now);
}

boost::asio::awaitable<bool> sqlite_store::ping() {
  co_return impl_->ping();
}

connection_stats sqlite_store::connections() const {
  // The connections stay open for the store's life: open is the pool's size.
  const auto s = impl_->pool.stats();
  return connection_stats{.open = s.size, .in_use = s.in_use, .waiting = s.waiting};
}

}  // namespace authd::store::sqlite
