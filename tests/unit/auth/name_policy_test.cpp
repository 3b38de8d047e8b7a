// Display-name rules: length in code points, valid UTF-8, no control or text-reordering characters.
#include "auth/name_policy.hpp"

#include <gtest/gtest.h>

#include <ostream>
#include <string>

namespace authd::auth {
namespace {

std::string repeat(std::string_view unit, int times) {
  std::string out;
  for (int i = 0; i < times; ++i) out += unit;
  return out;
}

class name_accepted : public testing::TestWithParam<std::string> {};

TEST_P(name_accepted, passes) {
  EXPECT_EQ(check_name(GetParam()), std::nullopt) << GetParam();
}

INSTANTIATE_TEST_SUITE_P(names, name_accepted,
                         testing::Values("A", "Ada Lovelace", "Zoë", "O'Brien-Smith", "李小龍", "محمد",
                                         "नमस्ते", " ",
                                         "\u200Fשלום\u200E 2",  // right-to-left and left-to-right marks
                                         "می\u200Cخواهم",       // zero-width non-joiner (Persian)
                                         "\U0001F469\u200D\U0001F4BB",  // zero-width joiner (emoji sequence)
                                         "Robert'); DROP TABLE users;--", repeat("a", 256),
                                         repeat("é", 256)));

struct refused_name {
  std::string name;
  name_problem problem;
  friend void PrintTo(const refused_name& c, std::ostream* os) { *os << testing::PrintToString(c.name); }
};

class name_refused : public testing::TestWithParam<refused_name> {};

TEST_P(name_refused, reports_the_problem) {
  EXPECT_EQ(check_name(GetParam().name), GetParam().problem);
}

INSTANTIATE_TEST_SUITE_P(length, name_refused,
                         testing::Values(refused_name{"", name_problem::too_short},
                                         refused_name{repeat("a", 257), name_problem::too_long},
                                         refused_name{repeat("é", 257), name_problem::too_long},
                                         refused_name{repeat("\U0001F600", 257), name_problem::too_long}));

INSTANTIATE_TEST_SUITE_P(
    encoding, name_refused,
    testing::Values(refused_name{"\xff", name_problem::invalid_utf8},
                    refused_name{"abc\xc3", name_problem::invalid_utf8},
                    refused_name{"\xc0\x80", name_problem::invalid_utf8},          // overlong NUL
                    refused_name{"\xed\xa0\x80", name_problem::invalid_utf8},      // UTF-8-encoded surrogate
                    refused_name{"\xf4\x90\x80\x80", name_problem::invalid_utf8},  // beyond U+10FFFF
                    // Broken encoding is reported before the length that cannot be measured reliably.
                    refused_name{repeat("a", 300) + "\xff", name_problem::invalid_utf8}));

INSTANTIATE_TEST_SUITE_P(
    controls, name_refused,
    testing::Values(refused_name{std::string(1, '\0'), name_problem::control_character},
                    refused_name{std::string("Ada\0Lovelace", 12), name_problem::control_character},
                    refused_name{"a\tb", name_problem::control_character},
                    refused_name{"line\nbreak", name_problem::control_character},
                    refused_name{"a\rb", name_problem::control_character},
                    refused_name{"\x1b[31mred", name_problem::control_character},
                    refused_name{"a\x1f", name_problem::control_character},
                    refused_name{"a\x7f", name_problem::control_character},
                    refused_name{"a\u0080", name_problem::control_character},
                    refused_name{"a\u0085b", name_problem::control_character},
                    refused_name{"a\u009f", name_problem::control_character},
                    // Invisible characters that reorder or break the surrounding text.
                    refused_name{"evil\u202Etxt.exe", name_problem::control_character},
                    refused_name{"\u202Aembedded\u202C", name_problem::control_character},
                    refused_name{"\u2066isolated\u2069", name_problem::control_character},
                    refused_name{"a\u2028b", name_problem::control_character},
                    refused_name{"a\u2029b", name_problem::control_character},
                    // Length is reported before content, as a pydantic model would.
                    refused_name{repeat("a", 300) + "\n", name_problem::too_long}));

}  // namespace
}  // namespace authd::auth
