// Log set-up: spdlog's default logger, as text for a terminal or JSON lines, written in batches
// by a background thread so logging never blocks the I/O threads (see batching_sink.hpp).
#pragma once

#include <boost/system/result.hpp>
#include <string>
#include <string_view>

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

// Escapes `text` as the inside of a JSON string (used by the JSON formatter and in tests).
std::string json_escape(std::string_view text);

}  // namespace authd::obs
