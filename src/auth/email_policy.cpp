#include "auth/email_policy.hpp"

#include <idn2.h>

#include <algorithm>
#include <array>
#include <cstdio>
#include <cstdlib>
#include <initializer_list>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "auth/ip_literal_syntax.hpp"
#include "auth/python_text.hpp"
#include "auth/unicode_text.hpp"

// This follows pydantic v2's EmailStr over email-validator 2.3 (the versions the original service locks),
// step by step and in the same order, so that the first problem found, and its sentence, are the same.
// Deliberate differences: IDNA runs on libidn2 instead of Python's idna package (same UTS-46 / IDNA2008
// rules; its rarest error texts are libidn2's own), and input that is not UTF-8 at all, which Python
// never sees, is refused with the library's generic "contains an invalid character" sentence.

namespace authd::auth {
namespace {

namespace ut = unicode_text;
using python_text::character_display;
using python_text::join_displays;
using text = std::u32string;
using text_view = std::u32string_view;
using reason = std::string;
using check = std::optional<reason>;  // nothing when the check passes

template <class T>
using checked = boost::system::result<T, reason>;

// The error side of any checked<T>. Needed because C++20 aggregates are constructible from a string, which
// disables result's implicit conversion from its error type.
struct refusal {
  reason why;
  template <class T>
  operator checked<T>() && {
    return checked<T>(boost::system::in_place_error, std::move(why));
  }
};
refusal refuse(reason why) {
  return refusal{std::move(why)};
}

constexpr std::size_t pydantic_max_length = 2048;  // pydantic's MAX_EMAIL_LENGTH, checked before anything
constexpr std::size_t email_max_length = 254;
constexpr std::size_t domain_max_length = 253;
constexpr std::size_t dns_label_max_length = 63;

// RFC 2142 mailboxes that email-validator lowercases.
constexpr std::array<std::u32string_view, 15> case_insensitive_mailboxes = {
    U"info",       U"marketing", U"sales", U"support",   U"abuse", U"noc",  U"security", U"postmaster",
    U"hostmaster", U"usenet",    U"news",  U"webmaster", U"www",   U"uucp", U"ftp"};

// email-validator's SPECIAL_USE_DOMAIN_NAMES.
constexpr std::array<std::string_view, 6> special_use_domains = {"arpa",      "invalid", "local",
                                                                 "localhost", "onion",   "test"};

// ---- character classes of email_validator/rfc_constants.py -------------------------------------------

bool is_ascii_alnum(char32_t c) {
  return (c >= U'a' && c <= U'z') || (c >= U'A' && c <= U'Z') || (c >= U'0' && c <= U'9');
}
bool is_ascii_alpha(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}
bool is_atext(char32_t c) {
  return is_ascii_alnum(c) || text_view(U"_!#$%&'*+-/=?^`{|}~").find(c) != text_view::npos;
}
bool is_atext_intl(char32_t c) {
  return is_atext(c) || c >= 0x80;
}
bool is_hostname_intl(char32_t c) {
  return is_ascii_alnum(c) || c == U'-' || c == U'.' || c >= 0x80;
}
bool is_label_separator(char32_t c) {
  return c == U'.' || c == 0x3002 || c == 0xFF0E || c == 0xFF61;
}

// DOT_ATOM_TEXT / DOT_ATOM_TEXT_INTL: non-empty runs of allowed characters joined by single dots.
template <class Pred>
bool is_dot_atom(text_view s, Pred allowed) {
  if (s.empty() || s.front() == U'.' || s.back() == U'.') return false;
  for (std::size_t i = 0; i < s.size(); ++i) {
    if (s[i] == U'.') {
      if (s[i + 1] == U'.') return false;
    } else if (!allowed(s[i])) {
      return false;
    }
  }
  return true;
}

// DOT_ATOM_TEXT_HOSTNAME: ASCII labels of letters and digits with inner hyphens.
bool is_ascii_hostname(text_view s) {
  if (!is_dot_atom(s, [](char32_t c) { return is_ascii_alnum(c) || c == U'-'; })) return false;
  for (std::size_t i = 0; i < s.size(); ++i) {
    if (s[i] != U'-') continue;
    if (i == 0 || i + 1 == s.size() || s[i - 1] == U'.' || s[i + 1] == U'.') return false;
  }
  return true;
}

template <class Pred>
std::vector<char32_t> sorted_unique(text_view s, Pred bad) {
  std::set<char32_t> found;
  for (const char32_t c : s) {
    if (bad(c)) found.insert(c);
  }
  return {found.begin(), found.end()};
}

std::vector<text_view> split(text_view s, char32_t sep) {
  std::vector<text_view> parts;
  std::size_t start = 0;
  for (;;) {
    const std::size_t at = s.find(sep, start);
    if (at == text_view::npos) {
      parts.push_back(s.substr(start));
      return parts;
    }
    parts.push_back(s.substr(start, at - start));
    start = at + 1;
  }
}

text ascii_lower(text_view s) {
  text out(s);
  for (char32_t& c : out) {
    if (c >= U'A' && c <= U'Z') c += U'a' - U'A';
  }
  return out;
}

std::string length_reason(std::size_t length, std::size_t limit) {
  const std::size_t diff = length - limit;
  return "(" + std::to_string(diff) + " character" + (diff > 1 ? "s" : "") + " too many)";
}

// ---- shared checks (syntax.py) -----------------------------------------------------------------------

check check_unsafe_chars(text_view s, bool allow_space) {
  std::set<char32_t> bad;
  for (std::size_t i = 0; i < s.size(); ++i) {
    const std::string_view category = ut::category(s[i]);
    switch (category.front()) {
      case 'L':
      case 'N':
      case 'P':
      case 'S':
        break;
      case 'M':
        // A leading combining mark would merge with whatever text precedes the address.
        if (i == 0) bad.insert(s[i]);
        break;
      case 'Z':
        if (category != "Zs" || !allow_space) bad.insert(s[i]);
        break;
      default:  // controls, format (bidi) characters, surrogates, private use, unassigned
        bad.insert(s[i]);
    }
  }
  if (bad.empty()) return std::nullopt;
  return "The email address contains unsafe characters: " + join_displays({bad.begin(), bad.end()}) + ".";
}

struct dot_atom_wording {
  std::string_view start;  // "{}" stands for "period" or "hyphen"
  std::string_view end;
};
constexpr dot_atom_wording local_part_wording{
    "An email address cannot start with a {}.",
    "An email address cannot have a {} immediately before the @-sign."};
constexpr dot_atom_wording domain_wording{"An email address cannot have a {} immediately after the @-sign.",
                                          "An email address cannot end with a {}."};

std::string fill(std::string_view pattern, std::string_view word) {
  std::string out(pattern);
  out.replace(out.find("{}"), 2, word);
  return out;
}

check check_dot_atom(text_view label, dot_atom_wording wording, bool is_hostname) {
  const auto contains = [label](text_view needle) { return label.find(needle) != text_view::npos; };
  if (!label.empty() && label.back() == U'.') return fill(wording.end, "period");
  if (!label.empty() && label.front() == U'.') return fill(wording.start, "period");
  if (contains(U"..")) return "An email address cannot have two periods in a row.";
  if (is_hostname) {
    if (!label.empty() && label.back() == U'-') return fill(wording.end, "hyphen");
    if (!label.empty() && label.front() == U'-') return fill(wording.start, "hyphen");
    if (contains(U".-") || contains(U"-.")) {
      return "An email address cannot have a period and a hyphen next to each other.";
    }
  }
  return std::nullopt;
}

// ---- pydantic's "Display Name <address>" convenience (pretty_email_regex) ----------------------------

bool is_pretty_name_char(char32_t c) {  // [\w!#$%&'*+\-/=?^_`{|}~] with Python's Unicode \w
  if (is_atext(c)) return true;
  const char major = ut::major_category(c);
  return major == 'L' || major == 'N';
}

// The address inside the angle brackets when the whole input matches pydantic's regex
// \s*(?:(name words)|"(quoted name)")?\s*<(.+)>\s*
std::optional<text_view> pretty_address(text_view s) {
  // "<(.+)>\s*" at the end: the address closes at the last non-space character.
  std::size_t close = s.size();
  while (close > 0 && ut::is_python_space(s[close - 1])) --close;
  if (close == 0 || s[close - 1] != U'>') return std::nullopt;
  const std::size_t gt = close - 1;
  const auto address_from = [s, gt](std::size_t lt) -> std::optional<text_view> {
    if (lt + 1 >= gt || s[lt] != U'<') return std::nullopt;
    const text_view inner = s.substr(lt + 1, gt - lt - 1);
    if (inner.find(U'\n') != text_view::npos) return std::nullopt;  // "." does not match a newline
    return inner;
  };
  const auto skip_space = [s](std::size_t i) {
    while (i < s.size() && ut::is_python_space(s[i])) ++i;
    return i;
  };
  std::size_t at = skip_space(0);
  if (is_pretty_name_char(s[at])) {
    for (;;) {
      while (at < s.size() && is_pretty_name_char(s[at])) ++at;
      at = skip_space(at);
      if (at >= s.size() || !is_pretty_name_char(s[at])) break;
    }
    return at < s.size() ? address_from(at) : std::nullopt;
  }
  if (s[at] == U'"') {
    // The name group is greedy: the regex tries the last closing quote first, then earlier ones.
    for (std::size_t quote = gt; quote-- > at + 2;) {
      if (s[quote] != U'"') continue;
      if (const std::size_t lt = skip_space(quote + 1); lt < gt) {
        if (auto address = address_from(lt)) return address;
      }
    }
    return std::nullopt;
  }
  return address_from(at);
}

// ---- split_email() ---------------------------------------------------------------------------------

bool has_canonical_decomposition(char32_t c) {
  int tag = 0;
  ucs4_t decomposition[UC_DECOMPOSITION_MAX_LENGTH];
  return uc_decomposition(static_cast<ucs4_t>(c), &tag, decomposition) > 0 && tag == UC_DECOMP_CANONICAL;
}

int combining_class(char32_t c) {
  return uc_combining_class(static_cast<ucs4_t>(c));
}

// Whether NFC changes the first character of s[i:], i.e. s[i] combines with what follows (like "<" and
// U+0338 becoming U+226E). Only the characters up to the next starter can take part in that.
bool combines_with_following(text_view s, std::size_t i) {
  constexpr std::size_t window_cap = 64;  // runs of combining marks longer than this are not text
  const std::size_t end = std::min(s.size(), i + window_cap);
  const char32_t c = s[i];
  bool decomposes = has_canonical_decomposition(c);
  std::size_t next_starter = i + 1;  // the next character NFC cannot pull into c's run
  while (next_starter < end &&
         (combining_class(s[next_starter]) != 0 || has_canonical_decomposition(s[next_starter]))) {
    decomposes = decomposes || has_canonical_decomposition(s[next_starter]);
    ++next_starter;
  }
  // Cheap exact answers first, as this runs once per character of attacker-controlled input.
  if (!decomposes && combining_class(c) != 0) {
    // A leading mark stays first unless canonical ordering moves a lower-class mark before it.
    for (std::size_t k = i + 1; k < next_starter; ++k) {
      if (combining_class(s[k]) < combining_class(c)) return true;
    }
    return false;
  }
  if (!decomposes && next_starter == i + 1 &&
      (next_starter == end || uc_composition(static_cast<ucs4_t>(c), s[next_starter]) == 0)) {
    return false;  // a starter with nothing to compose with
  }
  const text normalized = ut::nfc(s.substr(i, std::min(next_starter + 1, end) - i));
  return normalized.empty() || normalized.front() != c;
}

checked<std::pair<text_view, text_view>> split_at_unquoted_special(text_view s, bool angle_bracket_too) {
  bool inside_quote = false;
  bool escaped = false;
  std::size_t i = 0;
  for (; i < s.size(); ++i) {
    const char32_t c = s[i];
    const bool special = c == U'@' || (angle_bracket_too && c == U'<');
    if ((inside_quote || special || c == U'"') && combines_with_following(s, i)) continue;
    if (inside_quote) {
      if (c == U'\\' && !escaped) {
        escaped = true;
      } else if (c == U'"' && !escaped) {
        inside_quote = false;
        escaped = false;
      } else {
        escaped = false;
      }
    } else if (c == U'"') {
      inside_quote = true;
    } else if (special) {
      break;
    }
  }
  if (i == s.size()) {
    const auto at_sign_like = [s](char32_t c, std::string_view name) -> check {
      if (s.find(c) == text_view::npos) return std::nullopt;
      return "The email address has the " + std::string(name) + " character instead of a regular at-sign.";
    };
    if (auto r = at_sign_like(0xFF20, "\"full-width\" at-sign (@)")) return refuse(*r);
    if (auto r = at_sign_like(0xFE6B, "\"small commercial at\"")) return refuse(*r);
    return refuse(reason("An email address must have an @-sign."));
  }
  return std::pair{s.substr(0, i), s.substr(i)};
}

// Removes surrounding quotes and backslash escapes; says whether there were quotes.
checked<std::pair<text, bool>> unquote_quoted_string(text_view s) {
  bool quoted = false;
  bool escaped = false;
  text value;
  for (std::size_t i = 0; i < s.size(); ++i) {
    const char32_t c = s[i];
    if (quoted) {
      if (escaped) {
        value += c;
        escaped = false;
      } else if (c == U'\\') {
        escaped = true;
      } else if (c == U'"') {
        if (i != s.size() - 1) {
          const text_view rest = s.substr(i + 1);
          return refuse("Extra character(s) found after close quote: " +
                        join_displays({rest.begin(), rest.end()}) + ".");
        }
        break;
      } else {
        value += c;
      }
    } else if (i == 0 && c == U'"') {
      quoted = true;
    } else {
      value += c;
    }
  }
  return std::pair{std::move(value), quoted};
}

text_view rstrip(text_view s, bool (*strip)(char32_t)) {
  while (!s.empty() && strip(s.back())) s.remove_suffix(1);
  return s;
}

struct split_address {
  bool has_display_name = false;
  text local;
  text_view domain;
  bool quoted_local = false;
};

checked<split_address> split_email(text_view email) {
  split_address out;
  auto halves = split_at_unquoted_special(email, true);
  if (!halves) return refuse(halves.error());
  auto [left, right] = *halves;
  text_view local = left;
  text_view domain = right;
  if (!right.empty() && right.front() == U'<') {
    out.has_display_name = true;
    left = rstrip(left, ut::is_python_space);
    auto name = unquote_quoted_string(left);
    if (!name) return refuse(name.error());
    if (!name->second) {
      const auto bad =
          sorted_unique(name->first, [](char32_t c) { return (!is_atext(c) && c != U' ') || c == U'.'; });
      if (!bad.empty()) {
        return refuse("The display name contains invalid characters when not quoted: " + join_displays(bad) +
                      ".");
      }
    }
    if (auto r = check_unsafe_chars(name->first, true)) return refuse(*r);
    if (right.find(U'>') == text_view::npos) {
      return refuse(
          reason("An open angle bracket at the start of the email address has to be followed by "
                 "a close angle bracket at the end."));
    }
    right = rstrip(right, [](char32_t c) { return c == U' '; });
    if (right.back() != U'>') return refuse(reason("There can't be anything after the email address."));
    const text_view address = rstrip(right.substr(1), [](char32_t c) { return c == U'>'; });
    auto parts = split_at_unquoted_special(address, false);
    if (!parts) return refuse(parts.error());
    local = parts->first;
    domain = parts->second;
  }
  if (!domain.empty() && domain.front() == U'@') domain.remove_prefix(1);
  auto unquoted = unquote_quoted_string(local);
  if (!unquoted) return refuse(unquoted.error());
  out.local = std::move(unquoted->first);
  out.quoted_local = unquoted->second;
  out.domain = domain;
  return out;
}

// ---- the local part ----------------------------------------------------------------------------------

struct local_part_info {
  text local;
  bool smtputf8 = false;  // true when no ASCII form exists
};

checked<local_part_info> validate_local_part(text_view local, bool quoted) {
  if (local.empty()) return refuse(reason("There must be something before the @-sign."));
  // email-validator 2.3 checks the 64-character limit only with strict=True, which pydantic does not pass.
  if (is_dot_atom(local, is_atext)) return local_part_info{text(local), false};

  enum class form { none, dot_atom, quoted_string } valid = form::none;
  bool smtputf8 = false;
  if (is_dot_atom(local, is_atext_intl)) {
    valid = form::dot_atom;
    smtputf8 = true;
  } else if (quoted) {
    const auto bad = sorted_unique(local, [](char32_t c) { return c < 0x20 || c == 0x7F; });
    if (!bad.empty()) {
      return refuse("The email address contains invalid characters before the @-sign: " + join_displays(bad) +
                    ".");
    }
    smtputf8 = std::any_of(local.begin(), local.end(), [](char32_t c) { return c < 32 || c > 126; });
    valid = form::quoted_string;
  }
  if (valid != form::none) {
    if (auto r = check_unsafe_chars(local, valid == form::quoted_string)) return refuse(*r);
    if (valid == form::dot_atom) return local_part_info{text(local), smtputf8};
    text requoted = U"\"";
    for (const char32_t c : local) {
      if (c == U'"' || c == U'\\') requoted += U'\\';
      requoted += c;
    }
    requoted += U'"';
    return local_part_info{std::move(requoted), smtputf8};
  }

  const auto bad = sorted_unique(local, [](char32_t c) { return !is_atext_intl(c) && c != U'.'; });
  if (!bad.empty()) {
    return refuse("The email address contains invalid characters before the @-sign: " + join_displays(bad) +
                  ".");
  }
  if (auto r = check_dot_atom(local, local_part_wording, false)) return refuse(*r);
  return refuse(reason("The email address contains invalid characters before the @-sign."));
}

// ---- the domain part ---------------------------------------------------------------------------------

// email-validator's uts46_valid_char(): characters UTS-46 would refuse, caught first for a clearer message.
bool is_uts46_valid_char(char32_t c) {
  if (c >= 0x80 && c <= 0x9F) return false;
  if ((c >= 0x2010 && c <= 0x2060 && !(c >= 0x2024 && c <= 0x2026) && !(c >= 0x2028 && c <= 0x202E)) ||
      c == 0x00AD || c == 0x2064 || c == 0xFF0E || (c >= 0x200B && c <= 0x200D) ||
      (c >= 0x1BCA0 && c <= 0x1BCA3)) {
    return true;
  }
  const std::string_view category = ut::category(c);
  for (const std::string_view refused : {"Cf", "Cn", "Co", "Cs", "Zs", "Zl", "Zp"}) {
    if (category == refused) return false;
  }
  int tag = 0;
  ucs4_t decomposition[UC_DECOMPOSITION_MAX_LENGTH];
  const int length = uc_decomposition(static_cast<ucs4_t>(c), &tag, decomposition);
  return std::find(decomposition, decomposition + std::max(length, 0), 0x2E) ==
         decomposition + std::max(length, 0);
}

// UTS-46 mapping (non-transitional), as far as the structural checks need it: label separators become ".",
// letters are case-folded and compatibility forms (full-width letters, dots, hyphens) take their plain form.
// libidn2 does the exact mapping when the domain is encoded.
text uts46_remap(text_view domain) {
  text mapped;
  for (const char32_t c : domain) {
    if (is_label_separator(c)) {
      mapped += U'.';
    } else if (c < 0x80) {
      mapped += (c >= U'A' && c <= U'Z') ? c + (U'a' - U'A') : c;
    } else if (c == 0xDF || c == 0x3C2) {
      mapped += c;  // deviation characters stay as they are in non-transitional processing
    } else if (!uc_is_property_default_ignorable_code_point(static_cast<ucs4_t>(c))) {
      mapped += ut::casefold(text_view(&c, 1), UNINORM_NFKC);
    }
  }
  return ut::nfc(mapped);
}

// The idna package's wording for a label it refuses, from libidn2's verdict on the same label.
std::string idna_error(int rc, text_view label) {
  using python_text::repr;
  const auto position = [](std::size_t i) { return std::to_string(i + 1); };
  const auto code_point = [](char32_t c) {
    char buf[16];
    std::snprintf(buf, sizeof buf, "U+%04X", static_cast<unsigned>(c));
    return std::string(buf);
  };
  switch (rc) {
    case IDN2_TOO_BIG_LABEL:
    case IDN2_TOO_BIG_DOMAIN:  // a single label can only exceed the domain limit by being too long
    case IDN2_PUNYCODE_BIG_OUTPUT:
    case IDN2_PUNYCODE_OVERFLOW:
      return "Label too long";
    case IDN2_PUNYCODE_BAD_INPUT:
      return "Invalid A-label";
    case IDN2_NOT_NFC:
      return "Label must be in Normalization Form C";
    case IDN2_2HYPHEN:
      return "Label has disallowed hyphens in 3rd and 4th position";
    case IDN2_HYPHEN_STARTEND:
      return "Label must not start or end with a hyphen";
    case IDN2_LEADING_COMBINING:
      return "Label begins with an illegal combining character";
    case IDN2_CONTEXTJ:
    case IDN2_CONTEXTJ_NO_RULE:
      for (std::size_t i = 0; i < label.size(); ++i) {
        if (label[i] == 0x200C || label[i] == 0x200D) {
          return "Joiner " + code_point(label[i]) + " not allowed at position " + position(i) + " in " +
                 repr(label);
        }
      }
      break;
    case IDN2_CONTEXTO:
    case IDN2_CONTEXTO_NO_RULE:
      for (std::size_t i = 0; i < label.size(); ++i) {
        const char32_t c = label[i];
        if (c == 0xB7 || c == 0x375 || c == 0x5F3 || c == 0x5F4 || c == 0x30FB ||
            (c >= 0x660 && c <= 0x669) || (c >= 0x6F0 && c <= 0x6F9)) {
          return "Codepoint " + code_point(c) + " not allowed at position " + position(i) + " in " +
                 repr(label);
        }
      }
      break;
    case IDN2_DISALLOWED:
    case IDN2_UNASSIGNED:
      // Find which code point IDNA2008 refuses by asking about each one after a harmless letter.
      for (std::size_t i = 0; i < label.size(); ++i) {
        const std::string probe = "a" + ut::encode(label[i]);
        uint8_t* out = nullptr;
        const int probe_rc =
            idn2_lookup_u8(reinterpret_cast<const uint8_t*>(probe.c_str()), &out, IDN2_NO_TR46);
        std::free(out);
        if (probe_rc == IDN2_DISALLOWED || probe_rc == IDN2_UNASSIGNED) {
          return "Codepoint " + code_point(label[i]) + " at position " + position(i) + " of " + repr(label) +
                 " not allowed";
        }
      }
      break;
    default:
      break;
  }
  return idn2_strerror(rc);
}

// libidn2's lookup of one label (UTS-46 mapping, IDNA2008 for lookup): its ASCII form or an error code.
std::pair<int, std::string> idn2_lookup_label(const std::string& label_utf8) {
  uint8_t* out = nullptr;
  const int rc = idn2_lookup_u8(reinterpret_cast<const uint8_t*>(label_utf8.c_str()), &out,
                                IDN2_NFC_INPUT | IDN2_NONTRANSITIONAL);
  std::unique_ptr<uint8_t, ut::detail::free_deleter> owned(out);
  if (rc != IDN2_OK) return {rc, {}};
  return {rc, reinterpret_cast<const char*>(out)};
}

// idna.ulabel() of an "xn--" label: its Unicode form, which must pass every IDNA2008 rule. The idna
// package applies the registration rules (CONTEXTO included), which libidn2's lookup leaves out.
checked<text> decode_alabel(text_view label) {
  if (label.size() == 4) return refuse(reason("Malformed A-label, no Punycode eligible content found"));
  if (label.back() == U'-') return refuse(reason("A-label must not end with a hyphen"));
  const std::string alabel = ut::encode(ascii_lower(label));
  char* decoded = nullptr;
  const int rc = idn2_to_unicode_8z8z(alabel.c_str(), &decoded, 0);
  std::unique_ptr<char, ut::detail::free_deleter> owned(decoded);
  if (rc != IDN2_OK) return refuse(reason("Invalid A-label"));
  auto ulabel = ut::decode(decoded);
  if (!ulabel || ulabel->empty()) return refuse(reason("Invalid A-label"));
  uint8_t* registered = nullptr;
  const int check_rc = idn2_register_u8(reinterpret_cast<const uint8_t*>(decoded), nullptr, &registered, 0);
  std::free(registered);
  if (check_rc != IDN2_OK) return refuse(idna_error(check_rc, *ulabel));
  return std::move(*ulabel);
}

bool is_alabel(text_view label) {
  return label.size() >= 4 && ascii_lower(label.substr(0, 4)) == U"xn--";
}

// idna.decode(): the Unicode form of an ASCII domain, checking that any "xn--" label really is IDNA.
checked<text> idna_decode(std::string_view ascii_domain) {
  text out;
  const text ascii(ascii_domain.begin(), ascii_domain.end());
  const auto labels = split(ascii, U'.');
  for (std::size_t k = 0; k < labels.size(); ++k) {
    if (k > 0) out += U'.';
    if (!is_alabel(labels[k])) {
      out += ascii_lower(labels[k]);
      continue;
    }
    auto ulabel = decode_alabel(labels[k]);
    if (!ulabel) return refuse(ulabel.error());
    out += *ulabel;
  }
  return out;
}

struct domain_info {
  std::string ascii;
  text unicode;  // the form the normalized address shows
};

checked<domain_info> validate_domain_name(text_view domain) {
  const auto invalid = [](std::string_view where, const std::vector<char32_t>& bad) {
    return "The part after the @-sign contains invalid characters" + std::string(where) + ": " +
           join_displays(bad) + ".";
  };
  if (auto bad = sorted_unique(domain, [](char32_t c) { return !is_hostname_intl(c); }); !bad.empty()) {
    return refuse(invalid("", bad));
  }
  if (auto r = check_unsafe_chars(domain, false)) return refuse(*r);
  if (auto bad = sorted_unique(domain, [](char32_t c) { return !is_uts46_valid_char(c); }); !bad.empty()) {
    return refuse(invalid("", bad));
  }
  const text mapped = uts46_remap(domain);
  if (auto bad = sorted_unique(mapped, [](char32_t c) { return !is_hostname_intl(c); }); !bad.empty()) {
    return refuse(invalid(" after Unicode normalization", bad));
  }
  if (auto r = check_dot_atom(mapped, domain_wording, true)) return refuse(*r);
  const auto mapped_labels = split(mapped, U'.');
  for (const text_view label : mapped_labels) {
    const bool xn =
        label.size() >= 2 && (label[0] == U'x' || label[0] == U'X') && (label[1] == U'n' || label[1] == U'N');
    if (label.size() >= 4 && label[2] == U'-' && label[3] == U'-' && !xn) {
      return refuse(
          reason("An email address cannot have two letters followed by two dashes immediately "
                 "after the @-sign or after a period, except Punycode."));
    }
  }

  std::string ascii;
  if (is_ascii_hostname(mapped)) {
    ascii = ut::encode(mapped);
  } else {
    // Label by label, like idna.alabel(), so that an over-long domain is reported by the length check below.
    std::vector<text_view> raw_labels;
    std::size_t start = 0;
    for (std::size_t i = 0; i <= domain.size(); ++i) {
      if (i == domain.size() || is_label_separator(domain[i])) {
        raw_labels.push_back(domain.substr(start, i - start));
        start = i + 1;
      }
    }
    for (std::size_t k = 0; k < raw_labels.size(); ++k) {
      const auto [rc, alabel] = idn2_lookup_label(ut::encode(raw_labels[k]));
      if (rc != IDN2_OK) {
        const text_view label = k < mapped_labels.size() ? mapped_labels[k] : raw_labels[k];
        return refuse("The part after the @-sign is invalid (" + idna_error(rc, label) + ").");
      }
      if (const text ascii_label(alabel.begin(), alabel.end()); is_alabel(ascii_label)) {
        if (auto ulabel = decode_alabel(ascii_label); !ulabel) {
          return refuse("The part after the @-sign is invalid (" + ulabel.error() + ").");
        }
      }
      if (k > 0) ascii += '.';
      ascii += alabel;
    }
    if (!is_ascii_hostname(text(ascii.begin(), ascii.end()))) {
      return refuse(
          reason("The email address contains invalid characters after the @-sign after IDNA encoding."));
    }
  }

  if (ascii.size() > domain_max_length) {
    if (text(ascii.begin(), ascii.end()) == domain) {
      return refuse("The email address is too long after the @-sign " +
                    length_reason(ascii.size(), domain_max_length) + ".");
    }
    const std::size_t diff = ascii.size() - domain_max_length;
    return refuse("The email address is too long after the @-sign (" + std::to_string(diff) + " byte" +
                  (diff == 1 ? "" : "s") + " too many after IDNA encoding).");
  }
  std::size_t label_start = 0;
  for (std::size_t i = 0; i <= ascii.size(); ++i) {
    if (i < ascii.size() && ascii[i] != '.') continue;
    if (i - label_start > dns_label_max_length) {
      return refuse("After the @-sign, periods cannot be separated by so many characters " +
                    length_reason(i - label_start, dns_label_max_length) + ".");
    }
    label_start = i + 1;
  }
  if (ascii.find('.') == std::string::npos) {
    return refuse(reason("The part after the @-sign is not valid. It should have a period."));
  }
  if (!is_ascii_alpha(ascii.back())) {
    return refuse(
        reason("The part after the @-sign is not valid. It is not within a valid top-level domain."));
  }
  for (const std::string_view special : special_use_domains) {
    const bool is_under = ascii.size() > special.size() &&
                          std::string_view(ascii).substr(ascii.size() - special.size()) == special &&
                          ascii[ascii.size() - special.size() - 1] == '.';
    if (ascii == special || is_under) {
      return refuse(reason(
          "The part after the @-sign is a special-use or reserved name that cannot be used with email."));
    }
  }
  auto unicode = idna_decode(ascii);
  if (!unicode) return refuse("The part after the @-sign is not valid IDNA (" + unicode.error() + ").");
  if (auto bad = sorted_unique(*unicode, [](char32_t c) { return !is_hostname_intl(c); }); !bad.empty()) {
    return refuse(invalid(" after Unicode normalization", bad));
  }
  if (auto r = check_unsafe_chars(*unicode, false)) return refuse(*r);
  return domain_info{std::move(ascii), std::move(*unicode)};
}

// "[...]" after the @-sign: never allowed (pydantic keeps allow_domain_literal=False), but the library
// still says what is wrong with a malformed one first.
reason domain_literal_error(text_view literal) {
  bool ipv4_shaped = !literal.empty();
  for (std::size_t i = 0; i < literal.size(); ++i) {
    const char32_t c = literal[i];
    // re.match(r"^[0-9\.]+$") also accepts one final newline.
    const bool final_newline = c == U'\n' && i + 1 == literal.size() && i > 0;
    if (!((c >= U'0' && c <= U'9') || c == U'.' || final_newline)) ipv4_shaped = false;
  }
  if (ipv4_shaped) {
    if (auto error = ip_literal_syntax::ipv4_error(literal)) {
      return "The address in brackets after the @-sign is not valid: It is not an IPv4 address (" + *error +
             ") or is missing an address literal tag.";
    }
  } else if (literal.substr(0, 5) == U"IPv6:") {
    if (auto error = ip_literal_syntax::ipv6_error(literal.substr(5))) {
      return "The IPv6 address in brackets after the @-sign is not valid (" + *error + ").";
    }
  } else if (literal.find(U':') == text_view::npos) {
    return "The part after the @-sign in brackets is not an IPv4 address and has no address literal tag.";
  } else {
    if (auto bad = sorted_unique(literal, [](char32_t c) { return c < 0x21 || c > 0xFA; }); !bad.empty()) {
      return "The part after the @-sign contains invalid characters in brackets: " + join_displays(bad) + ".";
    }
    return "The part after the @-sign contains an invalid address literal tag in brackets.";
  }
  return "A bracketed IP address after the @-sign is not allowed here.";
}

// ---- whole-address length (validate_email_length) ----------------------------------------------------

check check_length(text_view address, std::optional<std::string_view> after) {
  std::size_t utf8_length = 0;
  std::size_t widest = 1;
  for (const char32_t c : address) {
    const std::size_t width = c < 0x80 ? 1 : c < 0x800 ? 2 : c < 0x10000 ? 3 : 4;
    utf8_length += width;
    widest = std::max(widest, width);
  }
  if (utf8_length <= email_max_length) return std::nullopt;
  const std::size_t diff = utf8_length - email_max_length;
  const std::string plural = diff > 1 ? "s" : "";
  std::string why;
  if (after) {
    why = std::string(*after) + " (" + std::to_string(diff) + " byte" + plural + " too many)";
  } else if (address.size() == utf8_length) {
    why = length_reason(address.size(), email_max_length);
  } else {
    // Bytes over the limit, as a range of characters since characters have different widths.
    const std::size_t chars = std::max<std::size_t>(1, diff / widest);
    why = chars == diff ? "(" + std::to_string(diff) + " character" + plural + " too many)"
                        : "(" + std::to_string(chars) + "-" + std::to_string(diff) + " character" + plural +
                              " too many)";
  }
  return "The email address is too long " + why + ".";
}

// ---- validate_email() --------------------------------------------------------------------------------

checked<text> validate_email(text_view email) {
  auto split_result = split_email(email);
  if (!split_result) return refuse(split_result.error());
  split_address& parts = *split_result;
  const text original =
      (parts.quoted_local ? U"\"" + parts.local + U"\"" : parts.local) + U"@" + text(parts.domain);

  auto local_info = validate_local_part(parts.local, parts.quoted_local);
  if (!local_info) return refuse(local_info.error());
  text local = std::move(local_info->local);
  const bool smtputf8 = local_info->smtputf8;
  // RFC 6532 asks for NFC; the normalized form must be valid too, as callers store that one.
  if (text normalized = ut::nfc(local); normalized != local) {
    if (auto again = validate_local_part(normalized, parts.quoted_local); !again) {
      return refuse("After Unicode normalization: " + again.error());
    }
    local = std::move(normalized);
  }
  if (parts.quoted_local) return refuse(reason("Quoting the part before the @-sign is not allowed here."));
  if (!smtputf8) {
    const text lower = ascii_lower(local);
    if (std::find(case_insensitive_mailboxes.begin(), case_insensitive_mailboxes.end(), lower) !=
        case_insensitive_mailboxes.end()) {
      local = lower;
    }
  }

  if (parts.domain.empty()) return refuse(reason("There must be something after the @-sign."));
  if (parts.domain.front() == U'[' && parts.domain.back() == U']') {
    const text_view literal =
        parts.domain.size() >= 2 ? parts.domain.substr(1, parts.domain.size() - 2) : text_view{};
    return refuse(domain_literal_error(literal));
  }
  auto domain = validate_domain_name(parts.domain);
  if (!domain) return refuse(domain.error());

  const text normalized = local + U"@" + domain->unicode;
  const text with_ascii_domain = local + U"@" + text(domain->ascii.begin(), domain->ascii.end());
  if (auto r = check_length(original, std::nullopt)) return refuse(*r);
  if (auto r = check_length(normalized, "after normalization")) return refuse(*r);
  if (auto r = check_length(with_ascii_domain, "when the part after the @-sign is converted to IDNA ASCII")) {
    return refuse(*r);
  }

  if (parts.has_display_name) {
    return refuse(
        reason("A display name and angle brackets around the email address are not permitted here."));
  }
  return normalized;
}

}  // namespace

boost::system::result<normalized_email, std::string> normalize_email(std::string_view input) {
  const auto decoded = ut::decode(input);
  if (!decoded) return refuse(std::string("The email address contains an invalid character."));
  if (decoded->size() > pydantic_max_length) {
    return refuse("Length must not exceed " + std::to_string(pydantic_max_length) + " characters");
  }
  text_view value = *decoded;
  if (const auto inner = pretty_address(value)) value = *inner;
  auto normalized = validate_email(ut::strip_python_space(value));
  if (!normalized) return refuse(normalized.error());
  std::string email = ut::encode(*normalized);
  std::string key = ut::casefold_nfc(email);
  return normalized_email{std::move(email), std::move(key)};
}

}  // namespace authd::auth

namespace authd::auth {

std::string stored_email_key(std::string_view email) {
  if (auto normalized = normalize_email(email)) return std::move(normalized->key);
  if (ut::decode(email)) return ut::casefold_nfc(email);
  return std::string(email);  // not even UTF-8: only an exact match can find it
}

}  // namespace authd::auth
