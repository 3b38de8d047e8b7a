// Test helper: captures what spdlog's default logger writes while alive (the audit trail, store errors).
#pragma once

#include <spdlog/sinks/ringbuffer_sink.h>
#include <spdlog/spdlog.h>

#include <memory>
#include <string>

namespace authd::test_support {

// Captures what spdlog writes while alive.
class log_capture {
 public:
  log_capture() : previous_(spdlog::default_logger()) {
    spdlog::set_default_logger(std::make_shared<spdlog::logger>("capture", sink_));
  }
  log_capture(const log_capture&) = delete;
  log_capture& operator=(const log_capture&) = delete;
  ~log_capture() { spdlog::set_default_logger(previous_); }

  std::string text() const {
    std::string out;
    for (const auto& line : sink_->last_formatted()) out += line + "\n";
    return out;
  }

 private:
  std::shared_ptr<spdlog::sinks::ringbuffer_sink_mt> sink_ =
      std::make_shared<spdlog::sinks::ringbuffer_sink_mt>(64);
  std::shared_ptr<spdlog::logger> previous_;
};

}  // namespace authd::test_support
