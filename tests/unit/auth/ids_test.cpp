#include "auth/ids.hpp"

#include <gtest/gtest.h>

#include <set>
#include <string>

namespace authd::auth {
namespace {

TEST(ids, random_uuid_is_canonical_lowercase_version_4) {
  for (int i = 0; i < 100; ++i) {
    const std::string id = random_uuid();
    ASSERT_EQ(id.size(), 36U);
    EXPECT_TRUE(is_uuid(id)) << id;
    EXPECT_EQ(id[14], '4') << id;
    EXPECT_NE(std::string("89ab").find(id[19]), std::string::npos) << id;
    EXPECT_EQ(id.find_first_not_of("0123456789abcdef-"), std::string::npos) << id;
  }
}

TEST(ids, random_uuids_differ) {
  std::set<std::string> seen;
  for (int i = 0; i < 1000; ++i) seen.insert(random_uuid());
  EXPECT_EQ(seen.size(), 1000U);
}

TEST(ids, is_uuid_accepts_canonical_forms_in_any_case) {
  EXPECT_TRUE(is_uuid("123e4567-e89b-12d3-a456-426614174000"));
  EXPECT_TRUE(is_uuid("123E4567-E89B-12D3-A456-426614174000"));
  EXPECT_TRUE(is_uuid("00000000-0000-0000-0000-000000000000"));
}

TEST(ids, is_uuid_refuses_everything_else) {
  for (const char* text : {
           "",
           "123e4567e89b12d3a456426614174000",
           "{123e4567-e89b-12d3-a456-426614174000}",
           "123e4567-e89b-12d3-a456-42661417400",
           "123e4567-e89b-12d3-a456-4266141740000",
           "123e4567-e89b-12d3-a456-42661417400g",
           "123e4567-e89b-12d3-a456_426614174000",
           "123e4567e-89b-12d3-a456-426614174000",
           " 123e4567-e89b-12d3-a456-42661417400",
           "123e4567-e89b-12d3-a456-42661417400\n",
           "------------------------------------",
       }) {
    EXPECT_FALSE(is_uuid(text)) << text;
  }
  EXPECT_FALSE(is_uuid(std::string_view("123e4567-e89b-12d3-a456-42661417400\0", 36)));
}

}  // namespace
}  // namespace authd::auth
