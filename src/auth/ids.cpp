#include "auth/ids.hpp"

#include <sodium.h>

#include <array>
#include <cstdint>

#include "auth/sodium_init.hpp"

namespace authd::auth {
namespace {

constexpr std::array<std::size_t, 4> dash_positions{8, 13, 18, 23};
constexpr std::size_t uuid_length = 36;

bool is_hex_digit(char c) {
  return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
}

}  // namespace

std::string random_uuid() {
  ensure_sodium_initialized();
  std::array<std::uint8_t, 16> bytes{};
  randombytes_buf(bytes.data(), bytes.size());
  bytes[6] = static_cast<std::uint8_t>((bytes[6] & 0x0FU) | 0x40U);  // version 4 (RFC 4122 section 4.4)
  bytes[8] = static_cast<std::uint8_t>((bytes[8] & 0x3FU) | 0x80U);  // variant 10xx

  constexpr char digits[] = "0123456789abcdef";
  std::string text;
  text.reserve(uuid_length);
  for (std::size_t i = 0; i < bytes.size(); ++i) {
    if (i == 4 || i == 6 || i == 8 || i == 10) text.push_back('-');
    text.push_back(digits[bytes[i] >> 4U]);
    text.push_back(digits[bytes[i] & 0x0FU]);
  }
  return text;
}

bool is_uuid(std::string_view text) {
  if (text.size() != uuid_length) return false;
  std::size_t next_dash = 0;
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (next_dash < dash_positions.size() && i == dash_positions[next_dash]) {
      if (text[i] != '-') return false;
      ++next_dash;
    } else if (!is_hex_digit(text[i])) {
      return false;
    }
  }
  return true;
}

}  // namespace authd::auth
