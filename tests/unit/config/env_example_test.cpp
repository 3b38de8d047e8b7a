// Keeps /.env.example true: same defaults as the code, and exactly the variables the code reads.
#include <gtest/gtest.h>

#include <set>

#include "config/env_file.hpp"
#include "config/settings.hpp"
#include "fake_env.hpp"

namespace authd::config {
namespace {

const std::filesystem::path env_example = std::filesystem::path(AUTHD_SOURCE_DIR) / ".env.example";

std::map<std::string, std::string> example_variables() {
  auto vars = read_env_file(env_example);
  EXPECT_TRUE(vars) << vars.error();
  EXPECT_FALSE(vars->empty()) << env_example << " is missing";
  return vars ? *vars : std::map<std::string, std::string>{};
}

TEST(env_example, its_values_are_the_defaults) {
  auto from_example = load_settings(with_fallback(testing::fake_env({}), example_variables()));
  ASSERT_TRUE(from_example) << from_example.error();
  auto defaults = load_settings(testing::fake_env({}));
  ASSERT_TRUE(defaults) << defaults.error();
  EXPECT_EQ(describe(*from_example), describe(*defaults));
}

TEST(env_example, it_lists_exactly_the_variables_read) {
  std::set<std::string> asked;
  auto recording = [&asked](std::map<std::string, std::string> values) {
    return [&asked, values = std::move(values)](const std::string& name) -> std::optional<std::string> {
      asked.insert(name);
      if (auto it = values.find(name); it != values.end()) return it->second;
      return std::nullopt;
    };
  };
  ASSERT_TRUE(load_settings(recording({})));
  ASSERT_TRUE(load_settings(recording({{"DATABASE_HOST", "db"}})));  // DATABASE_* are read only then

  std::set<std::string> listed;
  for (const auto& [name, value] : example_variables()) listed.insert(name);
  EXPECT_EQ(listed, asked);
}

}  // namespace
}  // namespace authd::config
