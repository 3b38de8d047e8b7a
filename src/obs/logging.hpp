// Log set-up: spdlog's default logger, as text for a terminal or JSON lines, written in batches
// by a background thread so logging never blocks the I/O threads (see batching_sink.hpp).
#pragma once

#include <boost/system/result.hpp>
#include <cstdint>
#include <initializer_list>
#include <string>
#include <string_view>
#include <variant>

namespace authd::obs {

enum class log_format { text, json };

// Parses "text" / "json".
boost::system::result<log_format, std::string> parse_log_format(std::string_view text);
// Parses "trace", "debug", "info", "warn", "error", "critical", "off".
boost::system::result<int, std::string> parse_log_level(std::string_view text);

// Replaces the default logger with one buffering lines for a background writer to stderr.
void setup_logging(log_format format, int level);

// Flushes and stops the background writer (call before exit); later lines are written
// synchronously.
void shutdown_logging();

// Escapes `text` as the inside of a JSON string (used by the JSON formatter and in tests); bytes
// that are not valid UTF-8 become U+FFFD, so that a line is valid JSON whatever a client sent.
std::string json_escape(std::string_view text);

// One named value of a structured log event. Names are plain identifiers, never "time", "level"
// or "message".
struct log_field {
  std::string_view name;
  std::variant<std::string_view, std::int64_t, double, bool> value;
};

// Logs an event with fields: in the JSON format, each field is a key of the line's object; in
// text, the line is `message name=value ...` (a value with spaces, quotes or '=' is quoted), or
// `text` when given. Costs nothing below the logger's level.
enum class log_level { trace, debug, info, warn, error, critical };
void log_event(log_level level, std::string_view message, std::initializer_list<log_field> fields,
               std::string_view text = {});

}  // namespace authd::obs
