// Log settings parsing and the JSON escaping the JSON log format relies on.
#include "obs/logging.hpp"

#include <gtest/gtest.h>

namespace authd::obs {
namespace {

TEST(log_settings, formats_and_levels) {
  EXPECT_EQ(*parse_log_format("text"), log_format::text);
  EXPECT_EQ(*parse_log_format("json"), log_format::json);
  EXPECT_FALSE(parse_log_format("xml").has_value());
  EXPECT_EQ(*parse_log_level("trace"), 0);
  EXPECT_EQ(*parse_log_level("info"), 2);
  EXPECT_EQ(*parse_log_level("off"), 6);
  EXPECT_FALSE(parse_log_level("verbose").has_value());
  EXPECT_FALSE(parse_log_level("").has_value());
}

TEST(json_escape, escapes_quotes_backslashes_and_controls) {
  EXPECT_EQ(json_escape("plain"), "plain");
  EXPECT_EQ(json_escape("a\"b\\c"), "a\\\"b\\\\c");
  EXPECT_EQ(json_escape("line\nbreak\r\t"), "line\\nbreak\\r\\t");
  EXPECT_EQ(json_escape(std::string_view("nul\0bell\a", 9)), "nul\\u0000bell\\u0007");
  // UTF-8 passes through untouched.
  EXPECT_EQ(json_escape("é"), "é");
}

}  // namespace
}  // namespace authd::obs
