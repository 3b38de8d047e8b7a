#include "store/sqlite/sqlite_connection_pool.hpp"

namespace authd::store::sqlite {

connection_pool::lease::~lease() {
  if (pool_ != nullptr) pool_->release(index_);
}

connection_pool::connection_pool(std::vector<connection> connections, std::chrono::milliseconds wait)
    : connections_(std::move(connections)), wait_(wait) {
  free_.reserve(connections_.size());
  for (std::size_t i = connections_.size(); i > 0; --i) free_.push_back(i - 1);
}

std::optional<connection_pool::lease> connection_pool::acquire() {
  std::unique_lock lock(mutex_);
  // Operations hold a connection for microseconds and never across a suspension point, so a
  // wait here is short unless the database itself is stuck; then the caller gets `unavailable`.
  if (free_.empty()) {
    ++waiting_;
    const bool freed = freed_.wait_for(lock, wait_, [this] { return !free_.empty(); });
    --waiting_;
    if (!freed) return std::nullopt;
  }
  const std::size_t index = free_.back();
  free_.pop_back();
  return lease(*this, index);
}

connection_pool::stats_snapshot connection_pool::stats() {
  std::lock_guard lock(mutex_);
  return {.size = connections_.size(), .in_use = connections_.size() - free_.size(), .waiting = waiting_};
}

void connection_pool::release(std::size_t index) noexcept {
  {
    std::lock_guard lock(mutex_);
    free_.push_back(index);
  }
  freed_.notify_one();
}

}  // namespace authd::store::sqlite
