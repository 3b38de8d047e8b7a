// How Python prints characters and strings (repr, unicodedata.name), so that email errors read exactly as
// the python email-validator library's do.
#pragma once

#include <uniname.h>

#include <cstdio>
#include <string>
#include <string_view>
#include <vector>

#include "auth/unicode_text.hpp"

namespace authd::auth::python_text {

inline bool is_printable(char32_t c) {
  if (c == U' ') return true;
  const char major = unicode_text::major_category(c);
  return major != 'C' && major != 'Z';
}

// repr() of a str.
inline std::string repr(std::u32string_view s) {
  const bool has_single = s.find(U'\'') != std::u32string_view::npos;
  const bool has_double = s.find(U'"') != std::u32string_view::npos;
  const char32_t quote = (has_single && !has_double) ? U'"' : U'\'';
  std::string out(1, static_cast<char>(quote));
  for (const char32_t c : s) {
    char buf[16];
    if (c == quote || c == U'\\') {
      out += '\\';
      out += static_cast<char>(c);
    } else if (c == U'\t') {
      out += "\\t";
    } else if (c == U'\n') {
      out += "\\n";
    } else if (c == U'\r') {
      out += "\\r";
    } else if (c < 0x7F && c >= 0x20) {
      out += static_cast<char>(c);
    } else if (c >= 0x80 && is_printable(c)) {
      out += unicode_text::encode(c);
    } else {
      if (c <= 0xFF) {
        std::snprintf(buf, sizeof buf, "\\x%02x", static_cast<unsigned>(c));
      } else if (c <= 0xFFFF) {
        std::snprintf(buf, sizeof buf, "\\u%04x", static_cast<unsigned>(c));
      } else {
        std::snprintf(buf, sizeof buf, "\\U%08x", static_cast<unsigned>(c));
      }
      out += buf;
    }
  }
  out += static_cast<char>(quote);
  return out;
}

// email-validator's safe_character_display(): visible characters quoted, the others by Unicode name (or
// code point), so an error message never carries an invisible or control character.
inline std::string character_display(char32_t c) {
  if (c == U'\\') return "\"\\\"";
  const char major = unicode_text::major_category(c);
  if (major == 'L' || major == 'N' || major == 'P' || major == 'S') return repr(std::u32string_view(&c, 1));
  char name[UNINAME_MAX];
  if (unicode_character_name(static_cast<ucs4_t>(c), name) != nullptr) return name;
  char hex[16];
  std::snprintf(hex, sizeof hex, c < 0xFFFF ? "U+%04X" : "U+%08X", static_cast<unsigned>(c));
  return hex;
}

inline std::string join_displays(const std::vector<char32_t>& chars) {
  std::string out;
  for (const char32_t c : chars) {
    if (!out.empty()) out += ", ";
    out += character_display(c);
  }
  return out;
}

}  // namespace authd::auth::python_text
