#include "auth/in_flight_keys.hpp"

#include <gtest/gtest.h>

namespace authd::auth {
namespace {

TEST(in_flight_keys, a_key_is_held_once_until_its_claim_ends) {
  in_flight_keys keys;
  {
    auto first = keys.try_claim("account");
    ASSERT_TRUE(first);
    EXPECT_FALSE(keys.try_claim("account")) << "a second check of the same account waits its turn";
    EXPECT_TRUE(keys.try_claim("another account")) << "other accounts are not affected";
    EXPECT_TRUE(keys.held("account"));
  }
  EXPECT_FALSE(keys.held("account"));
  EXPECT_TRUE(keys.try_claim("account"));
}

TEST(in_flight_keys, a_moved_claim_keeps_the_key_and_an_empty_one_releases_nothing) {
  in_flight_keys keys;
  in_flight_keys::claim kept;
  EXPECT_FALSE(kept);
  {
    auto first = keys.try_claim("account");
    kept = std::move(first);
  }
  EXPECT_TRUE(keys.held("account")) << "the moved-from claim released nothing";
  auto refused = keys.try_claim("account");
  EXPECT_FALSE(refused);
  refused = {};
  EXPECT_TRUE(keys.held("account")) << "an empty claim releases nothing";
  kept = {};
  EXPECT_FALSE(keys.held("account"));
}

}  // namespace
}  // namespace authd::auth
