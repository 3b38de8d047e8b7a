// A spdlog sink that never makes the logging thread wait on the terminal or pipe: the formatted
// line is appended to an in-memory buffer under a short mutex (no system call), and one
// background writer thread writes the buffer in batches.
//
// The writer wakes on a timer while lines are pending, at once when the buffer crosses a size
// threshold or a line at `urgent_level` (warn by default) arrives, and for flush(). Past a hard
// cap on pending bytes, new lines are dropped and counted; the writer then reports
// "N log lines dropped" after the lines that did fit. flush() returns once everything logged
// before it has been written. stop() (also run by the destructor) writes what is left and joins
// the writer; lines logged after it are written synchronously.
#pragma once

#include <spdlog/sinks/base_sink.h>

#include <chrono>
#include <condition_variable>
#include <cstddef>
#include <cstdint>
#include <mutex>
#include <string>
#include <thread>

namespace authd::obs {

struct batching_sink_options {
  int fd = 2;                                       // written with write(2), never closed
  std::size_t max_pending_bytes = 8 * 1024 * 1024;  // beyond this, new lines are dropped
  std::size_t wake_bytes = 256 * 1024;              // crossing this wakes the writer early
  std::chrono::milliseconds interval{30};           // longest wait before pending lines are written
  spdlog::level::level_enum urgent_level = spdlog::level::warn;  // written without waiting
};

class batching_sink final : public spdlog::sinks::base_sink<std::mutex> {
 public:
  explicit batching_sink(batching_sink_options options = {});
  ~batching_sink() override;

  batching_sink(const batching_sink&) = delete;
  batching_sink& operator=(const batching_sink&) = delete;

  // Writes everything pending and joins the writer thread; idempotent.
  void stop();

  // Lines dropped since construction because the pending buffer was full.
  std::uint64_t dropped_lines();

 protected:
  void sink_it_(const spdlog::details::log_msg& msg) override;
  void flush_() override;

 private:
  void writer_loop();
  bool has_work() const;  // with mutex_ held
  // Moves the pending lines, followed by a report of dropped lines if any, to `out`.
  void take_pending(std::string& out);  // with mutex_ held

  const batching_sink_options options_;

  // All below guarded by mutex_ (base_sink's, held around sink_it_ and flush_).
  std::string pending_;
  std::uint64_t dropped_unreported_ = 0;
  std::uint64_t dropped_total_ = 0;
  bool urgent_ = false;       // the writer should not wait for the timer
  bool writer_idle_ = false;  // the writer waits for the first pending line (no timer)
  bool stop_requested_ = false;
  bool writer_running_ = false;  // false: lines are written by the logging thread itself
  std::uint64_t flush_requested_ = 0;
  std::uint64_t flush_done_ = 0;
  std::condition_variable wake_writer_;
  std::condition_variable flushed_;

  std::mutex join_mutex_;  // serialises stop()
  std::thread writer_;
};

// write(2) of the whole buffer, retrying on EINTR, partial writes and EAGAIN; gives up on
// other errors (there is nowhere left to report them).
void write_fully(int fd, const char* data, std::size_t size);

}  // namespace authd::obs
