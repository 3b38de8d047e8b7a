// Structured events: in the JSON format every line is one JSON object with the event's fields as
// keys, whatever bytes the fields hold; in text, `message name=value ...` with quoting where a
// value would be ambiguous, or the event's own text.
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <spdlog/spdlog.h>

#include <boost/json/parse.hpp>
#include <sstream>
#include <string>
#include <vector>

#include "obs/logging.hpp"
#include "output_capture.hpp"

namespace authd::obs {
namespace {

using ::testing::HasSubstr;
using ::testing::MatchesRegex;
using ::testing::Not;

std::vector<boost::json::object> json_lines(const std::string& text) {
  std::vector<boost::json::object> out;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);) {
    boost::system::error_code ec;
    auto v = boost::json::parse(line, ec);
    EXPECT_FALSE(ec) << "not JSON: " << line;
    if (!ec && v.is_object()) out.push_back(v.as_object());
  }
  return out;
}

TEST(log_event, json_lines_carry_the_fields_as_keys) {
  stderr_capture err;
  setup_logging(log_format::json, 2);
  log_event(log_level::info, "access",
            {{"method", "GET"},
             {"status", std::int64_t{200}},
             {"duration_ms", 1.25},
             {"cached", true},
             {"request_id", "abc123"}});
  spdlog::info("a plain line");
  shutdown_logging();
  const auto lines = json_lines(err.contents());
  ASSERT_EQ(lines.size(), 2u) << err.contents();
  const auto& event = lines[0];
  EXPECT_EQ(event.at("message"), "access");
  EXPECT_EQ(event.at("level"), "info");
  EXPECT_TRUE(event.at("time").is_string());
  EXPECT_EQ(event.at("method"), "GET");
  EXPECT_EQ(event.at("status"), 200);
  EXPECT_DOUBLE_EQ(event.at("duration_ms").to_number<double>(), 1.25);
  EXPECT_EQ(event.at("cached"), true);
  EXPECT_EQ(event.at("request_id"), "abc123");
  EXPECT_EQ(lines[1].at("message"), "a plain line");
  EXPECT_EQ(lines[1].size(), 3u) << "time, level, message";
}

TEST(log_event, json_lines_stay_valid_whatever_the_bytes) {
  stderr_capture err;
  setup_logging(log_format::json, 2);
  const std::string hostile =
      std::string("quote\" back\\ nl\n nul") + '\0' + "\xff\xfe bad \xc3\x28 over \xe0\x80\xaf é";
  log_event(log_level::warn, "odd \"message\"\n", {{"value", std::string_view(hostile)}});
  shutdown_logging();
  const auto lines = json_lines(err.contents());
  ASSERT_EQ(lines.size(), 1u) << err.contents();
  const std::string value(lines[0].at("value").as_string());
  EXPECT_THAT(value, HasSubstr("quote\" back\\ nl\n nul"));
  EXPECT_THAT(value, HasSubstr("\xef\xbf\xbd")) << "invalid UTF-8 becomes U+FFFD";
  EXPECT_THAT(value, HasSubstr("é")) << "valid UTF-8 is kept";
  EXPECT_EQ(lines[0].at("message"), "odd \"message\"\n");
}

TEST(log_event, text_lines_quote_what_would_be_ambiguous) {
  stderr_capture err;
  setup_logging(log_format::text, 2);
  log_event(log_level::info, "access",
            {{"path", "/auth/me"},
             {"agent", "curl 8.0"},
             {"q", "a=b"},
             {"empty", ""},
             {"n", std::int64_t{-3}},
             {"ok", false}});
  log_event(log_level::info, "audit", {{"event", "login_failed"}}, "audit {\"event\":\"login_failed\"}");
  shutdown_logging();
  const auto text = err.contents();
  EXPECT_THAT(
      text, HasSubstr("info  access path=/auth/me agent=\"curl 8.0\" q=\"a=b\" empty=\"\" n=-3 ok=false\n"));
  EXPECT_THAT(text, HasSubstr("info  audit {\"event\":\"login_failed\"}\n"));
}

TEST(log_event, below_the_level_nothing_is_written) {
  stderr_capture err;
  setup_logging(log_format::json, 3);  // warn
  log_event(log_level::info, "quiet", {{"k", "v"}});
  log_event(log_level::error, "loud", {{"k", "v"}});
  shutdown_logging();
  EXPECT_THAT(err.contents(), Not(HasSubstr("quiet")));
  EXPECT_THAT(err.contents(), HasSubstr("\"message\":\"loud\",\"k\":\"v\"}"));
}

}  // namespace
}  // namespace authd::obs
