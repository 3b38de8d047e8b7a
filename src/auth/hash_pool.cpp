#include "auth/hash_pool.hpp"

#include <sys/resource.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <utility>

namespace authd::auth {

namespace {

// Argon2 is pure CPU for tens of milliseconds; at equal priority a login flood would take the
// cores from the I/O threads and every other request would wait behind it. Niced workers still
// use every idle cycle, but the scheduler prefers the I/O threads when both want a core. (Linux
// nice is per thread; raising it needs no privilege. Failure only costs latency, so it is ignored.)
void lower_own_priority() {
  const pid_t self = gettid();
  errno = 0;
  const int current = getpriority(PRIO_PROCESS, static_cast<id_t>(self));
  if (errno != 0) return;
  (void)setpriority(PRIO_PROCESS, static_cast<id_t>(self), std::min(current + hash_pool::nice_increment, 19));
}

}  // namespace

hash_pool::hash_pool(std::size_t workers, std::size_t queue_capacity, idle_hooks hooks)
    : capacity_(queue_capacity), hooks_(std::move(hooks)) {
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
  lower_own_priority();
  // What this worker owes since it last ran out of work: the idle call, then the long-idle one.
  bool owes_idle = false;
  bool owes_long_idle = false;
  const auto has_work = [this] { return stopping_ || !queue_.empty(); };
  for (;;) {
    std::function<void()> job;
    {
      std::unique_lock lock(mutex_);
      // Decided here, just before sleeping: a worker that saw a queued job when it finished may
      // find it taken by another worker by now.
      if (!has_work() && owes_idle) {
        owes_idle = false;
        lock.unlock();
        hooks_.idle();
        continue;  // a job may have come meanwhile
      }
      if (!has_work() && owes_long_idle && !wake_.wait_for(lock, hooks_.long_after, has_work)) {
        owes_long_idle = false;
        lock.unlock();
        hooks_.long_idle();
        continue;
      }
      wake_.wait(lock, has_work);
      if (queue_.empty()) return;  // stopping, and nothing left to finish
      job = std::move(queue_.front());
      queue_.pop_front();
      ++busy_;
    }
    job();
    job = nullptr;  // its captures go before the job counts as finished
    owes_idle = static_cast<bool>(hooks_.idle);
    owes_long_idle = static_cast<bool>(hooks_.long_idle);
    std::lock_guard lock(mutex_);
    --busy_;
  }
}

}  // namespace authd::auth
