#include "http/request_id.hpp"

#include <gtest/gtest.h>

#include <set>
#include <string>
#include <vector>

namespace authd::http {
namespace {

bool is_generated(const std::string& id) {
  if (id.size() != 16) return false;
  for (char c : id)
    if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) return false;
  return true;
}

TEST(request_id, new_ids_are_16_lowercase_hex_and_differ) {
  std::set<std::string> seen;
  for (int i = 0; i < 100; ++i) {
    const auto id = new_request_id();
    EXPECT_TRUE(is_generated(id)) << id;
    seen.insert(id);
  }
  EXPECT_EQ(seen.size(), 100u);
}

TEST(request_id, accepts_safe_incoming_ids) {
  for (const std::string& id : std::vector<std::string>{
           "a", "abc-123", "A.B_C-d", "0f8fad5b-d9cb-469f-a165-70867728950e", std::string(64, 'x')})
    EXPECT_EQ(accept_or_new_request_id(id), id);
}

TEST(request_id, refuses_ids_that_could_forge_log_lines) {
  for (const std::string& id : {std::string(), std::string(65, 'x'), std::string("a b"), std::string("a\nb"),
                                std::string("a\"b"), std::string("a=b"), std::string("a\0b", 3),
                                std::string("caf\xc3\xa9"), std::string("a/b"), std::string("{x}")}) {
    const auto result = accept_or_new_request_id(id);
    EXPECT_NE(result, id);
    EXPECT_TRUE(is_generated(result)) << result;
  }
}

}  // namespace
}  // namespace authd::http
