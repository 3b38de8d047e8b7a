// The token signing secret: checked when configured; generated and kept when not.
#pragma once

#include <boost/system/result.hpp>
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>

namespace authd::config {

inline constexpr std::size_t min_jwt_secret_bytes = 32;

struct jwt_secret {
  std::string value;
  bool generated = false;  // true when read from or written to the data directory (warn once)
};

// Configured: refused when weak (shorter than 32 bytes, or a well-known placeholder such as
// "secret" or "changeme"), with the reason. Unset: read data_dir/jwt_secret, or create it with
// 256 random bits (hex), mode 0600, the directory created if needed.
boost::system::result<jwt_secret, std::string> resolve_jwt_secret(
    const std::optional<std::string>& configured, const std::filesystem::path& data_dir);

// Why a configured JWT_SECRET would be refused by resolve_jwt_secret, without touching the data
// directory (for `authd config check`); nothing when it is strong enough.
std::optional<std::string> jwt_secret_weakness(std::string_view secret);

// The same strength rules for a secret of JWT_PREVIOUS_SECRETS, which still verifies tokens: why it
// is refused, in a sentence starting with `entry` (e.g. "JWT_PREVIOUS_SECRETS: entry 2"), never
// showing the value; nothing when it is strong enough.
std::optional<std::string> previous_jwt_secret_weakness(std::string_view secret, std::string_view entry);

}  // namespace authd::config
