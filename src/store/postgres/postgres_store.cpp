#include "store/postgres/postgres_store.hpp"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <array>
#include <charconv>
#include <cstring>
#include <memory>
#include <type_traits>
#include <vector>

#include "store/postgres/pg_binary.hpp"
#include "store/postgres/pg_connection.hpp"
#include "store/postgres/pg_pool.hpp"
#include "store/throttle_sql.hpp"

namespace authd::store::postgres {

namespace asio = boost::asio;

namespace {

// Parameters and results are binary (see pg_binary.hpp): times travel as PostgreSQL's own int8
// microseconds, ids as 16 bytes, with nothing to format or parse on the server.
constexpr std::array<Oid, 6> user_types{oid::uuid, oid::text, oid::text,
                                        oid::text, oid::text, oid::timestamptz};
constexpr std::array<Oid, 7> session_types{oid::uuid,        oid::uuid, oid::timestamptz, oid::timestamptz,
                                           oid::timestamptz, oid::text, oid::text};
constexpr std::array<Oid, 1> text_type{oid::text};
constexpr std::array<Oid, 1> time_type{oid::timestamptz};
constexpr std::array<Oid, 2> uuid_text_types{oid::uuid, oid::text};
constexpr std::array<Oid, 2> uuid_uuid_types{oid::uuid, oid::uuid};
constexpr std::array<Oid, 2> uuid_time_types{oid::uuid, oid::timestamptz};
constexpr std::array<Oid, 3> uuid_uuid_time_types{oid::uuid, oid::uuid, oid::timestamptz};

const pg_statement begin_statement{"authd_begin", "BEGIN", {}};
const pg_statement commit_statement{"authd_commit", "COMMIT", {}};
const pg_statement insert_user_statement{"authd_insert_user",
                                         "INSERT INTO users (id, name, email, email_key, hashed_password, "
                                         "created) VALUES ($1, $2, $3, $4, $5, $6)",
                                         user_types};
const pg_statement insert_session_statement{
    "authd_insert_session",
    "INSERT INTO sessions (id, user_id, created, expires, revoked, user_agent, client_address) "
    "VALUES ($1, $2, $3, $4, $5, $6, $7)",
    session_types};
const pg_statement select_user_by_email_key_statement{
    "authd_select_user_by_email_key",
    "SELECT id, name, email, email_key, hashed_password, created FROM users WHERE email_key = $1", text_type};
const pg_statement update_password_hash_statement{
    "authd_update_password_hash", "UPDATE users SET hashed_password = $2 WHERE id = $1", uuid_text_types};
// Always exactly one row, so that a missing user does not hide the session and vice versa; the
// session joins on both its id and the user id, so another user's session never matches.
const pg_statement select_user_and_session_statement{
    "authd_select_user_and_session",
    "SELECT u.id, u.name, u.email, u.email_key, u.hashed_password, u.created, "
    "s.id, s.user_id, s.created, s.expires, s.revoked, s.user_agent, s.client_address, "
    "COALESCE(s.last_used, s.created) "
    "FROM (SELECT $1::uuid AS user_id, $2::uuid AS session_id) AS wanted "
    "LEFT JOIN users AS u ON u.id = wanted.user_id "
    "LEFT JOIN sessions AS s ON s.id = wanted.session_id AND s.user_id = wanted.user_id",
    uuid_uuid_types};
// Keeps the first revocation time: revoking twice changes nothing.
const pg_statement revoke_session_statement{
    "authd_revoke_session", "UPDATE sessions SET revoked = $2 WHERE id = $1 AND revoked IS NULL",
    uuid_time_types};
// Never moves last_used back: two requests may touch the same session out of order.
const pg_statement touch_session_statement{
    "authd_touch_session",
    "UPDATE sessions SET last_used = $2 WHERE id = $1 AND (last_used IS NULL OR last_used < $2)",
    uuid_time_types};
// The limit is store::max_listed_sessions.
const pg_statement select_live_sessions_statement{
    "authd_select_live_sessions",
    "SELECT id, user_id, created, expires, revoked, user_agent, client_address, "
    "COALESCE(last_used, created) FROM sessions "
    "WHERE user_id = $1 AND revoked IS NULL AND expires > $2 ORDER BY created DESC, id DESC LIMIT 1000",
    uuid_time_types};
// Only a live session of that user: another user's id, or an ended session, ends nothing.
const pg_statement end_session_statement{
    "authd_end_session",
    "UPDATE sessions SET revoked = $3 WHERE id = $2 AND user_id = $1 AND revoked IS NULL AND expires > $3",
    uuid_uuid_time_types};
// $2 NULL keeps none.
const pg_statement end_sessions_except_statement{
    "authd_end_sessions_except",
    "UPDATE sessions SET revoked = $3 WHERE user_id = $1 AND id IS DISTINCT FROM $2 AND revoked IS NULL "
    "AND expires > $3",
    uuid_uuid_time_types};
const pg_statement delete_ended_sessions_statement{
    "authd_delete_ended_sessions", "DELETE FROM sessions WHERE expires < $1 OR revoked < $1", time_type};
const pg_statement ping_statement{"authd_ping", "SELECT 1 FROM users LIMIT 1", {}};

constexpr std::array<Oid, 1> int8_type{oid::int8};
constexpr std::array<Oid, 2> text_int8_types{oid::text, oid::int8};
constexpr std::array<Oid, 7> record_throttle_types{oid::text, oid::int8, oid::int8, oid::int8,
                                                   oid::int8, oid::int8, oid::int8};
constexpr throttle_sql::dialect throttle_dialect{.key = "$1",
                                                 .now = "$2",
                                                 .limit = "$3",
                                                 .window = "$4",
                                                 .base_block = "$5",
                                                 .max_block = "$6",
                                                 .doublings = "$7",
                                                 .greatest = "GREATEST",
                                                 .shift_count_cast = "::int"};
const std::string ensure_throttle_sql = throttle_sql::ensure_row(throttle_dialect);
const std::string record_throttle_failure_sql = throttle_sql::record_failure(throttle_dialect);
const pg_statement select_throttle_block_statement{
    "authd_select_throttle_block", "SELECT blocked_until FROM throttle WHERE key = $1", text_type};
// Inserting first gives the UPDATE a row to lock: a concurrent first failure waits for ours (or
// ours for it) instead of both inserting, and the UPDATE then counts on the latest values.
const pg_statement ensure_throttle_statement{"authd_ensure_throttle", ensure_throttle_sql.c_str(),
                                             text_int8_types};
const pg_statement record_throttle_failure_statement{
    "authd_record_throttle_failure", record_throttle_failure_sql.c_str(), record_throttle_types};
const pg_statement delete_throttle_statement{"authd_delete_throttle", "DELETE FROM throttle WHERE key = $1",
                                             text_type};
const pg_statement delete_idle_throttles_statement{"authd_delete_idle_throttles",
                                                   "DELETE FROM throttle WHERE expires <= $1", int8_type};

// Prepared on every connection right after it opens: a schema that does not fit fails there.
const std::array all_statements{begin_statement,
                                commit_statement,
                                insert_user_statement,
                                insert_session_statement,
                                select_user_by_email_key_statement,
                                update_password_hash_statement,
                                select_user_and_session_statement,
                                revoke_session_statement,
                                touch_session_statement,
                                select_live_sessions_statement,
                                end_session_statement,
                                end_sessions_except_statement,
                                delete_ended_sessions_statement,
                                ping_statement,
                                select_throttle_block_statement,
                                ensure_throttle_statement,
                                record_throttle_failure_statement,
                                delete_throttle_statement,
                                delete_idle_throttles_statement};

// The server cancels a query itself a little after we gave up on it, so that an abandoned query
// (blocked on a lock, say) does not run on and commit long after the caller was told 503.
constexpr std::chrono::milliseconds backstop_margin{1000};

// Reads binary columns of one row; any column of an unexpected size marks the row bad rather than
// reading past it.
class row_reader {
 public:
  row_reader(const PGresult* r, int row) : r_(r), row_(row) {}

