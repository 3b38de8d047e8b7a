// Why an address literal is not an IP address, in the words of Python's ipaddress module, which the
// email-validator library quotes when it rejects "user@[...]".
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "auth/python_text.hpp"

namespace authd::auth::ip_literal_syntax {

namespace detail {
inline std::vector<std::u32string_view> split(std::u32string_view s, char32_t sep) {
  std::vector<std::u32string_view> parts;
  std::size_t start = 0;
  for (;;) {
    const std::size_t at = s.find(sep, start);
    if (at == std::u32string_view::npos) {
      parts.push_back(s.substr(start));
      return parts;
    }
    parts.push_back(s.substr(start, at - start));
    start = at + 1;
  }
}

inline bool is_digit(char32_t c) {
  return c >= U'0' && c <= U'9';
}
inline bool is_hex(char32_t c) {
  return is_digit(c) || (c >= U'a' && c <= U'f') || (c >= U'A' && c <= U'F');
}

inline std::optional<std::string> octet_error(std::u32string_view octet) {
  using python_text::repr;
  if (octet.empty()) return "Empty octet not permitted";
  for (const char32_t c : octet) {
    if (!is_digit(c)) return "Only decimal digits permitted in " + repr(octet);
  }
  if (octet.size() > 3) return "At most 3 characters permitted in " + repr(octet);
  if (octet != U"0" && octet.front() == U'0') return "Leading zeros are not permitted in " + repr(octet);
  int value = 0;
  for (const char32_t c : octet) value = value * 10 + static_cast<int>(c - U'0');
  if (value > 255) return "Octet " + std::to_string(value) + " (> 255) not permitted";
  return std::nullopt;
}

inline std::optional<std::string> hextet_error(std::u32string_view hextet) {
  for (const char32_t c : hextet) {
    if (!is_hex(c)) return "Only hex digits permitted in " + python_text::repr(hextet);
  }
  if (hextet.size() > 4) return "At most 4 characters permitted in " + python_text::repr(hextet);
  return std::nullopt;
}
}  // namespace detail

// ipaddress.IPv4Address(s) failing, or nothing when s is a valid IPv4 address.
inline std::optional<std::string> ipv4_error(std::u32string_view s) {
  using python_text::repr;
  if (s.empty()) return "Address cannot be empty";
  const auto octets = detail::split(s, U'.');
  if (octets.size() != 4) return "Expected 4 octets in " + repr(s);
  for (const auto octet : octets) {
    if (auto error = detail::octet_error(octet)) return *error + " in " + repr(s);
  }
  return std::nullopt;
}

// ipaddress.IPv6Address(s) failing, or nothing when s is a valid IPv6 address.
inline std::optional<std::string> ipv6_error(std::u32string_view s) {
  using python_text::repr;
  constexpr std::size_t hextet_count = 8;
  if (s.find(U'/') != std::u32string_view::npos) return "Unexpected '/' in " + repr(s);
  const std::u32string_view full = s;
  if (const std::size_t percent = s.find(U'%'); percent != std::u32string_view::npos) {
    const std::u32string_view scope = s.substr(percent + 1);
    if (scope.empty() || scope.find(U'%') != std::u32string_view::npos) {
      return "Invalid IPv6 address: \"" + repr(full) + "\"";
    }
    s = s.substr(0, percent);
  }
  if (s.empty()) return "Address cannot be empty";
  auto parts = detail::split(s, U':');
  if (parts.size() < 3) return "At least 3 parts expected in " + repr(s);
  std::vector<std::u32string> owned;  // hextets standing in for an embedded IPv4 address
  if (parts.back().find(U'.') != std::u32string_view::npos) {
    if (auto error = ipv4_error(parts.back())) return *error + " in " + repr(s);
    parts.pop_back();
    owned = {U"0", U"0"};  // any valid hextets: only the count matters from here on
    parts.push_back(owned[0]);
    parts.push_back(owned[1]);
  }
  if (parts.size() > hextet_count + 1) {
    return "At most " + std::to_string(hextet_count) + " colons permitted in " + repr(s);
  }
  std::optional<std::size_t> skip_index;
  for (std::size_t i = 1; i + 1 < parts.size(); ++i) {
    if (parts[i].empty()) {
      if (skip_index) return "At most one '::' permitted in " + repr(s);
      skip_index = i;
    }
  }
  std::size_t parts_hi = 0;
  std::size_t parts_lo = 0;
  if (skip_index) {
    parts_hi = *skip_index;
    parts_lo = parts.size() - *skip_index - 1;
    if (parts.front().empty() && --parts_hi != 0)
      return "Leading ':' only permitted as part of '::' in " + repr(s);
    if (parts.back().empty() && --parts_lo != 0)
      return "Trailing ':' only permitted as part of '::' in " + repr(s);
    if (parts_hi + parts_lo >= hextet_count) {
      return "Expected at most " + std::to_string(hextet_count - 1) + " other parts with '::' in " + repr(s);
    }
  } else {
    if (parts.size() != hextet_count) {
      return "Exactly " + std::to_string(hextet_count) + " parts expected without '::' in " + repr(s);
    }
    if (parts.front().empty()) return "Leading ':' only permitted as part of '::' in " + repr(s);
    if (parts.back().empty()) return "Trailing ':' only permitted as part of '::' in " + repr(s);
    parts_hi = parts.size();
  }
  for (std::size_t i = 0; i < parts_hi; ++i) {
    if (auto error = detail::hextet_error(parts[i])) return *error + " in " + repr(s);
  }
  for (std::size_t i = parts.size() - parts_lo; i < parts.size(); ++i) {
    if (auto error = detail::hextet_error(parts[i])) return *error + " in " + repr(s);
  }
  return std::nullopt;
}

}  // namespace authd::auth::ip_literal_syntax
