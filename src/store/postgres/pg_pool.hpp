// The bounded pool of PostgreSQL connections: at most `size` open, opened on demand, callers beyond
// that wait in FIFO order up to a timeout; broken or server-closed connections are discarded and
// reopened on the next demand, so the pool recovers by itself when the server comes back.
#pragma once

#include <atomic>
#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/awaitable.hpp>
#include <boost/asio/strand.hpp>
#include <chrono>
#include <deque>
#include <memory>
#include <mutex>
#include <span>
#include <string>
#include <vector>

#include "store/postgres/pg_connection.hpp"

namespace authd::store::postgres {

struct pg_pool_options {
  std::string url;  // holds the password: never logged
  std::size_t size = 8;
  std::chrono::milliseconds connect_timeout{5000};
  std::chrono::milliseconds acquire_timeout{5000};
  std::chrono::milliseconds statement_timeout{0};  // server-side backstop, see pg_connect_options
  std::span<const pg_statement> statements;        // static storage
};

class pg_pool : public std::enable_shared_from_this<pg_pool> {
 public:
  struct stats_snapshot {
    std::size_t open = 0;     // connections established (idle or in use)
    std::size_t in_use = 0;   // leased out
    std::size_t waiting = 0;  // callers queued for a connection
  };

  // A connection lent to one caller; back to the pool (or discarded, if broken) on destruction.
  class lease {
   public:
    lease() = default;
    lease(std::shared_ptr<pg_pool> pool, std::unique_ptr<pg_connection> conn)
        : pool_(std::move(pool)), conn_(std::move(conn)) {}
    lease(lease&&) noexcept = default;
    lease& operator=(lease&& other) noexcept;
    ~lease();

    pg_connection& operator*() const { return *conn_; }
    pg_connection* operator->() const { return conn_.get(); }

   private:
    void give_back();
    std::shared_ptr<pg_pool> pool_;
    std::unique_ptr<pg_connection> conn_;
  };

  static std::shared_ptr<pg_pool> create(boost::asio::any_io_executor executor, pg_pool_options options);

  // An idle connection, a new one while fewer than `size` exist, or the next one given back within
  // the acquire timeout; otherwise a timeout error. Connection failures are returned as they are.
  boost::asio::awaitable<pg_result<lease>> acquire();

  stats_snapshot stats() const;

  pg_pool(const pg_pool&) = delete;
  pg_pool& operator=(const pg_pool&) = delete;
  ~pg_pool();

 private:
  struct waiter;
  using connection_ptr = std::unique_ptr<pg_connection>;

  pg_pool(boost::asio::any_io_executor executor, pg_pool_options options);

  // The fast paths (an idle connection taken, one given back while nobody waits) run on the
  // caller's thread under mutex_; everything that waits, opens or wakes a waiter runs on strand_.
  connection_ptr take_idle();
  void discard_idle(connection_ptr conn);
  boost::asio::awaitable<pg_result<connection_ptr>> acquire_on_strand();
  boost::asio::awaitable<pg_result<connection_ptr>> open_on_strand();
  void give_back(connection_ptr conn);
  void hand_over(connection_ptr conn);
  void free_slot();

  boost::asio::any_io_executor executor_;  // where connections run
  boost::asio::strand<boost::asio::any_io_executor> strand_;
  pg_pool_options options_;
  std::mutex mutex_;                  // guards idle_ and waiters_
  std::vector<connection_ptr> idle_;  // most recently used last: reused first, while warm
  std::deque<waiter*> waiters_;       // changed on strand_ only
  std::size_t slots_ = 0;             // on strand_: connections open, being opened, or promised to a waiter
  std::atomic<std::size_t> open_{0}, in_use_{0}, waiting_{0};
};

}  // namespace authd::store::postgres
