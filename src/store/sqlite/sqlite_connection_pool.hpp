// A fixed set of SQLite connections, each lent to one caller at a time.
#pragma once

#include <chrono>
#include <condition_variable>
#include <cstddef>
#include <mutex>
#include <optional>
#include <vector>

#include "store/sqlite/sqlite_connection.hpp"

namespace authd::store::sqlite {

class connection_pool {
 public:
  // Exclusive use of one connection until destroyed; then it goes back to the pool.
  class lease {
   public:
    lease(connection_pool& pool, std::size_t index) noexcept : pool_(&pool), index_(index) {}
    lease(lease&& other) noexcept : pool_(std::exchange(other.pool_, nullptr)), index_(other.index_) {}
    lease& operator=(lease&&) = delete;
    ~lease();

    connection& operator*() const noexcept { return pool_->connections_[index_]; }
    connection* operator->() const noexcept { return &**this; }

   private:
    connection_pool* pool_;
    std::size_t index_;
  };

  // `wait` bounds how long acquire() blocks when every connection is lent out.
  connection_pool(std::vector<connection> connections, std::chrono::milliseconds wait);
  connection_pool(const connection_pool&) = delete;
  connection_pool& operator=(const connection_pool&) = delete;

  // Empty when no connection came free in time: the caller reports the database as unavailable.
  std::optional<lease> acquire();

  struct stats_snapshot {
    std::size_t size = 0, in_use = 0, waiting = 0;
  };
  stats_snapshot stats();

 private:
  void release(std::size_t index) noexcept;

  std::mutex mutex_;
  std::condition_variable freed_;
  std::vector<connection> connections_;
  std::vector<std::size_t> free_;
  std::size_t waiting_ = 0;  // callers in acquire() waiting for a free connection
  std::chrono::milliseconds wait_;
};

}  // namespace authd::store::sqlite
