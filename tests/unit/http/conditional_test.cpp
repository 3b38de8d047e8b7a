#include "http/conditional.hpp"

#include <gtest/gtest.h>

namespace authd::http {
namespace {

request with_if_none_match(std::initializer_list<const char*> values) {
  request req{bhttp::verb::get, "/x", 11};
  for (const char* v : values) req.insert(bhttp::field::if_none_match, v);
  return req;
}

TEST(if_none_match, an_exact_tag_a_weak_tag_and_a_star_match) {
  EXPECT_TRUE(if_none_match_hits(with_if_none_match({"\"abc\""}), "\"abc\""));
  EXPECT_TRUE(if_none_match_hits(with_if_none_match({"W/\"abc\""}), "\"abc\""));
  EXPECT_TRUE(if_none_match_hits(with_if_none_match({"\"abc\""}), "W/\"abc\""));
  EXPECT_TRUE(if_none_match_hits(with_if_none_match({"*"}), "\"abc\""));
}

TEST(if_none_match, a_list_and_several_headers_are_searched) {
  EXPECT_TRUE(if_none_match_hits(with_if_none_match({"\"x\", \"a,b\" ,\t\"abc\""}), "\"abc\""));
  EXPECT_TRUE(if_none_match_hits(with_if_none_match({"\"x\"", "\"abc\""}), "\"abc\""));
  EXPECT_TRUE(if_none_match_hits(with_if_none_match({"\"x\", \"a,b\""}), "\"a,b\""));
}

TEST(if_none_match, other_tags_missing_headers_and_malformed_lists_do_not_match) {
  EXPECT_FALSE(if_none_match_hits(with_if_none_match({}), "\"abc\""));
  EXPECT_FALSE(if_none_match_hits(with_if_none_match({"\"abd\""}), "\"abc\""));
  EXPECT_FALSE(if_none_match_hits(with_if_none_match({"abc"}), "\"abc\""));
  EXPECT_FALSE(if_none_match_hits(with_if_none_match({"\"abc"}), "\"abc\""));
  EXPECT_FALSE(if_none_match_hits(with_if_none_match({"garbage, \"abc\""}), "\"abc\""));
}

}  // namespace
}  // namespace authd::http
