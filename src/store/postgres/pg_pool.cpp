#include "store/postgres/pg_pool.hpp"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>

namespace authd::store::postgres {

namespace asio = boost::asio;

// A caller queued for a connection. It lives in the caller's coroutine frame; the timer is both its
// timeout and its wake-up call (cancelled when it is served).
struct pg_pool::waiter {
  asio::steady_timer timer;
  connection_ptr conn;  // served with a connection given back
  bool slot = false;    // or served with the right to open one (a broken one was discarded)
};

pg_pool::lease& pg_pool::lease::operator=(lease&& other) noexcept {
  if (this != &other) {
    give_back();
    pool_ = std::move(other.pool_);
    conn_ = std::move(other.conn_);
  }
  return *this;
}

pg_pool::lease::~lease() {
  give_back();
}

void pg_pool::lease::give_back() {
  if (conn_) pool_->give_back(std::move(conn_));
}

std::shared_ptr<pg_pool> pg_pool::create(asio::any_io_executor executor, pg_pool_options options) {
  return std::shared_ptr<pg_pool>(new pg_pool(std::move(executor), std::move(options)));
}

pg_pool::pg_pool(asio::any_io_executor executor, pg_pool_options options)
    : executor_(executor), strand_(asio::make_strand(executor)), options_(std::move(options)) {
  options_.size = std::max<std::size_t>(options_.size, 1);
}

pg_pool::~pg_pool() = default;

pg_pool::stats_snapshot pg_pool::stats() const {
  return stats_snapshot{.open = open_.load(), .in_use = in_use_.load(), .waiting = waiting_.load()};
}

asio::awaitable<pg_result<pg_pool::lease>> pg_pool::acquire() {
  auto self = shared_from_this();
  // Most requests find an idle connection: no hop to the strand and back for them.
  if (auto conn = take_idle()) co_return lease(std::move(self), std::move(conn));
  auto conn = co_await asio::co_spawn(strand_, acquire_on_strand(), asio::use_awaitable);
  if (!conn) co_return conn.error();
  co_return lease(std::move(self), std::move(*conn));
}

pg_pool::connection_ptr pg_pool::take_idle() {
  for (;;) {
    connection_ptr conn;
    {
      std::lock_guard lock(mutex_);
      if (idle_.empty()) return nullptr;
      conn = std::move(idle_.back());
      idle_.pop_back();
      ++in_use_;
    }
    if (conn->check_idle()) return conn;
    discard_idle(std::move(conn));
  }
}

void pg_pool::discard_idle(connection_ptr conn) {
  spdlog::info("postgres: discarding a connection the server closed");
  conn.reset();
  asio::post(strand_, [self = shared_from_this()] {
    --self->open_;
    --self->in_use_;
    self->free_slot();
  });
}

asio::awaitable<pg_result<pg_pool::connection_ptr>> pg_pool::acquire_on_strand() {
  const auto deadline = std::chrono::steady_clock::now() + options_.acquire_timeout;
  waiter w{.timer = asio::steady_timer(strand_, deadline), .conn = nullptr, .slot = false};
  {
    // Checked again under the lock that give_back's fast path takes: a connection given back
    // after acquire()'s take_idle found none either lands in idle_ here or sees this waiter.
    std::lock_guard lock(mutex_);
    if (!idle_.empty()) {
      w.conn = std::move(idle_.back());
      idle_.pop_back();
    } else if (slots_ < options_.size) {
      ++slots_;
      w.slot = true;
    } else {
      waiters_.push_back(&w);
      ++waiting_;
    }
  }
  if (w.conn) {
    ++in_use_;
    if (w.conn->check_idle()) co_return std::move(w.conn);
    discard_idle(std::move(w.conn));
    co_return co_await acquire_on_strand();
  }
  if (w.slot) co_return co_await open_on_strand();

  co_await w.timer.async_wait(asio::as_tuple(asio::use_awaitable));
  if (w.conn) co_return std::move(w.conn);
  if (w.slot) co_return co_await open_on_strand();
  {
    std::lock_guard lock(mutex_);
    waiters_.erase(std::find(waiters_.begin(), waiters_.end(), &w));
  }
  --waiting_;
  co_return make_pg_error(pg_error::kind::timeout, "no free connection within the acquire timeout");
}

asio::awaitable<pg_result<pg_pool::connection_ptr>> pg_pool::open_on_strand() {
  const pg_connect_options connect{.url = options_.url,
                                   .statements = options_.statements,
                                   .statement_timeout = options_.statement_timeout};
  auto opened = co_await pg_connection::open(executor_, connect,
                                             std::chrono::steady_clock::now() + options_.connect_timeout);
  if (!opened) {
    free_slot();
    co_return opened.error();
  }
  ++open_;
  ++in_use_;
  co_return std::move(*opened);
}

void pg_pool::give_back(connection_ptr conn) {
  if (conn->broken()) {
    conn.reset();  // PQfinish does not block on a non-blocking connection
    asio::post(strand_, [self = shared_from_this()] {
      --self->open_;
      --self->in_use_;
      self->free_slot();
    });
    return;
  }
  {
    std::lock_guard lock(mutex_);
    if (waiters_.empty()) {
      idle_.push_back(std::move(conn));
      --in_use_;
      return;
    }
  }
  asio::post(strand_, [self = shared_from_this(), conn = std::move(conn)]() mutable {
    --self->in_use_;
    self->hand_over(std::move(conn));
  });
}

void pg_pool::hand_over(connection_ptr conn) {
  waiter* next = nullptr;
  {
    std::lock_guard lock(mutex_);
    if (waiters_.empty()) {
      idle_.push_back(std::move(conn));
      return;
    }
    next = waiters_.front();
    waiters_.pop_front();
  }
  --waiting_;
  ++in_use_;
  next->conn = std::move(conn);
  next->timer.cancel();
}

void pg_pool::free_slot() {
  waiter* next = nullptr;
  {
    std::lock_guard lock(mutex_);
    if (waiters_.empty()) {
      --slots_;
      return;
    }
    // The slot passes to the first waiter, who opens a connection with it.
    next = waiters_.front();
    waiters_.pop_front();
  }
  --waiting_;
  next->slot = true;
  next->timer.cancel();
}

}  // namespace authd::store::postgres
