// Rules for new passwords: length in characters (code points) and a common-password check
// (zxcvbn's dictionaries). No composition rules; nothing is truncated or case-folded.
#pragma once

#include <cstddef>
#include <optional>
#include <string_view>

namespace authd::auth {

struct password_limits {
  std::size_t min_length = 8;
  std::size_t max_length = 256;
};

enum class password_problem { too_short, too_long, too_common };

// Length in Unicode code points of valid UTF-8 (what Python's len() counts).
std::size_t code_point_count(std::string_view utf8);

// The first problem found (too_short, too_long, then too_common), or none.
std::optional<password_problem> check_new_password(std::string_view password, const password_limits& limits);

// True when the password is a common one: a whole-password match in zxcvbn's password,
// word or name dictionaries (also l33t / capitalized / reversed), or trivially guessable
// (repeats, sequences, keyboard walks, dates).
bool is_common_password(std::string_view password);

}  // namespace authd::auth
