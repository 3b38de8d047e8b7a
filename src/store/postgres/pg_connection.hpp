// One libpq connection driven by Asio: non-blocking connect, then pipelines of prepared statements
// with binary parameters and results, each operation bounded by a deadline. No thread ever blocks.
#pragma once

#include <libpq-fe.h>

#include <array>
#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/awaitable.hpp>
#include <boost/asio/posix/stream_descriptor.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/strand.hpp>
#include <boost/system/result.hpp>
#include <chrono>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "store/postgres/pg_errors.hpp"
#include "store/store.hpp"

namespace authd::store::postgres {

template <class T>
using pg_result = boost::system::result<T, pg_error>;

struct pg_result_deleter {
  void operator()(PGresult* r) const noexcept { PQclear(r); }
};
using pg_result_ptr = std::unique_ptr<PGresult, pg_result_deleter>;

// Type OIDs of the parameters the store sends (stable since PostgreSQL 8.3).
namespace oid {
inline constexpr Oid int8 = 20;
inline constexpr Oid text = 25;
inline constexpr Oid uuid = 2950;
inline constexpr Oid timestamptz = 1184;
}  // namespace oid

// A statement every connection prepares once, right after connecting. The types are explicit so
// that the binary parameters are never guessed at.
struct pg_statement {
  const char* name;
  const char* sql;
  std::span<const Oid> param_types;
};

// The parameters of one execution, all in binary format. The values point into this object and
// into the strings given to it, which must outlive the execution; hence neither copyable nor
// movable.
class pg_params {
 public:
  static constexpr std::size_t capacity = 8;

  pg_params() = default;
  pg_params(const pg_params&) = delete;
  pg_params& operator=(const pg_params&) = delete;

  pg_params& text(std::string_view value);
  // An id that must be one (an insert): anything else makes the whole set invalid.
  pg_params& uuid(std::string_view id);
  // An id to look up: one that cannot be a UUID is sent as NULL, which matches no row.
  pg_params& uuid_or_null(std::string_view id);
  pg_params& timestamp(micros t);
  pg_params& int8(std::int64_t value);
  pg_params& timestamp(std::optional<micros> t);

  // False when a value could not be encoded (not an id, a time out of range, too many values).
  bool valid() const { return valid_; }
  int size() const { return static_cast<int>(size_); }
  const char* const* values() const { return values_.data(); }
  const int* lengths() const { return lengths_.data(); }
  const int* formats() const { return formats_.data(); }

 private:
  pg_params& add(const char* value, std::size_t length);
  pg_params& add_null();
  char* scratch() { return scratch_[size_].data(); }

  std::size_t size_ = 0;
  bool valid_ = true;
  std::array<const char*, capacity> values_{};
  std::array<int, capacity> lengths_{};
  std::array<int, capacity> formats_{};
  std::array<std::array<char, 16>, capacity> scratch_{};  // encoded UUIDs and times
};

struct pg_query {
  const pg_statement* statement;
  const pg_params* params = nullptr;  // none
};

struct pg_connect_options {
  std::string_view url;  // holds the password: never logged, never in an error
  std::span<const pg_statement> statements;
  // Server-side statement_timeout, a backstop so that a query the client gave up on does not run
  // on for long; 0 leaves the server's setting.
  std::chrono::milliseconds statement_timeout{0};
};

class pg_connection {
 public:
  using clock = std::chrono::steady_clock;

  // Connects, configures the session and prepares the statements, all before `deadline`.
  static boost::asio::awaitable<pg_result<std::unique_ptr<pg_connection>>> open(
      boost::asio::any_io_executor executor, const pg_connect_options& options, clock::time_point deadline);

  // Sends the queries as one pipeline (one round trip) and returns one result per query. They run
  // in one implicit transaction unless they contain their own BEGIN/COMMIT; a transaction left
  // open or failed is rolled back before returning, so the connection is always idle afterwards
  // (or broken).
  boost::asio::awaitable<pg_result<std::vector<pg_result_ptr>>> execute(std::span<const pg_query> queries,
                                                                        clock::time_point deadline);

  // For an idle connection only: reads without blocking what the server sent meanwhile, so that a
  // connection the server closed (restart, pg_terminate_backend) is noticed before it is used.
  bool check_idle();
  // Once broken, a connection is never used again: the pool discards it.
  bool broken() const noexcept { return broken_; }

  pg_connection(const pg_connection&) = delete;
  pg_connection& operator=(const pg_connection&) = delete;
  ~pg_connection();

 private:
  enum class readiness { read, write, read_or_write };

  explicit pg_connection(boost::asio::any_io_executor executor);

  boost::asio::awaitable<pg_result<void>> connect(const pg_connect_options& options,
                                                  clock::time_point deadline);
  boost::asio::awaitable<pg_result<void>> prepare(const pg_connect_options& options);
  boost::asio::awaitable<pg_result<std::vector<pg_result_ptr>>> run(std::span<const pg_query> queries,
                                                                    clock::time_point deadline);
  boost::asio::awaitable<pg_result<std::vector<pg_result_ptr>>> finish_pipeline();
  boost::asio::awaitable<pg_result<void>> wait(readiness what);
  pg_result<void> watch_socket();
  pg_error fail(pg_error error);
  pg_error connection_error();

  // Everything below is touched by one coroutine at a time: the opener (on strand_), then the
  // holder of the pool's lease, or the pool itself while the connection is idle.
  boost::asio::strand<boost::asio::any_io_executor> strand_;
  // A duplicate of libpq's socket, so that Asio never deregisters or closes libpq's own
  // descriptor: libpq closes it by itself when the server drops the connection, and its number may
  // then be reused by another connection at once.
  boost::asio::posix::stream_descriptor socket_;
  boost::asio::steady_timer deadline_;
  PGconn* conn_ = nullptr;
  bool broken_ = false;
};

}  // namespace authd::store::postgres
