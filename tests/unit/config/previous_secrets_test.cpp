// JWT_PREVIOUS_SECRETS: the list of secrets that still verify tokens after a rotation.
#include <gtest/gtest.h>

#include "config/settings.hpp"
#include "fake_env.hpp"

namespace authd::config {
namespace {

using testing::fake_env;

const std::string current = "the-current-secret-0123456789abcdefghij";
const std::string old_a = "an-older-secret-0123456789abcdefghijklm";
const std::string old_b = "an-even-older-secret-0123456789abcdefgh";

boost::system::result<settings, std::string> load(const std::string& previous) {
  return load_settings(fake_env({{"JWT_SECRET", current}, {"JWT_PREVIOUS_SECRETS", previous}}));
}

std::string error_of(const std::string& previous) {
  auto loaded = load(previous);
  EXPECT_FALSE(loaded);
  return loaded ? std::string() : loaded.error();
}

TEST(previous_secrets, none_by_default) {
  auto loaded = load_settings(fake_env({}));
  ASSERT_TRUE(loaded) << loaded.error();
  EXPECT_TRUE(loaded->jwt_previous_secrets.empty());
}

TEST(previous_secrets, comma_separated_in_order_with_blanks_trimmed_and_empty_entries_skipped) {
  auto loaded = load(" " + old_a + " ,\t" + old_b + ",");
  ASSERT_TRUE(loaded) << loaded.error();
  EXPECT_EQ(loaded->jwt_previous_secrets, (std::vector<std::string>{old_a, old_b}));
  loaded = load(old_a);
  ASSERT_TRUE(loaded) << loaded.error();
  EXPECT_EQ(loaded->jwt_previous_secrets, std::vector<std::string>{old_a});
}

TEST(previous_secrets, allowed_with_a_generated_jwt_secret) {
  auto loaded = load_settings(fake_env({{"JWT_PREVIOUS_SECRETS", old_a}}));
  ASSERT_TRUE(loaded) << loaded.error();
  EXPECT_EQ(loaded->jwt_previous_secrets, std::vector<std::string>{old_a});
}

TEST(previous_secrets, a_short_entry_is_refused_naming_the_variable_and_its_rank_not_its_value) {
  const std::string short_secret = "short-but-not-32-bytes-0123456";
  const std::string error = error_of(old_a + "," + short_secret);
  EXPECT_EQ(error.rfind("JWT_PREVIOUS_SECRETS: entry 2: shorter than 32 bytes", 0), 0u) << error;
  EXPECT_EQ(error.find(short_secret), std::string::npos) << error;
  EXPECT_EQ(error.find(old_a), std::string::npos) << error;
}

TEST(previous_secrets, a_placeholder_is_refused_whatever_its_length) {
  const std::string error = error_of("ChangeMe");
  EXPECT_EQ(error.rfind("JWT_PREVIOUS_SECRETS: entry 1: a well-known placeholder", 0), 0u) << error;
  EXPECT_EQ(error_of("9e1399cf13d06e24491d5494bb4c7167956e994a1e5525b1d9cd3c8fde36271e")
                .rfind("JWT_PREVIOUS_SECRETS: entry 1: a well-known placeholder", 0),
            0u);
}

TEST(previous_secrets, the_current_secret_in_the_list_is_refused) {
  const std::string error = error_of(old_a + "," + current);
  EXPECT_EQ(error.rfind("JWT_PREVIOUS_SECRETS: entry 2 is JWT_SECRET itself", 0), 0u) << error;
  EXPECT_EQ(error.find(current), std::string::npos) << error;
}

TEST(previous_secrets, a_repeated_entry_is_refused) {
  EXPECT_EQ(error_of(old_a + "," + old_b + "," + old_a), "JWT_PREVIOUS_SECRETS: entry 3 repeats entry 1");
}

TEST(previous_secrets, at_most_sixteen) {
  std::string sixteen;
  for (int i = 0; i < 16; ++i) sixteen += (i ? "," : "") + old_a + std::to_string(100 + i);
  auto loaded = load(sixteen);
  ASSERT_TRUE(loaded) << loaded.error();
  EXPECT_EQ(loaded->jwt_previous_secrets.size(), 16u);
  EXPECT_EQ(error_of(sixteen + "," + old_b).rfind("JWT_PREVIOUS_SECRETS: more than 16 secrets", 0), 0u);
}

}  // namespace
}  // namespace authd::config
