// Unicode helpers over libunistring (decoding, NFC, case folding, categories) for the input policies.
#pragma once

#include <unicase.h>
#include <unictype.h>
#include <uninorm.h>
#include <unistr.h>

#include <cstdlib>
#include <memory>
#include <new>
#include <optional>
#include <string>
#include <string_view>

namespace authd::auth::unicode_text {

namespace detail {
struct free_deleter {
  void operator()(void* p) const noexcept { std::free(p); }
};
template <class T>
using malloced = std::unique_ptr<T, free_deleter>;

// libunistring returns nullptr only when it cannot allocate.
template <class T>
malloced<T> checked(T* p) {
  if (p == nullptr) throw std::bad_alloc();
  return malloced<T>(p);
}

inline const uint8_t* bytes(std::string_view s) {
  return reinterpret_cast<const uint8_t*>(s.data());
}
inline const uint32_t* units(std::u32string_view s) {
  return reinterpret_cast<const uint32_t*>(s.data());
}
}  // namespace detail

// Code points of valid UTF-8, or nothing when any sequence is invalid (overlong, surrogate, truncated).
inline std::optional<std::u32string> decode(std::string_view utf8) {
  std::u32string out;
  out.reserve(utf8.size());
  const uint8_t* p = detail::bytes(utf8);
  std::size_t left = utf8.size();
  while (left > 0) {
    ucs4_t uc = 0;
    const int len = u8_mbtoucr(&uc, p, left);
    if (len <= 0) return std::nullopt;
    out.push_back(static_cast<char32_t>(uc));
    p += len;
    left -= static_cast<std::size_t>(len);
  }
  return out;
}

inline std::string encode(std::u32string_view text) {
  std::string out;
  out.reserve(text.size());
  for (const char32_t c : text) {
    uint8_t buf[6];
    const int len = u8_uctomb(buf, static_cast<ucs4_t>(c), sizeof buf);
    if (len > 0) out.append(reinterpret_cast<const char*>(buf), static_cast<std::size_t>(len));
  }
  return out;
}

inline std::string encode(char32_t c) {
  return encode(std::u32string_view(&c, 1));
}

inline std::u32string nfc(std::u32string_view text) {
  if (text.empty()) return {};
  std::size_t len = 0;
  auto out = detail::checked(u32_normalize(UNINORM_NFC, detail::units(text), text.size(), nullptr, &len));
  return std::u32string(reinterpret_cast<const char32_t*>(out.get()), len);
}

// Full Unicode case folding followed by the given normalization form.
inline std::u32string casefold(std::u32string_view text, uninorm_t form) {
  if (text.empty()) return {};
  std::size_t len = 0;
  auto out = detail::checked(u32_casefold(detail::units(text), text.size(), "", form, nullptr, &len));
  return std::u32string(reinterpret_cast<const char32_t*>(out.get()), len);
}

inline std::string casefold_nfc(std::string_view utf8) {
  if (utf8.empty()) return {};
  std::size_t len = 0;
  auto out = detail::checked(u8_casefold(detail::bytes(utf8), utf8.size(), "", UNINORM_NFC, nullptr, &len));
  return std::string(reinterpret_cast<const char*>(out.get()), len);
}

// Two-letter general category, e.g. "Lu", "Mn", "Cn".
inline std::string_view category(char32_t c) {
  const char* name = uc_general_category_name(uc_general_category(static_cast<ucs4_t>(c)));
  return name != nullptr ? std::string_view(name) : std::string_view("Cn");
}

inline char major_category(char32_t c) {
  return category(c).front();
}

// Python's str.isspace(), which both str.strip() and the re module's \s use.
inline bool is_python_space(char32_t c) {
  return (c >= 0x09 && c <= 0x0D) || (c >= 0x1C && c <= 0x20) || c == 0x85 || c == 0xA0 || c == 0x1680 ||
         (c >= 0x2000 && c <= 0x200A) || c == 0x2028 || c == 0x2029 || c == 0x202F || c == 0x205F ||
         c == 0x3000;
}

inline std::u32string_view strip_python_space(std::u32string_view s) {
  while (!s.empty() && is_python_space(s.front())) s.remove_prefix(1);
  while (!s.empty() && is_python_space(s.back())) s.remove_suffix(1);
  return s;
}

}  // namespace authd::auth::unicode_text
