#include "store/postgres/pg_connection.hpp"

#include <fcntl.h>
#include <poll.h>
#include <spdlog/spdlog.h>
#include <unistd.h>

#include <algorithm>
#include <boost/asio/as_tuple.hpp>
#include <boost/asio/bind_cancellation_slot.hpp>
#include <boost/asio/bind_executor.hpp>
#include <boost/asio/cancellation_signal.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/experimental/awaitable_operators.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <cerrno>
#include <climits>
#include <cstring>
#include <memory>
#include <tuple>
#include <variant>

#include "store/postgres/pg_binary.hpp"

namespace authd::store::postgres {

namespace asio = boost::asio;

namespace {

constexpr auto wait_token = asio::as_tuple(asio::use_awaitable);

// Shared between one socket wait and the deadline timer that may cancel it.
struct deadline_expiry {
  asio::cancellation_signal signal;
  bool fired = false;
};
constexpr std::size_t max_message_length = 512;

// One line, bounded: libpq's messages span lines ("\n\tIs the server running...").
std::string one_line(std::string_view text) {
  std::string out;
  out.reserve(std::min(text.size(), max_message_length));
  for (char c : text) {
    if (out.size() == max_message_length) break;
    const bool space = c == ' ' || c == '\n' || c == '\r' || c == '\t';
    if (space && (out.empty() || out.back() == ' ')) continue;
    out.push_back(space ? ' ' : c);
  }
  while (!out.empty() && out.back() == ' ') out.pop_back();
  return out;
}

std::string field(const PGresult* r, int code) {
  const char* value = PQresultErrorField(r, code);
  return value != nullptr ? value : "";
}

pg_error server_error(const PGresult* r) {
  pg_error e = make_pg_error(pg_error::kind::server, "");
  e.sqlstate = field(r, PG_DIAG_SQLSTATE);
  std::string primary = field(r, PG_DIAG_MESSAGE_PRIMARY);
  if (primary.empty()) primary = PQresultErrorMessage(r);
  e.message = safe_message(e.sqlstate, one_line(primary));
  e.constraint = field(r, PG_DIAG_CONSTRAINT_NAME);
  e.table = field(r, PG_DIAG_TABLE_NAME);
  return e;
}

// libpq prints notices to stderr by default; they belong in the log. An idle connection the
// server terminates gets its FATAL message this way.
void log_notice(void*, const PGresult* r) {
  const std::string severity = field(r, PG_DIAG_SEVERITY_NONLOCALIZED);
  const std::string sqlstate = field(r, PG_DIAG_SQLSTATE);
  const auto level =
      severity == "WARNING" || severity == "ERROR" || severity == "FATAL" || severity == "PANIC"
          ? spdlog::level::warn
          : spdlog::level::debug;
  spdlog::log(level, "postgres {} {}: {}", severity, sqlstate,
              safe_message(sqlstate, one_line(field(r, PG_DIAG_MESSAGE_PRIMARY))));
}

}  // namespace

// ---- pg_params ----

pg_params& pg_params::add(const char* value, std::size_t length) {
  if (size_ == capacity || length > static_cast<std::size_t>(INT_MAX)) {
    valid_ = false;
    return *this;
  }
  values_[size_] = value;
  lengths_[size_] = static_cast<int>(length);
  formats_[size_] = 1;  // binary
  ++size_;
  return *this;
}

pg_params& pg_params::add_null() {
  return add(nullptr, 0);
}

pg_params& pg_params::text(std::string_view value) {
  // A null pointer would mean SQL NULL to libpq; an empty view may have one.
  return add(value.data() != nullptr ? value.data() : "", value.size());
}

pg_params& pg_params::uuid(std::string_view id) {
  if (size_ == capacity || !binary::parse_uuid(id)) {
    valid_ = false;
    return add_null();
  }
  return uuid_or_null(id);
}

pg_params& pg_params::uuid_or_null(std::string_view id) {
  const auto bytes = binary::parse_uuid(id);
  if (!bytes || size_ == capacity) return add_null();
  std::memcpy(scratch(), bytes->data(), bytes->size());
  return add(scratch(), bytes->size());
}

pg_params& pg_params::timestamp(micros t) {
  const auto bytes = binary::encode_timestamp(t);
  if (!bytes || size_ == capacity) {
    valid_ = false;
    return add_null();
  }
  std::memcpy(scratch(), bytes->data(), bytes->size());
  return add(scratch(), bytes->size());
}

pg_params& pg_params::int8(std::int64_t value) {
  if (size_ == capacity) {
    valid_ = false;
    return *this;
  }
  const auto bytes = binary::encode_int8(value);
  std::memcpy(scratch(), bytes.data(), bytes.size());
  return add(scratch(), bytes.size());
}

pg_params& pg_params::timestamp(std::optional<micros> t) {
  return t ? timestamp(*t) : add_null();
}

// ---- pg_connection ----

pg_connection::pg_connection(asio::any_io_executor executor)
    : strand_(asio::make_strand(std::move(executor))), socket_(strand_), deadline_(strand_) {}

pg_connection::~pg_connection() {
  boost::system::error_code ignored;
  socket_.close(ignored);  // our duplicate only
  if (conn_ != nullptr) PQfinish(conn_);
}

asio::awaitable<pg_result<std::unique_ptr<pg_connection>>> pg_connection::open(
    asio::any_io_executor executor, const pg_connect_options& options, clock::time_point deadline) {
  std::unique_ptr<pg_connection> conn(new pg_connection(std::move(executor)));
  auto& c = *conn;
  auto done = co_await asio::co_spawn(c.strand_, c.connect(options, deadline), asio::use_awaitable);
  if (!done) co_return done.error();
  co_return std::move(conn);
}

asio::awaitable<pg_result<std::vector<pg_result_ptr>>> pg_connection::execute(
    std::span<const pg_query> queries, clock::time_point deadline) {
  // Run on the caller's executor: the lease makes the caller the only user of this connection,
  // and hopping to strand_ and back cost more than the query's own work on the hot path.
  co_return co_await run(queries, deadline);
}

pg_error pg_connection::fail(pg_error error) {
  broken_ = true;
  return error;
}

pg_error pg_connection::connection_error() {
  return make_pg_error(pg_error::kind::connection,
                       conn_ != nullptr ? one_line(PQerrorMessage(conn_)) : "no connection");
}

asio::awaitable<pg_result<void>> pg_connection::connect(const pg_connect_options& options,
                                                        clock::time_point deadline) {
  const std::string url(options.url);
  // Parsed apart first because libpq's parse errors may quote the password ("invalid
  // percent-encoded token"); past this point its messages name hosts, users and databases only.
  char* parse_error = nullptr;
  PQconninfoOption* parsed = PQconninfoParse(url.c_str(), &parse_error);
  PQfreemem(parse_error);
  if (parsed == nullptr) {
    co_return fail(make_pg_error(pg_error::kind::connection,
                                 "the database URL is not valid (details withheld: they may quote "
                                 "the password)"));
  }
  PQconninfoFree(parsed);

  // Later keywords win: the encoding must be UTF-8 whatever the URL says, since the store sends
  // and reads raw UTF-8 bytes.
  const char* const keys[] = {"dbname", "client_encoding", "fallback_application_name", nullptr};
  const char* const values[] = {url.c_str(), "UTF8", "authd", nullptr};
  conn_ = PQconnectStartParams(keys, values, 1);
  if (conn_ == nullptr)
    co_return fail(make_pg_error(pg_error::kind::connection, "libpq could not allocate a connection"));
  PQsetNoticeReceiver(conn_, &log_notice, nullptr);

  deadline_.expires_at(deadline);
  // Before the first PQconnectPoll, libpq's documented starting state is "polling writing".
  PostgresPollingStatusType poll = PGRES_POLLING_WRITING;
  while (poll != PGRES_POLLING_OK) {
    if (poll == PGRES_POLLING_FAILED || PQstatus(conn_) == CONNECTION_BAD) co_return fail(connection_error());
    // libpq may switch sockets while connecting (next address, SSL refused): watch the current one.
    if (auto watched = watch_socket(); !watched) co_return fail(watched.error());
    auto ready = co_await wait(poll == PGRES_POLLING_READING ? readiness::read : readiness::write);
    if (!ready) co_return fail(ready.error());
    poll = PQconnectPoll(conn_);
  }
  if (PQsetnonblocking(conn_, 1) != 0 || PQenterPipelineMode(conn_) != 1) co_return fail(connection_error());
  if (auto watched = watch_socket(); !watched) co_return fail(watched.error());
  co_return co_await prepare(options);
}

asio::awaitable<pg_result<void>> pg_connection::prepare(const pg_connect_options& options) {
  if (options.statement_timeout.count() > 0) {
    // The server's limit is INT_MAX milliseconds; beyond, the SET itself would fail.
    const auto ms = std::min<std::chrono::milliseconds::rep>(options.statement_timeout.count(), INT_MAX);
    const std::string set = "SET statement_timeout = " + std::to_string(ms);
    if (PQsendQueryParams(conn_, set.c_str(), 0, nullptr, nullptr, nullptr, nullptr, 0) != 1) {
      co_return fail(connection_error());
    }
  }
  for (const pg_statement& s : options.statements) {
    if (PQsendPrepare(conn_, s.name, s.sql, static_cast<int>(s.param_types.size()), s.param_types.data()) !=
        1) {
      co_return fail(connection_error());
    }
  }
  if (PQpipelineSync(conn_) != 1) co_return fail(connection_error());
  auto done = co_await finish_pipeline();
  // Without its statements the connection is of no use (typically: the schema is not migrated).
  if (!done) co_return fail(done.error());
  co_return pg_result<void>();
}

asio::awaitable<pg_result<std::vector<pg_result_ptr>>> pg_connection::run(std::span<const pg_query> queries,
                                                                          clock::time_point deadline) {
  if (broken_) co_return make_pg_error(pg_error::kind::connection, "the connection is broken");
  for (const pg_query& q : queries) {
    if (q.params != nullptr && !q.params->valid()) {
      co_return make_pg_error(pg_error::kind::invalid,
                              "a value cannot be sent (not an id, or a time out of range)");
    }
  }
  deadline_.expires_at(deadline);
  for (const pg_query& q : queries) {
    const pg_params* p = q.params;
    const int sent = PQsendQueryPrepared(
        conn_, q.statement->name, p != nullptr ? p->size() : 0, p != nullptr ? p->values() : nullptr,
        p != nullptr ? p->lengths() : nullptr, p != nullptr ? p->formats() : nullptr, /*resultFormat=*/1);
    if (sent != 1) co_return fail(connection_error());
  }
  if (PQpipelineSync(conn_) != 1) co_return fail(connection_error());
  auto results = co_await finish_pipeline();

  // A failed explicit transaction stays open (aborted) past the sync point: end it here, so that
  // the next user of the connection starts clean. The caller still gets the error that failed it;
  // if the rollback fails too, the connection is discarded, which rolls back just as well.
  if (!broken_ && PQtransactionStatus(conn_) != PQTRANS_IDLE) {
    if (PQsendQueryParams(conn_, "ROLLBACK", 0, nullptr, nullptr, nullptr, nullptr, 0) != 1 ||
        PQpipelineSync(conn_) != 1 || !co_await finish_pipeline()) {
      broken_ = true;
    }
  }
  co_return results;
}

asio::awaitable<pg_result<std::vector<pg_result_ptr>>> pg_connection::finish_pipeline() {
  // Send everything. Per libpq, while the send buffer is full the server may need us to read.
  for (;;) {
    const int flushed = PQflush(conn_);
    if (flushed == 0) break;
    if (flushed < 0) co_return fail(connection_error());
    auto ready = co_await wait(readiness::read_or_write);
    if (!ready) co_return fail(ready.error());
    if (PQconsumeInput(conn_) != 1) co_return fail(connection_error());
  }

  // Collect: each query's result followed by a null, until the sync point. After an error the
  // remaining queries report PIPELINE_ABORTED.
  std::vector<pg_result_ptr> results;
  std::optional<pg_error> first_error;
  int consecutive_nulls = 0;
  for (;;) {
    while (PQisBusy(conn_) == 1) {
      auto ready = co_await wait(readiness::read);
      if (!ready) co_return fail(ready.error());
      if (PQconsumeInput(conn_) != 1) co_return fail(connection_error());
    }
    pg_result_ptr r(PQgetResult(conn_));
    if (!r) {
      if (PQstatus(conn_) != CONNECTION_OK) co_return fail(connection_error());
      // One null separates two queries; more in a row means libpq expects nothing further.
      if (++consecutive_nulls > 2) {
        co_return fail(make_pg_error(pg_error::kind::protocol, "the pipeline ended early"));
      }
      continue;
    }
    consecutive_nulls = 0;
    switch (PQresultStatus(r.get())) {
      case PGRES_PIPELINE_SYNC:
        if (first_error) co_return std::move(*first_error);
        co_return results;
      case PGRES_COMMAND_OK:
      case PGRES_TUPLES_OK:
        results.push_back(std::move(r));
        break;
      case PGRES_PIPELINE_ABORTED:
        break;
      case PGRES_FATAL_ERROR: {
        pg_error e = server_error(r.get());
        if (PQstatus(conn_) != CONNECTION_OK) {
          // A FATAL from the server (57P01 on shutdown) says more than libpq's "connection lost".
          co_return fail(e.sqlstate.empty() ? connection_error() : std::move(e));
        }
        if (!first_error) first_error = std::move(e);
        break;
      }
      default:
        if (!first_error) {
          first_error = make_pg_error(pg_error::kind::protocol, "unexpected result status");
        }
        break;
    }
  }
}

asio::awaitable<pg_result<void>> pg_connection::wait(readiness what) {
  using namespace asio::experimental::awaitable_operators;
  using wait_type = asio::posix::stream_descriptor::wait_type;
  boost::system::error_code error;
  bool timed_out = false;
  if (what == readiness::read_or_write) {
    auto outcome =
        co_await (socket_.async_wait(wait_type::wait_read, wait_token) ||
                  socket_.async_wait(wait_type::wait_write, wait_token) || deadline_.async_wait(wait_token));
    timed_out = outcome.index() == 2;
    if (!timed_out) std::visit([&](const auto& t) { error = std::get<0>(t); }, outcome);
  } else {
    // The common case (every query waits here) is one socket wait that the deadline cancels:
    // the awaitable operators above spawn a coroutine per operand. The timer's handler runs on
    // this coroutine's executor, as cancellation signals require, and holds the signal by a
    // shared pointer since it may run after this wait is over.
    const auto type = what == readiness::read ? wait_type::wait_read : wait_type::wait_write;
    auto expiry = std::make_shared<deadline_expiry>();
    // Not in one expression with the lambda: g++ 12 destroys by-value captures twice there.
    const auto executor = co_await asio::this_coro::executor;
    deadline_.async_wait(asio::bind_executor(executor, [expiry](const boost::system::error_code& ec) {
      if (ec) return;
      expiry->fired = true;
      expiry->signal.emit(asio::cancellation_type::terminal);
    }));
    std::tie(error) =
        co_await socket_.async_wait(type, asio::bind_cancellation_slot(expiry->signal.slot(), wait_token));
    deadline_.cancel();
    timed_out = expiry->fired;
  }
  if (timed_out) co_return make_pg_error(pg_error::kind::timeout, "no answer before the deadline");
  if (error)
    co_return make_pg_error(pg_error::kind::connection, "waiting on the socket failed: " + error.message());
  co_return pg_result<void>();
}

pg_result<void> pg_connection::watch_socket() {
  boost::system::error_code ignored;
  socket_.close(ignored);
  const int fd = PQsocket(conn_);
  if (fd < 0) return make_pg_error(pg_error::kind::connection, "libpq has no socket");
  const int copy = ::fcntl(fd, F_DUPFD_CLOEXEC, 0);
  if (copy < 0)
    return make_pg_error(pg_error::kind::connection,
                         std::string("cannot duplicate the socket: ") + std::strerror(errno));
  boost::system::error_code error;
  socket_.assign(copy, error);
  if (error) {
    ::close(copy);
    return make_pg_error(pg_error::kind::connection, "cannot watch the socket: " + error.message());
  }
  return {};
}

bool pg_connection::check_idle() {
  if (broken_ || conn_ == nullptr) return false;
  // A few rounds: the server's FATAL message may arrive in one read and the end of the stream in
  // the next.
  for (int round = 0; round < 4; ++round) {
    pollfd p{.fd = PQsocket(conn_), .events = POLLIN, .revents = 0};
    if (p.fd < 0 || ::poll(&p, 1, 0) <= 0) break;
    if (PQconsumeInput(conn_) != 1) break;
  }
  if (PQstatus(conn_) != CONNECTION_OK) broken_ = true;
  return !broken_;
}

}  // namespace authd::store::postgres
