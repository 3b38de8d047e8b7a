// The token signing secret: checked when configured; generated and kept when not.
#pragma once

#include <boost/system/result.hpp>
#include <filesystem>
#include <optional>
#include <string>

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

}  // namespace authd::config
