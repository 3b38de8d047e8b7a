#include "auth/name_policy.hpp"

#include "auth/unicode_text.hpp"

namespace authd::auth {
namespace {

// C0, DEL and C1 controls, plus invisible characters that change how the text *around* a name is shown.
// Refused: bidi embeddings and overrides (U+202A..U+202E) and isolates (U+2066..U+2069), with which a name
// can make the rest of a line read backwards in an admin list or an email ("Trojan Source"), and the line
// and paragraph separators U+2028 / U+2029, which break lines and log records like a newline does.
// Allowed: the bidi marks U+200E / U+200F / U+061C and the joiners U+200C / U+200D, which right-to-left
// names, Persian and Indic spellings and emoji sequences need and which cannot reorder other text.
bool is_control_character(char32_t c) {
  return c <= 0x1F || (c >= 0x7F && c <= 0x9F) || (c >= 0x202A && c <= 0x202E) ||
         (c >= 0x2066 && c <= 0x2069) || c == 0x2028 || c == 0x2029;
}

}  // namespace

// Problems in the order a pydantic model would report them: the string itself, its length, then content.
std::optional<name_problem> check_name(std::string_view name) {
  if (name.empty()) return name_problem::too_short;
  const auto code_points = unicode_text::decode(name);
  if (!code_points) return name_problem::invalid_utf8;
  if (code_points->size() < name_min_length) return name_problem::too_short;
  if (code_points->size() > name_max_length) return name_problem::too_long;
  for (const char32_t c : *code_points) {
    if (is_control_character(c)) return name_problem::control_character;
  }
  return std::nullopt;
}

}  // namespace authd::auth
