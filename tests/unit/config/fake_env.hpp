// An env_lookup over a fixed map, so tests never depend on the real environment; and settings
// loaded from one, expected to succeed or to fail.
#pragma once

#include <gtest/gtest.h>

#include <map>
#include <string>

#include "config/settings.hpp"

namespace authd::config::testing {

inline env_lookup fake_env(std::map<std::string, std::string> values) {
  return [values = std::move(values)](const std::string& name) -> std::optional<std::string> {
    if (auto it = values.find(name); it != values.end()) return it->second;
    return std::nullopt;
  };
}

// The settings from `values`; a test failure (and defaults) when they are refused.
inline settings load_ok(std::map<std::string, std::string> values) {
  auto loaded = load_settings(fake_env(std::move(values)));
  EXPECT_TRUE(loaded) << loaded.error();
  return loaded ? *loaded : settings{};
}

// Why `values` are refused; a test failure (and "") when they are accepted.
inline std::string load_error(std::map<std::string, std::string> values) {
  auto loaded = load_settings(fake_env(std::move(values)));
  EXPECT_FALSE(loaded);
  return loaded ? std::string() : loaded.error();
}

}  // namespace authd::config::testing
