#include "obs/logging.hpp"

#include <spdlog/pattern_formatter.h>
#include <spdlog/spdlog.h>

#include <atomic>
#include <chrono>
#include <cstdio>
#include <iterator>
#include <memory>
#include <type_traits>
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

namespace {

// The length of the valid UTF-8 sequence at the start of `text` (RFC 3629: no overlongs, no
// surrogates, nothing above U+10FFFF), or 0.
std::size_t utf8_sequence(std::string_view text) {
  const auto byte = [&](std::size_t i) { return static_cast<unsigned char>(text[i]); };
  const unsigned char c = byte(0);
  std::size_t n = 0;
  unsigned char low = 0x80, high = 0xBF;  // the allowed range of the second byte
  if (c >= 0xC2 && c <= 0xDF) {
    n = 2;
  } else if (c >= 0xE0 && c <= 0xEF) {
    n = 3;
    if (c == 0xE0) low = 0xA0;
    if (c == 0xED) high = 0x9F;
  } else if (c >= 0xF0 && c <= 0xF4) {
    n = 4;
    if (c == 0xF0) low = 0x90;
    if (c == 0xF4) high = 0x8F;
  } else {
    return 0;
  }
  if (text.size() < n || byte(1) < low || byte(1) > high) return 0;
  for (std::size_t i = 2; i < n; ++i)
    if (byte(i) < 0x80 || byte(i) > 0xBF) return 0;
  return n;
}

}  // namespace

std::string json_escape(std::string_view text) {
  std::string out;
  out.reserve(text.size() + 8);
  for (std::size_t i = 0; i < text.size(); ++i) {
    const auto c = static_cast<unsigned char>(text[i]);
    if (c >= 0x80) {
      const std::size_t n = utf8_sequence(text.substr(i));
      if (n == 0) {
        out += "\ufffd";
      } else {
        out.append(text.substr(i, n));
        i += n - 1;
      }
      continue;
    }
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

std::atomic<bool> json_lines{false};  // set by setup_logging: log_event skips the text it would not use

// The event log_event is logging on this thread, for the JSON formatter, which runs on the same
// thread inside the logging call (the logger is synchronous; the sink only buffers lines).
struct event_in_flight {
  std::string_view message;
  std::initializer_list<log_field> fields;
};
thread_local const event_in_flight* current_event = nullptr;

void append_json_value(std::string& out, const log_field& f) {
  std::visit(
      [&out](const auto& v) {
        using T = std::decay_t<decltype(v)>;
        if constexpr (std::is_same_v<T, std::string_view>) {
          out += '"';
          out += json_escape(v);
          out += '"';
        } else if constexpr (std::is_same_v<T, bool>) {
          out += v ? "true" : "false";
        } else if constexpr (std::is_same_v<T, double>) {
          fmt::format_to(std::back_inserter(out), "{:.3f}", v);
        } else {
          fmt::format_to(std::back_inserter(out), "{}", v);
        }
      },
      f.value);
}

bool needs_quotes(std::string_view v) {
  if (v.empty()) return true;
  for (unsigned char c : v)
    if (c <= 0x20 || c == '"' || c == '=' || c == '\\' || c == 0x7F) return true;
  return false;
}

// `message name=value ...`; strings with spaces, quotes, '=' or controls are JSON-quoted.
std::string text_of(std::string_view message, std::initializer_list<log_field> fields) {
  std::string out(message);
  for (const auto& f : fields) {
    out += ' ';
    out += f.name;
    out += '=';
    if (const auto* s = std::get_if<std::string_view>(&f.value); s != nullptr && !needs_quotes(*s))
      out += *s;
    else
      append_json_value(out, f);
  }
  return out;
}

// One JSON object per line: {"time":...,"level":...,"message":...}, and an event's fields.
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
    if (current_event != nullptr) {
      line += json_escape(current_event->message);
      line += '"';
      for (const auto& f : current_event->fields) {
        line += ",\"";
        line += f.name;
        line += "\":";
        append_json_value(line, f);
      }
      line += "}\n";
    } else {
      line += json_escape(std::string_view(msg.payload.data(), msg.payload.size()));
      line += "\"}\n";
    }
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
  json_lines.store(format == log_format::json, std::memory_order_relaxed);
  // No flush_on(warn): a flush waits for the write, and the sink already writes warn+ at once.
  spdlog::set_default_logger(std::move(logger));
}

void log_event(log_level level, std::string_view message, std::initializer_list<log_field> fields,
               std::string_view text) {
  auto* logger = spdlog::default_logger_raw();
  const auto spd_level = static_cast<spdlog::level::level_enum>(level);
  if (logger == nullptr || !logger->should_log(spd_level)) return;
  const event_in_flight event{message, fields};
  struct scope {
    explicit scope(const event_in_flight* e) { current_event = e; }
    ~scope() { current_event = nullptr; }
  } in_flight(&event);
  if (json_lines.load(std::memory_order_relaxed))
    logger->log(spd_level, message);  // the JSON formatter writes the fields from current_event
  else if (!text.empty())
    logger->log(spd_level, text);
  else
    logger->log(spd_level, text_of(message, fields));
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
