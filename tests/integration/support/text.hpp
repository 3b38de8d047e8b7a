// Small text helpers shared by the harness: ASCII case-insensitive compare, trimming, splitting.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace authd::itest {

bool iequals(std::string_view a, std::string_view b);
std::string to_lower(std::string_view text);
std::string_view trim(std::string_view text);
// Splits on `separator` and trims every piece; empty pieces are kept.
std::vector<std::string> split_trimmed(std::string_view text, char separator);
// `text` shortened to a readable length with control bytes escaped, for failure messages.
std::string printable(std::string_view text, std::size_t max_length = 2000);

}  // namespace authd::itest
