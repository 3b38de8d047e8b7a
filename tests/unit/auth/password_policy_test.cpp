// Password rules: length in code points, the order of problems, and the common-password check on zxcvbn.
#include "auth/password_policy.hpp"

#include <gtest/gtest.h>

#include <ostream>
#include <string>

namespace authd::auth {
namespace {

struct count_case {
  std::string text;
  std::size_t code_points;
  friend void PrintTo(const count_case& c, std::ostream* os) { *os << testing::PrintToString(c.text); }
};

class password_length : public testing::TestWithParam<count_case> {};

TEST_P(password_length, counts_code_points) {
  EXPECT_EQ(code_point_count(GetParam().text), GetParam().code_points);
}

INSTANTIATE_TEST_SUITE_P(
    utf8, password_length,
    testing::Values(count_case{"", 0}, count_case{"abc", 3}, count_case{"ñ", 1}, count_case{"中文", 2},
                    count_case{"\U0001F600", 1},
                    count_case{"e\u0301", 2},  // like Python's len(): no grapheme merging
                    count_case{std::string("a\0b", 3), 3},
                    // Invalid UTF-8 counts one per byte, never less than what is there.
                    count_case{"\xff\xfe", 2}, count_case{"\xe4\xb8", 2}, count_case{"\xc0\x80", 2},
                    count_case{"\xed\xa0\x80", 3}, count_case{"ok\xff", 3}));

TEST(password_check, reports_too_short_then_too_long_then_too_common) {
  const password_limits limits;  // 8..256
  EXPECT_EQ(check_new_password("", limits), password_problem::too_short);
  EXPECT_EQ(check_new_password("abc1234", limits), password_problem::too_short);
  EXPECT_EQ(check_new_password("passwor", limits), password_problem::too_short);  // common, but short first
  EXPECT_EQ(check_new_password(std::string(257, 'x'), limits),
            password_problem::too_long);  // common, but long first
  EXPECT_EQ(check_new_password("password", limits), password_problem::too_common);
  EXPECT_EQ(check_new_password("correct horse battery staple", limits), std::nullopt);
}

TEST(password_check, counts_characters_not_bytes) {
  const password_limits limits;
  // Four emoji are 16 bytes but 4 characters.
  EXPECT_EQ(check_new_password("\U0001F600\U0001F99C\U0001F30D\U0001F4A1", limits),
            password_problem::too_short);
  // 256 two-byte characters are 512 bytes but within the limit; 257 are not.
  std::string at_limit;
  for (int i = 0; i < 128; ++i) at_limit += "ñ\u00E5";
  EXPECT_NE(check_new_password(at_limit, limits), password_problem::too_long);
  EXPECT_EQ(check_new_password(at_limit + "ü", limits), password_problem::too_long);
}

TEST(password_check, honours_configured_limits) {
  const password_limits limits{.min_length = 12, .max_length = 16};
  EXPECT_EQ(check_new_password("vL9#mQ2!xR", limits), password_problem::too_short);
  EXPECT_EQ(check_new_password("vL9#mQ2!xRk7#Qm2$z", limits), password_problem::too_long);
  EXPECT_EQ(check_new_password("vL9#mQ2!xRk7", limits), std::nullopt);
}

TEST(password_check, never_trims_or_folds) {
  const password_limits limits;
  // Spaces count: seven letters and a space reach the minimum of eight.
  EXPECT_EQ(check_new_password("Xq4!vR8", limits), password_problem::too_short);
  EXPECT_EQ(check_new_password(" Xq4!vR8", limits), std::nullopt);
  EXPECT_EQ(check_new_password("Xq4!vR8 ", limits), std::nullopt);
}

class common_password : public testing::TestWithParam<std::string> {};

TEST_P(common_password, is_refused) {
  EXPECT_TRUE(is_common_password(GetParam())) << GetParam();
}

INSTANTIATE_TEST_SUITE_P(zxcvbn, common_password,
                         testing::Values("password", "Password1", "qwertyuiop", "12345678", "aaaaaaaa",
                                         "iloveyou", "letmein!", "PASSWORD",
                                         "drowssap",                      // case variants and reversed words
                                         "P@ssw0rd", "p4ssw0rd!",         // l33t
                                         "abcdefgh", "1qaz2wsx",          // sequence, keyboard walk
                                         "passwordpassword", "01011990",  // repeats, dates
                                         "Summer2024", "monkey12", "admin123", "trustno1", "football",
                                         "jennifer", std::string(256, 'a')));

class uncommon_password : public testing::TestWithParam<std::string> {};

TEST_P(uncommon_password, is_accepted) {
  EXPECT_FALSE(is_common_password(GetParam())) << GetParam();
}

INSTANTIATE_TEST_SUITE_P(zxcvbn, uncommon_password,
                         testing::Values("correct horse battery staple", "Tr0ub4dor&3x!q", "vL9#mQ2!xR",
                                         // typical generated 12-character passwords
                                         "k7#Qm2$zP9!w", "Xq4!vR8@tL2#", "hT6^nB3&wY9*", "mZ1$cK5%jD7!",
                                         "Gf8#pW2@sN4$", "9fK2mQ7xR4tL", "wj8fk3ls", "hunter2hunter2"));

TEST(common_password_check, does_not_stop_at_a_nul_byte) {
  // zxcvbn reads C strings; the bytes after a NUL must still count.
  const std::string with_nul = std::string("password") + '\0' + "Xk93!qLm#2vR";
  EXPECT_FALSE(is_common_password(with_nul));
  EXPECT_TRUE(is_common_password(std::string("password") + '\0'));
}

TEST(common_password_check, handles_the_longest_password) {
  std::string generated;
  const std::string alphabet = "abcdefghijkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789!@#$%^&*";
  unsigned state = 12345;
  while (generated.size() < 256) {
    state = state * 1103515245u + 12345u;
    generated += alphabet[(state >> 16) % alphabet.size()];
  }
  EXPECT_EQ(check_new_password(generated, password_limits{}), std::nullopt);
  std::string repeated;
  while (repeated.size() < 256) repeated += "password";
  EXPECT_EQ(check_new_password(repeated, password_limits{}), password_problem::too_common);
}

}  // namespace
}  // namespace authd::auth
