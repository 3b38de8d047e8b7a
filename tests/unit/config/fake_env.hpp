// An env_lookup over a fixed map, so tests never depend on the real environment.
#pragma once

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

}  // namespace authd::config::testing
