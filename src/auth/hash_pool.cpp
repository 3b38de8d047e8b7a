#include "auth/hash_pool.hpp"

#include <algorithm>
#include <utility>

namespace authd::auth {

hash_pool::hash_pool(std::size_t workers, std::size_t queue_capacity) : capacity_(queue_capacity) {
  const std::size_t count = std::max<std::size_t>(workers, 1);
  threads_.reserve(count);
  try {
    for (std::size_t i = 0; i < count; ++i) threads_.emplace_back([this] { run(); });
  } catch (...) {
    drain();  // the threads already started must not outlive a pool that never finished construction
    throw;
  }
}

hash_pool::~hash_pool() {
  std::deque<std::function<void()>> dropped;
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
    dropped.swap(queue_);
  }
  wake_.notify_all();
  // Destroyed outside the lock: a job's captures may do arbitrary work when they go (an Asio
  // handler, for one, releases its executor's work).
  dropped.clear();
  for (auto& thread : threads_) {
    if (thread.joinable()) thread.join();
  }
}

bool hash_pool::try_submit(std::function<void()> job) {
  {
    std::lock_guard lock(mutex_);
    // Jobs that an idle worker is about to take are not waiting, so they do not use up capacity.
    const std::size_t idle = threads_.size() - busy_;
    if (stopping_ || queue_.size() >= capacity_ + idle) return false;
    queue_.push_back(std::move(job));
  }
  wake_.notify_one();
  return true;
}

void hash_pool::drain() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  wake_.notify_all();
  for (auto& thread : threads_) {
    if (thread.joinable()) thread.join();
  }
}

std::size_t hash_pool::busy() const {
  std::lock_guard lock(mutex_);
  return busy_;
}

std::size_t hash_pool::queued() const {
  std::lock_guard lock(mutex_);
  return queue_.size();
}

void hash_pool::run() {
  for (;;) {
    std::function<void()> job;
    {
      std::unique_lock lock(mutex_);
      wake_.wait(lock, [this] { return stopping_ || !queue_.empty(); });
      if (queue_.empty()) return;  // stopping, and nothing left to finish
      job = std::move(queue_.front());
      queue_.pop_front();
      ++busy_;
    }
    job();
    job = nullptr;  // its captures go before the job counts as finished
    std::lock_guard lock(mutex_);
    --busy_;
  }
}

}  // namespace authd::auth
