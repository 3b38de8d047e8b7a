#include "auth/password_policy.hpp"

#include <unistr.h>
#include <zxcvbn.h>

#include <algorithm>
#include <memory>
#include <string>

namespace authd::auth {
namespace {

// Below 20 bits zxcvbn expects to find the password within about a million guesses (its scores 0 and 1,
// "too guessable" / "very guessable"): a throttled online attacker with a common-password list gets there.
// Checked against real choices: "Summer2024" 15, "admin123" 13, "monkey12" 12, "01011990" 16 are refused;
// "hunter2hunter2" 24, a random 8-character "wj8fk3ls" 41, random 12-character passwords 60+ pass.
constexpr double common_password_max_bits = 20.0;

struct free_info {
  void operator()(ZxcMatch_t* info) const noexcept { ZxcvbnFreeInfo(info); }
};

// Every kind of zxcvbn match except brute force: a password that is one of these end to end is an
// attacker's first guesses however long it is (a dictionary word in l33t or reversed, "qwertyuiop",
// "12345678", "aaaaaaaa", a date).
bool is_guessable_pattern(ZxcTypeMatch_t type) {
  switch (static_cast<int>(type) & ~static_cast<int>(MULTIPLE_MATCH)) {
    case DICTIONARY_MATCH:
    case DICT_LEET_MATCH:
    case USER_MATCH:
    case USER_LEET_MATCH:
    case REPEATS_MATCH:
    case SEQUENCE_MATCH:
    case SPATIAL_MATCH:
    case DATE_MATCH:
    case YEAR_MATCH:
      return true;
    default:
      return false;
  }
}

}  // namespace

std::size_t code_point_count(std::string_view utf8) {
  const auto* p = reinterpret_cast<const uint8_t*>(utf8.data());
  std::size_t left = utf8.size();
  std::size_t count = 0;
  while (left > 0) {
    ucs4_t uc = 0;
    const int len = u8_mbtoucr(&uc, p, left);
    // A byte that starts no valid character counts on its own, so garbage is never shorter than it looks.
    const std::size_t step = len > 0 ? static_cast<std::size_t>(len) : 1;
    p += step;
    left -= step;
    ++count;
  }
  return count;
}

bool is_common_password(std::string_view password) {
  // zxcvbn reads a C string: a NUL byte must not hide the rest of the password.
  std::string c_string(password);
  std::replace(c_string.begin(), c_string.end(), '\0', '\x01');
  // zxcvbn-c looks at the first 100 bytes in detail and estimates the rest as one block, so even a long
  // password costs a few milliseconds at most; nothing needs cutting here.
  ZxcMatch_t* raw_info = nullptr;
  const double bits = ZxcvbnMatch(c_string.c_str(), nullptr, &raw_info);
  const std::unique_ptr<ZxcMatch_t, free_info> info(raw_info);
  if (bits < common_password_max_bits) return true;
  const ZxcMatch_t* only = info.get();
  return only != nullptr && only->Next == nullptr && only->Begin == 0 &&
         static_cast<std::size_t>(only->Length) == c_string.size() && is_guessable_pattern(only->Type);
}

std::optional<password_problem> check_new_password(std::string_view password, const password_limits& limits) {
  const std::size_t length = code_point_count(password);
  if (length < limits.min_length) return password_problem::too_short;
  if (length > limits.max_length) return password_problem::too_long;
  if (is_common_password(password)) return password_problem::too_common;
  return std::nullopt;
}

}  // namespace authd::auth
