// The .env file: KEY=value lines, as docker compose and python-dotenv read them.
#pragma once

#include <boost/system/result.hpp>
#include <filesystem>
#include <map>
#include <string>
#include <string_view>

namespace authd::config {

// Parses .env text: blank lines and # comments skipped, optional `export `, values optionally in
// single quotes (literal) or double quotes (\n, \", \\ escapes), unquoted values trimmed and cut
// at " #". Error: "line N: <why>".
boost::system::result<std::map<std::string, std::string>, std::string> parse_env_file(std::string_view text);

// Reads and parses `path`; a missing file is an empty map, not an error.
boost::system::result<std::map<std::string, std::string>, std::string> read_env_file(
    const std::filesystem::path& path);

}  // namespace authd::config
