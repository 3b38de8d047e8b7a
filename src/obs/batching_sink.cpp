#include "obs/batching_sink.hpp"

#include <fmt/format.h>
#include <poll.h>
#include <pthread.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <utility>

namespace authd::obs {

void write_fully(int fd, const char* data, std::size_t size) {
  while (size > 0) {
    const ssize_t written = ::write(fd, data, size);
    if (written > 0) {
      data += written;
      size -= static_cast<std::size_t>(written);
    } else if (written < 0 && errno == EINTR) {
      continue;
    } else if (written < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) {
      // A non-blocking descriptor (shared with a parent that set O_NONBLOCK): wait until it drains.
      pollfd ready{fd, POLLOUT, 0};
      ::poll(&ready, 1, -1);
    } else {
      return;  // EPIPE, EBADF, a full disk...: nowhere left to say so
    }
  }
}

batching_sink::batching_sink(batching_sink_options options) : options_(options) {
  // Room for a batch up to the wake-up threshold without growing under the lock.
  pending_.reserve(std::min(options_.wake_bytes * 2, options_.max_pending_bytes));
  writer_running_ = true;
  writer_ = std::thread([this] { writer_loop(); });
}

batching_sink::~batching_sink() {
  stop();
}

void batching_sink::stop() {
  std::lock_guard join_lock(join_mutex_);
  {
    std::lock_guard lock(mutex_);
    stop_requested_ = true;
  }
  wake_writer_.notify_one();
  if (writer_.joinable()) writer_.join();
  // The writer left nothing behind, but lines may have arrived between its last round and now.
  std::lock_guard lock(mutex_);
  std::string rest;
  take_pending(rest);
  write_fully(options_.fd, rest.data(), rest.size());
}

std::uint64_t batching_sink::dropped_lines() {
  std::lock_guard lock(mutex_);
  return dropped_total_;
}

void batching_sink::sink_it_(const spdlog::details::log_msg& msg) {
  spdlog::memory_buf_t line;
  formatter_->format(msg, line);
  if (!writer_running_) {
    write_fully(options_.fd, line.data(), line.size());
    return;
  }
  bool wake = false;
  if (pending_.size() + line.size() > options_.max_pending_bytes) {
    ++dropped_unreported_;
    ++dropped_total_;
    if (!urgent_) wake = urgent_ = true;
  } else {
    const bool was_below = pending_.size() < options_.wake_bytes;
    pending_.append(line.data(), line.size());
    const bool crossed = was_below && pending_.size() >= options_.wake_bytes;
    const bool important = msg.level >= options_.urgent_level && msg.level != spdlog::level::off;
    // One notification per batch at most: later lines find urgent_ already set.
    if ((crossed || important) && !urgent_) wake = urgent_ = true;
  }
  if (writer_idle_) {
    writer_idle_ = false;
    wake = true;
  }
  if (wake) wake_writer_.notify_one();
}

void batching_sink::flush_() {
  // base_sink::flush holds mutex_; borrow it to wait (the wait releases it, so logging threads
  // keep appending meanwhile) and hand it back locked.
  std::unique_lock lock(mutex_, std::adopt_lock);
  if (writer_running_) {
    const auto ticket = ++flush_requested_;
    wake_writer_.notify_one();
    flushed_.wait(lock, [&] { return flush_done_ >= ticket || !writer_running_; });
  }
  if (!writer_running_) {
    std::string rest;
    take_pending(rest);
    write_fully(options_.fd, rest.data(), rest.size());
  }
  lock.release();
}

bool batching_sink::has_work() const {
  return !pending_.empty() || dropped_unreported_ > 0 || flush_requested_ != flush_done_;
}

void batching_sink::take_pending(std::string& out) {
  if (out.empty())
    out.swap(pending_);
  else
    out.append(pending_);
  pending_.clear();
  if (dropped_unreported_ > 0) {
    const auto text = fmt::format("{} log lines dropped", dropped_unreported_);
    const spdlog::details::log_msg report(spdlog::source_loc{}, spdlog::string_view_t{}, spdlog::level::warn,
                                          spdlog::string_view_t(text.data(), text.size()));
    spdlog::memory_buf_t formatted;
    formatter_->format(report, formatted);
    out.append(formatted.data(), formatted.size());
    dropped_unreported_ = 0;
  }
}

void batching_sink::writer_loop() {
  pthread_setname_np(pthread_self(), "authd-log");
  const std::size_t usual = std::min(options_.wake_bytes * 2, options_.max_pending_bytes);
  std::string batch;
  batch.reserve(usual);
  std::unique_lock lock(mutex_);
  for (;;) {
    if (!has_work()) {
      if (stop_requested_) break;
      // Nothing pending: sleep without a timer until the first line (sink_it_ wakes us).
      writer_idle_ = true;
      wake_writer_.wait(lock, [&] { return stop_requested_ || has_work(); });
      writer_idle_ = false;
      continue;
    }
    // Let lines gather for one interval unless something asks for them now.
    wake_writer_.wait_for(lock, options_.interval,
                          [&] { return urgent_ || stop_requested_ || flush_requested_ != flush_done_; });
    urgent_ = false;
    const auto serving = flush_requested_;
    take_pending(batch);  // batch is empty: a swap, pending_ gets batch's reserved room
    lock.unlock();

    write_fully(options_.fd, batch.data(), batch.size());
    batch.clear();
    // Give back the memory of an exceptional burst; keep the usual room allocated.
    if (batch.capacity() > 4 * usual) std::string().swap(batch);
    if (batch.capacity() < usual) batch.reserve(usual);

    lock.lock();
    flush_done_ = serving;
    flushed_.notify_all();
  }
  writer_running_ = false;
  flushed_.notify_all();
}

}  // namespace authd::obs