  bool is_null(int col) const { return PQgetisnull(r_, row_, col) == 1; }

  std::string text(int col) const {
    if (is_null(col)) return {};  // a taken-over row may have NULLs the original schema allowed
    return std::string(PQgetvalue(r_, row_, col), static_cast<std::size_t>(PQgetlength(r_, row_, col)));
  }

  std::string uuid(int col) {
    if (!sized(col, 16)) return {};
    binary::uuid_bytes bytes{};
    std::memcpy(bytes.data(), PQgetvalue(r_, row_, col), bytes.size());
    return binary::format_uuid(bytes);
  }

  micros timestamp(int col) {
    return sized(col, 8) ? binary::decode_timestamp(PQgetvalue(r_, row_, col)) : 0;
  }

  std::optional<micros> optional_timestamp(int col) {
    if (is_null(col)) return std::nullopt;
    return timestamp(col);
  }

  bool ok() const { return ok_; }

 private:
  bool sized(int col, int size) {
    if (is_null(col) || PQgetlength(r_, row_, col) != size) ok_ = false;
    return ok_;
  }

  const PGresult* r_;
  int row_;
  bool ok_ = true;
};

// Reads the six user columns starting at `first`.
user_record read_user(row_reader& row, int first) {
  user_record user;
  user.id = row.uuid(first);
  user.name = row.text(first + 1);
  user.email = row.text(first + 2);
  user.email_key = row.text(first + 3);
  user.password_hash = row.text(first + 4);
  user.created = row.timestamp(first + 5);
  return user;
}

// Reads the eight session columns starting at `first` (the last: last_used, or created).
session_record read_session(row_reader& row, int first) {
  session_record session;
  session.id = row.uuid(first);
  session.user_id = row.uuid(first + 1);
  session.created = row.timestamp(first + 2);
  session.expires = row.timestamp(first + 3);
  session.revoked = row.optional_timestamp(first + 4);
  session.user_agent = row.text(first + 5);
  session.client_address = row.text(first + 6);
  session.last_used = row.timestamp(first + 7);
  return session;
}

pg_params& add_session(pg_params& params, const session_record& session) {
  return params.uuid(session.id)
      .uuid(session.user_id)
      .timestamp(session.created)
      .timestamp(session.expires)
      .timestamp(session.revoked)
      .text(session.user_agent)
      .text(session.client_address);
}

const char* kind_name(pg_error::kind kind) {
  switch (kind) {
    case pg_error::kind::connection:
      return "connection";
    case pg_error::kind::timeout:
      return "timeout";
    case pg_error::kind::server:
      return "server";
    case pg_error::kind::invalid:
      return "invalid value";
    case pg_error::kind::protocol:
      return "protocol";
  }
  return "?";
}

// Logs what the operator needs (SQLSTATE, libpq's primary message, the constraint) and never the
// URL or a bound value; a duplicate email is an expected answer, not worth a line.
store_error report(std::string_view operation, const pg_error& e) {
  const store_error mapped = classify(e);
  if (mapped == store_error::duplicate_email) return mapped;
  const auto level = mapped == store_error::unavailable ? spdlog::level::warn : spdlog::level::err;
  spdlog::log(level, "postgres {}: {}{} ({}{}{}{}{})", operation,
              mapped == store_error::unavailable ? "database unavailable: " : "", e.message,
              kind_name(e.what), e.sqlstate.empty() ? "" : ", SQLSTATE ", e.sqlstate,
              e.constraint.empty() ? "" : ", constraint ", e.constraint);
  return mapped;
}

pg_error protocol_error(std::string message) {
  return make_pg_error(pg_error::kind::protocol, std::move(message));
}

}  // namespace

struct postgres_store::impl {
  std::shared_ptr<pg_pool> pool;
  std::chrono::milliseconds query_timeout;

