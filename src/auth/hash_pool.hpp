// A small fixed pool of threads for Argon2, with a bounded queue: beyond it work is refused
// (the caller answers 503) rather than queued without limit. Workers run at a lower priority
// than the I/O threads, and tell when they run out of work and when they have had none for a
// while (the hasher wipes, then frees, their memory then).
#pragma once

#include <chrono>
#include <condition_variable>
#include <cstddef>
#include <deque>
#include <functional>
#include <mutex>
#include <thread>
#include <vector>

namespace authd::auth {

// What a hash_pool worker does when it runs out of work, on its own thread; a job queued
// meanwhile waits.
struct hash_pool_idle_hooks {
  // A worker that has run jobs and is about to sleep on an empty queue calls this first.
  std::function<void()> idle = {};
  // ... and this once it has slept `long_after` without a job (at once for zero).
  std::function<void()> long_idle = {};
  std::chrono::milliseconds long_after{0};
};

class hash_pool {
 public:
  // How much nicer than the I/O threads the workers run (see lower_own_priority).
  static constexpr int nice_increment = 5;

  using idle_hooks = hash_pool_idle_hooks;

  // `workers` threads (at least 1) and room for `queue_capacity` waiting jobs. No hook runs at
  // shutdown.
  hash_pool(std::size_t workers, std::size_t queue_capacity, idle_hooks hooks = {});
  ~hash_pool();  // stops: waits for the running jobs, drops queued ones without running them
  hash_pool(const hash_pool&) = delete;
  hash_pool& operator=(const hash_pool&) = delete;

  // Queues `job`; false (and `job` is not run) when the queue is full or the pool is stopping.
  // A job must not throw; it runs on a pool thread.
  bool try_submit(std::function<void()> job);

  // Stops accepting work, lets queued and running jobs finish, joins the threads. Idempotent.
  void drain();

  std::size_t workers() const { return threads_.size(); }
  std::size_t busy() const;    // jobs running now
  std::size_t queued() const;  // jobs waiting

 private:
  void run();

  mutable std::mutex mutex_;
  std::condition_variable wake_;
  std::deque<std::function<void()>> queue_;
  std::size_t capacity_;
  idle_hooks hooks_;
  std::size_t busy_ = 0;
  bool stopping_ = false;
  std::vector<std::thread> threads_;
};

}  // namespace authd::auth
