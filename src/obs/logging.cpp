#include "obs/logging.hpp"

#include <spdlog/pattern_formatter.h>
#include <spdlog/spdlog.h>

#include <chrono>
#include <cstdio>
#include <memory>
#include <utility>

#include "obs/batching_sink.hpp"

namespace authd::obs {

boost::system::result<log_format, std::string> parse_log_format(std::string_view text) {
  if (text == "text") return log_format::text;
  if (text == "json") return log_format::json;
  return std::string("expected text or json");
}

boost::system::result<int, std::string> parse_log_level(std::string_view text) {
  static constexpr std::string_view names[] = {"trace", "debug", "info", "warn", "error", "critical", "off"};
  for (int i = 0; i < 7; ++i)
    if (text == names[i]) return i;
  return std::string("expected one of trace, debug, info, warn, error, critical, off");
}

std::string json_escape(std::string_view text) {
  std::string out;
  out.reserve(text.size() + 8);
  for (unsigned char c : text) {
    switch (c) {
      case '"':
        out += "\\\"";
        break;
      case '\\':
        out += "\\\\";
        break;
      case '\n':
        out += "\\n";
        break;
      case '\r':
        out += "\\r";
        break;
      case '\t':
        out += "\\t";
        break;
      default:
        if (c < 0x20) {
          char buf[8];
          std::snprintf(buf, sizeof buf, "\\u%04x", c);
          out += buf;
        } else {
          out += static_cast<char>(c);
        }
    }
  }
  return out;
}

namespace {

// One JSON object per line: {"time":...,"level":...,"message":...}.
class json_formatter final : public spdlog::formatter {
 public:
  void format(const spdlog::details::log_msg& msg, spdlog::memory_buf_t& dest) override {
    auto micros = std::chrono::duration_cast<std::chrono::microseconds>(msg.time.time_since_epoch()).count();
    std::time_t secs = static_cast<std::time_t>(micros / 1000000);
    std::tm tm{};
    gmtime_r(&secs, &tm);
    char stamp[64];
    std::snprintf(stamp, sizeof stamp, "%04d-%02d-%02dT%02d:%02d:%02d.%06lldZ", tm.tm_year + 1900,
                  tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec,
                  static_cast<long long>(micros % 1000000));
    auto level = spdlog::level::to_string_view(msg.level);
    std::string line = "{\"time\":\"";
    line += stamp;
    line += "\",\"level\":\"";
    line.append(level.data(), level.size());
    line += "\",\"message\":\"";
    line += json_escape(std::string_view(msg.payload.data(), msg.payload.size()));
    line += "\"}\n";
    dest.append(line.data(), line.data() + line.size());
  }
  std::unique_ptr<spdlog::formatter> clone() const override { return std::make_unique<json_formatter>(); }
};

}  // namespace

void setup_logging(log_format format, int level) {
  // A synchronous logger over a batching sink: the logging thread formats and appends to a
  // buffer, one writer thread writes the batches (warn and above at once, see batching_sink).
  auto sink = std::make_shared<batching_sink>();
  auto logger = std::make_shared<spdlog::logger>("authd", std::move(sink));
  if (format == log_format::json) {
    logger->set_formatter(std::make_unique<json_formatter>());
  } else {
    logger->set_pattern("%Y-%m-%dT%H:%M:%S.%fZ %^%-5l%$ %v", spdlog::pattern_time_type::utc);
  }
  logger->set_level(static_cast<spdlog::level::level_enum>(level));
  // No flush_on(warn): a flush waits for the write, and the sink already writes warn+ at once.
  spdlog::set_default_logger(std::move(logger));
}

void shutdown_logging() {
  auto logger = spdlog::default_logger();
  if (!logger) return;
  logger->flush();
  // The logger stays installed: a thread still logging after this writes synchronously instead
  // of touching a destroyed logger.
  for (const auto& sink : logger->sinks())
    if (auto batching = std::dynamic_pointer_cast<batching_sink>(sink)) batching->stop();
}

}  // namespace authd::obs
