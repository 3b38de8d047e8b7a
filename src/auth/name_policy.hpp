// Rules for display names: 1 to 256 characters of valid UTF-8 without control characters.
#pragma once

#include <cstddef>
#include <optional>
#include <string_view>

namespace authd::auth {

inline constexpr std::size_t name_min_length = 1;
inline constexpr std::size_t name_max_length = 256;

enum class name_problem { too_short, too_long, invalid_utf8, control_character };

std::optional<name_problem> check_name(std::string_view name);

}  // namespace authd::auth
