#include "http/responses.hpp"

#include <gtest/gtest.h>

namespace authd::http {
namespace {

TEST(responses, detail_is_compact_json_without_charset) {
  const auto res = detail_response(bhttp::status::not_found, "Not Found");
  EXPECT_EQ(res.result(), bhttp::status::not_found);
  EXPECT_EQ(res.body(), R"({"detail":"Not Found"})");
  EXPECT_EQ(res[bhttp::field::content_type], "application/json");
}

TEST(responses, detail_text_is_escaped) {
  const auto res = detail_response(bhttp::status::bad_request, "say \"hi\"\\\n");
  EXPECT_EQ(res.body(), R"({"detail":"say \"hi\"\\\n"})");
}

TEST(responses, json_response_keeps_the_body) {
  const auto res = json_response(bhttp::status::created, R"({"id":"x"})");
  EXPECT_EQ(res.result(), bhttp::status::created);
  EXPECT_EQ(res.body(), R"({"id":"x"})");
  EXPECT_EQ(res[bhttp::field::content_type], "application/json");
}

TEST(responses, empty_response_has_no_body) {
  const auto res = empty_response(bhttp::status::no_content);
  EXPECT_EQ(res.result(), bhttp::status::no_content);
  EXPECT_TRUE(res.body().empty());
}

}  // namespace
}  // namespace authd::http