  impl(asio::any_io_executor executor, const postgres_options& options)
      : pool(pg_pool::create(executor,
                             pg_pool_options{.url = options.url,
                                             .size = options.pool_size,
                                             .connect_timeout = options.connect_timeout,
                                             .acquire_timeout = options.acquire_timeout,
                                             .statement_timeout = options.query_timeout + backstop_margin,
                                             .statements = all_statements})),
        query_timeout(options.query_timeout) {}

  // Runs the queries as one pipeline on a pooled connection and decodes the results.
  template <class T, class Decode>
  asio::awaitable<result<T>> run(std::string_view operation, std::span<const pg_query> queries,
                                 Decode decode) {
    for (const pg_query& q : queries) {
      if (q.params != nullptr && !q.params->valid()) {
        co_return report(operation, make_pg_error(pg_error::kind::invalid,
                                                  "a value cannot be stored (not an id, or a time out of "
                                                  "range)"));
      }
    }
    auto lease = co_await pool->acquire();
    if (!lease) co_return report(operation, lease.error());
    auto done = co_await (*lease)->execute(queries, pg_connection::clock::now() + query_timeout);
    if (!done) co_return report(operation, done.error());
    if (done->size() != queries.size()) co_return report(operation, protocol_error("a result is missing"));
    pg_result<T> decoded = decode(*done);
    if (!decoded) co_return report(operation, decoded.error());
    if constexpr (std::is_void_v<T>) {
      co_return result<void>();
    } else {
      co_return std::move(*decoded);
    }
  }
};

postgres_store::postgres_store(asio::any_io_executor executor, postgres_options options)
    : impl_(std::make_shared<impl>(std::move(executor), options)) {}

postgres_store::~postgres_store() = default;

connection_stats postgres_store::connections() const {
  const auto s = impl_->pool->stats();
  return connection_stats{.open = s.open, .in_use = s.in_use, .waiting = s.waiting};
}

namespace {

// Expects `columns` columns and at most one row.
pg_result<std::optional<row_reader>> single_row(const pg_result_ptr& r, int columns) {
  if (PQnfields(r.get()) != columns || PQntuples(r.get()) > 1)
    return protocol_error("unexpected result shape");
  if (PQntuples(r.get()) == 0) return std::optional<row_reader>();
  return std::optional<row_reader>(row_reader(r.get(), 0));
}

pg_result<void> no_rows_expected(const std::vector<pg_result_ptr>&) {
  return {};
}

// The row count of an UPDATE or DELETE, from its command tag.
pg_result<std::uint64_t> affected_rows(const pg_result_ptr& r) {
  const std::string_view count = PQcmdTuples(r.get());
  std::uint64_t n = 0;
  const auto [end, error] = std::from_chars(count.data(), count.data() + count.size(), n);
  if (error != std::errc() || end != count.data() + count.size())
    return protocol_error("unexpected command tag");
  return n;
}

}  // namespace

asio::awaitable<result<void>> postgres_store::create_user(const user_record& user,
                                                          const session_record& session) {
  auto self = impl_;
  pg_params user_params;
  user_params.uuid(user.id)
      .text(user.name)
      .text(user.email)
      .text(user.email_key)
      .text(user.password_hash)
      .timestamp(user.created);
  pg_params session_params;
  add_session(session_params, session);
  // One round trip; the COMMIT's own result must be OK before the caller may answer 201.
  const std::array queries{pg_query{&begin_statement}, pg_query{&insert_user_statement, &user_params},
                           pg_query{&insert_session_statement, &session_params}, pg_query{&commit_statement}};
  co_return co_await self->run<void>("create_user", queries, no_rows_expected);
}

asio::awaitable<result<std::optional<user_record>>> postgres_store::find_user_by_email_key(
    std::string_view email_key) {
  auto self = impl_;
  pg_params params;
  params.text(email_key);
  const std::array queries{pg_query{&select_user_by_email_key_statement, &params}};
  co_return co_await self->run<std::optional<user_record>>(
      "find_user_by_email_key", queries,
      [](const std::vector<pg_result_ptr>& results) -> pg_result<std::optional<user_record>> {
        auto row = single_row(results[0], 6);
        if (!row) return row.error();
        if (!*row) return std::optional<user_record>();
        user_record user = read_user(**row, 0);
        if (!(*row)->ok()) return protocol_error("unexpected column format");
        return std::optional<user_record>(std::move(user));
      });
}

asio::awaitable<result<void>> postgres_store::update_password_hash(std::string_view user_id,
                                                                   std::string_view password_hash) {
  auto self = impl_;
  pg_params params;
  params.uuid_or_null(user_id).text(password_hash);
  const std::array queries{pg_query{&update_password_hash_statement, &params}};
  co_return co_await self->run<void>("update_password_hash", queries, no_rows_expected);
}

asio::awaitable<result<void>> postgres_store::create_session(const session_record& session) {
  auto self = impl_;
  pg_params params;
  add_session(params, session);
  const std::array queries{pg_query{&insert_session_statement, &params}};
  co_return co_await self->run<void>("create_session", queries, no_rows_expected);
}

asio::awaitable<result<user_and_session>> postgres_store::find_user_and_session(std::string_view user_id,
                                                                                std::string_view session_id) {
  auto self = impl_;
  pg_params params;
  params.uuid_or_null(user_id).uuid_or_null(session_id);
  const std::array queries{pg_query{&select_user_and_session_statement, &params}};
  co_return co_await self->run<user_and_session>(
      "find_user_and_session", queries,
      [](const std::vector<pg_result_ptr>& results) -> pg_result<user_and_session> {
        auto row = single_row(results[0], 14);
        if (!row) return row.error();
        user_and_session found;
        if (!*row) return found;
        auto& reader = **row;
        if (!reader.is_null(0)) found.user = read_user(reader, 0);
        if (!reader.is_null(6)) found.session = read_session(reader, 6);
        if (!reader.ok()) return protocol_error("unexpected column format");
        return found;
      });
}

asio::awaitable<result<void>> postgres_store::revoke_session(std::string_view session_id, micros now) {
  auto self = impl_;
  pg_params params;
  params.uuid_or_null(session_id).timestamp(now);
  const std::array queries{pg_query{&revoke_session_statement, &params}};
  co_return co_await self->run<void>("revoke_session", queries, no_rows_expected);
}

asio::awaitable<result<void>> postgres_store::touch_session(std::string_view session_id, micros now) {
  auto self = impl_;
  pg_params params;
  params.uuid_or_null(session_id).timestamp(now);
  const std::array queries{pg_query{&touch_session_statement, &params}};
  co_return co_await self->run<void>("touch_session", queries, no_rows_expected);
}

asio::awaitable<result<std::vector<session_record>>> postgres_store::list_live_sessions(
    std::string_view user_id, micros now) {
  auto self = impl_;
  pg_params params;
  params.uuid_or_null(user_id).timestamp(now);
  const std::array queries{pg_query{&select_live_sessions_statement, &params}};
  co_return co_await self->run<std::vector<session_record>>(
      "list_live_sessions", queries,
      [](const std::vector<pg_result_ptr>& results) -> pg_result<std::vector<session_record>> {
        const PGresult* r = results[0].get();
        if (PQnfields(r) != 8) return protocol_error("unexpected result shape");
        std::vector<session_record> out;
        const int rows = PQntuples(r);
        out.reserve(static_cast<std::size_t>(rows));
        for (int i = 0; i < rows; ++i) {
          row_reader reader(r, i);
          out.push_back(read_session(reader, 0));
          if (!reader.ok()) return protocol_error("unexpected column format");
        }
        return out;
      });
}

asio::awaitable<result<bool>> postgres_store::end_session(std::string_view user_id,
                                                          std::string_view session_id, micros now) {
  auto self = impl_;
  pg_params params;
  params.uuid_or_null(user_id).uuid_or_null(session_id).timestamp(now);
  const std::array queries{pg_query{&end_session_statement, &params}};
  co_return co_await self->run<bool>("end_session", queries,
                                     [](const std::vector<pg_result_ptr>& results) -> pg_result<bool> {
                                       auto n = affected_rows(results[0]);
                                       if (!n) return n.error();
                                       return *n > 0;
                                     });
}

asio::awaitable<result<std::uint64_t>> postgres_store::end_sessions_except(std::string_view user_id,
                                                                           std::string_view keep,
                                                                           micros now) {
  auto self = impl_;
  pg_params params;
  params.uuid_or_null(user_id).uuid_or_null(keep).timestamp(now);
  const std::array queries{pg_query{&end_sessions_except_statement, &params}};
  co_return co_await self->run<std::uint64_t>(
      "end_sessions_except", queries,
      [](const std::vector<pg_result_ptr>& results) { return affected_rows(results[0]); });
}

asio::awaitable<result<void>> postgres_store::change_password(std::string_view user_id,
                                                              std::string_view password_hash,
                                                              const session_record& session, micros now) {
  auto self = impl_;
  pg_params hash_params;
  hash_params.uuid_or_null(user_id).text(password_hash);
  pg_params end_params;
  end_params.uuid_or_null(user_id).uuid_or_null({}).timestamp(now);
  pg_params session_params;
  add_session(session_params, session);
  // One round trip, one transaction: the new hash, every old session ended, the new session.
  const std::array queries{pg_query{&begin_statement},
                           pg_query{&update_password_hash_statement, &hash_params},
                           pg_query{&end_sessions_except_statement, &end_params},
                           pg_query{&insert_session_statement, &session_params}, pg_query{&commit_statement}};
  co_return co_await self->run<void>("change_password", queries, no_rows_expected);
}

asio::awaitable<result<std::uint64_t>> postgres_store::delete_sessions_ended_before(micros before) {
  auto self = impl_;
  pg_params params;
  params.timestamp(before);
  const std::array queries{pg_query{&delete_ended_sessions_statement, &params}};
  co_return co_await self->run<std::uint64_t>(
      "delete_sessions_ended_before", queries,
      [](const std::vector<pg_result_ptr>& results) { return affected_rows(results[0]); });
}

namespace {

std::int64_t read_int8(const PGresult* r, int col, bool& ok) {
  if (PQgetisnull(r, 0, col) == 1 || PQgetlength(r, 0, col) != 8) {
    ok = false;
    return 0;
  }
  return binary::decode_int8(PQgetvalue(r, 0, col));
}

}  // namespace

asio::awaitable<result<std::vector<micros>>> postgres_store::find_throttle_blocks(
    const std::vector<std::string>& keys) {
  if (keys.empty()) co_return std::vector<micros>();
  auto self = impl_;
  // One query per key, all in one pipeline: one round trip whatever the number of keys.
  std::vector<std::unique_ptr<pg_params>> params;
  std::vector<pg_query> queries;
  for (const std::string& key : keys) {
    params.push_back(std::make_unique<pg_params>());
    params.back()->text(key);
    queries.push_back(pg_query{&select_throttle_block_statement, params.back().get()});
  }
  co_return co_await self->run<std::vector<micros>>(
      "find_throttle_blocks", queries,
      [](const std::vector<pg_result_ptr>& results) -> pg_result<std::vector<micros>> {
        std::vector<micros> blocks;
        for (const auto& r : results) {
          if (PQnfields(r.get()) != 1 || PQntuples(r.get()) > 1)
            return protocol_error("unexpected result shape");
          bool ok = true;
          blocks.push_back(PQntuples(r.get()) == 0 ? 0 : read_int8(r.get(), 0, ok));
          if (!ok) return protocol_error("unexpected column format");
        }
        return blocks;
      });
}

asio::awaitable<result<std::vector<throttle_state>>> postgres_store::record_throttle_failures(
    const std::vector<throttle_hit>& hits, micros now) {
  if (hits.empty()) co_return std::vector<throttle_state>();
  auto self = impl_;
  // Per key: ensure the row, then count under its row lock; each pair in the pipeline's one
  // implicit transaction. Keys in a fixed order, so that two requests never lock in opposite orders.
  std::vector<std::size_t> order(hits.size());
  for (std::size_t i = 0; i < order.size(); ++i) order[i] = i;
  std::sort(order.begin(), order.end(),
            [&](std::size_t a, std::size_t b) { return hits[a].key < hits[b].key; });
  std::vector<std::unique_ptr<pg_params>> params;
  std::vector<pg_query> queries;
  for (std::size_t i : order) {
    const throttle_hit& hit = hits[i];
    params.push_back(std::make_unique<pg_params>());
    params.back()->text(hit.key).int8(now);
    queries.push_back(pg_query{&ensure_throttle_statement, params.back().get()});
    params.push_back(std::make_unique<pg_params>());
    params.back()
        ->text(hit.key)
        .int8(now)
        .int8(hit.rule.limit)
        .int8(hit.rule.window)
        .int8(hit.rule.base_block)
        .int8(hit.rule.max_block)
        .int8(throttle_sql::doublings_to_max(hit.rule.base_block, hit.rule.max_block));
    queries.push_back(pg_query{&record_throttle_failure_statement, params.back().get()});
  }
  co_return co_await self->run<std::vector<throttle_state>>(
      "record_throttle_failures", queries,
      [&order](const std::vector<pg_result_ptr>& results) -> pg_result<std::vector<throttle_state>> {
        std::vector<throttle_state> states(order.size());
        for (std::size_t n = 0; n < order.size(); ++n) {
          const PGresult* r = results[2 * n + 1].get();
          if (PQnfields(r) != 3 || PQntuples(r) != 1) return protocol_error("unexpected result shape");
          bool ok = true;
          states[order[n]] = throttle_state{.failures = read_int8(r, 0, ok),
                                            .last_failure = read_int8(r, 1, ok),
                                            .blocked_until = read_int8(r, 2, ok)};
          if (!ok) return protocol_error("unexpected column format");
        }
        return states;
      });
}

asio::awaitable<result<void>> postgres_store::clear_throttle(std::string_view key) {
  auto self = impl_;
  pg_params params;
  params.text(key);
  const std::array queries{pg_query{&delete_throttle_statement, &params}};
  co_return co_await self->run<void>("clear_throttle", queries, no_rows_expected);
}

asio::awaitable<result<std::uint64_t>> postgres_store::delete_idle_throttles(micros now) {
  auto self = impl_;
  pg_params params;
  params.int8(now);
  const std::array queries{pg_query{&delete_idle_throttles_statement, &params}};
  co_return co_await self->run<std::uint64_t>(
      "delete_idle_throttles", queries,
      [](const std::vector<pg_result_ptr>& results) { return affected_rows(results[0]); });
}

asio::awaitable<bool> postgres_store::ping() {
  auto self = impl_;
  const std::array queries{pg_query{&ping_statement}};
  auto answered = co_await self->run<void>("ping", queries, no_rows_expected);
  co_return answered.has_value();
}

}  // namespace authd::store::postgres
