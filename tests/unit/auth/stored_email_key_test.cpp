// Keys for addresses carried over from the original service's database.
#include <gtest/gtest.h>

#include "auth/email_policy.hpp"

namespace authd::auth {
namespace {

TEST(stored_email_key, valid_addresses_get_the_same_key_as_new_ones) {
  EXPECT_EQ(stored_email_key("Ada@Example.com"), normalize_email("ada@example.com")->key);
  EXPECT_EQ(stored_email_key("STRASSE@example.com"), normalize_email("straße@example.com")->key);
}

TEST(stored_email_key, addresses_invalid_today_are_case_folded_as_they_are) {
  // A special-use domain that email-validator refuses now, but that an old row may hold.
  ASSERT_FALSE(normalize_email("Old@Host.local").has_value());
  EXPECT_EQ(stored_email_key("Old@Host.local"), "old@host.local");
  EXPECT_EQ(stored_email_key("\xff\xfe"), "\xff\xfe");
}

}  // namespace
}  // namespace authd::auth
