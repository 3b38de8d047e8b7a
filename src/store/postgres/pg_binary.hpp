// PostgreSQL's binary wire formats for the types the store uses: UUID (16 bytes) and TIMESTAMPTZ
// (big-endian int8, microseconds since 2000-01-01 UTC), converted to and from the store's types.
#pragma once

#include <array>
#include <cstdint>
#include <limits>
#include <optional>
#include <string>
#include <string_view>

#include "store/store.hpp"

namespace authd::store::postgres::binary {

// 2000-01-01T00:00:00Z in microseconds since the Unix epoch.
inline constexpr micros postgres_epoch = 946'684'800'000'000;

using uuid_bytes = std::array<char, 16>;
using int8_bytes = std::array<char, 8>;

namespace detail {

inline int hex_value(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  return -1;  // upper case is not canonical: the store compares ids as SQLite does, byte for byte
}

inline bool is_hyphen_position(std::size_t i) {
  return i == 8 || i == 13 || i == 18 || i == 23;
}

}  // namespace detail

// Only the canonical lowercase form is an id: anything else names no row, as in the SQLite store.
inline std::optional<uuid_bytes> parse_uuid(std::string_view text) {
  if (text.size() != 36) return std::nullopt;
  uuid_bytes out{};
  std::size_t nibble = 0;
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (detail::is_hyphen_position(i)) {
      if (text[i] != '-') return std::nullopt;
      continue;
    }
    const int value = detail::hex_value(text[i]);
    if (value < 0) return std::nullopt;
    auto& byte = out[nibble / 2];
    byte = static_cast<char>(nibble % 2 == 0 ? value << 4 : (static_cast<unsigned char>(byte) | value));
    ++nibble;
  }
  return out;
}

inline std::string format_uuid(const uuid_bytes& bytes) {
  constexpr std::string_view digits = "0123456789abcdef";
  std::string out;
  out.reserve(36);
  for (std::size_t i = 0; i < bytes.size(); ++i) {
    if (i == 4 || i == 6 || i == 8 || i == 10) out.push_back('-');
    const auto byte = static_cast<unsigned char>(bytes[i]);
    out.push_back(digits[byte >> 4]);
    out.push_back(digits[byte & 0x0f]);
  }
  return out;
}

inline int8_bytes encode_int8(std::int64_t value) {
  const auto bits = static_cast<std::uint64_t>(value);
  int8_bytes out{};
  for (std::size_t i = 0; i < out.size(); ++i) out[i] = static_cast<char>(bits >> (56 - 8 * i));
  return out;
}

inline std::int64_t decode_int8(const char* bytes) {
  std::uint64_t bits = 0;
  for (std::size_t i = 0; i < 8; ++i) bits = (bits << 8) | static_cast<unsigned char>(bytes[i]);
  return static_cast<std::int64_t>(bits);
}

// Empty when the time cannot be represented on the wire (beyond int8 once shifted to 2000).
inline std::optional<int8_bytes> encode_timestamp(micros since_unix_epoch) {
  std::int64_t since_2000 = 0;
  if (__builtin_sub_overflow(since_unix_epoch, postgres_epoch, &since_2000)) return std::nullopt;
  return encode_int8(since_2000);
}

// PostgreSQL's -infinity and infinity are the int8 extremes; they and anything that would overflow
// saturate, so that an odd row read from a taken-over database cannot wrap around.
inline micros decode_timestamp(const char* bytes) {
  const std::int64_t since_2000 = decode_int8(bytes);
  micros out = 0;
  if (__builtin_add_overflow(since_2000, postgres_epoch, &out)) {
    return since_2000 < 0 ? std::numeric_limits<micros>::min() : std::numeric_limits<micros>::max();
  }
  if (since_2000 == std::numeric_limits<std::int64_t>::min()) return std::numeric_limits<micros>::min();
  return out;
}

}  // namespace authd::store::postgres::binary
