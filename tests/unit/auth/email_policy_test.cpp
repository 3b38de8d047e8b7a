// normalize_email against pydantic v2's EmailStr over email-validator 2.3: accepted forms, every refusal
// sentence, the account key, and hostile bytes. Most cases and sentences are the ones email-validator's
// own tests (tests/test_syntax.py) expect.
#include "auth/email_policy.hpp"

#include <gtest/gtest.h>

#include <ostream>
#include <random>
#include <string>
#include <vector>

namespace authd::auth {
namespace {

struct accepted_case {
  std::string input;
  std::string email;
  friend void PrintTo(const accepted_case& c, std::ostream* os) { *os << testing::PrintToString(c.input); }
};

class email_accepted : public testing::TestWithParam<accepted_case> {};

TEST_P(email_accepted, normalizes) {
  const auto result = normalize_email(GetParam().input);
  ASSERT_TRUE(result) << result.error();
  EXPECT_EQ(result->email, GetParam().email);
}

INSTANTIATE_TEST_SUITE_P(
    forms, email_accepted,
    testing::Values(
        accepted_case{"Abc@example.tld", "Abc@example.tld"},
        accepted_case{"Abc.123@test-example.com", "Abc.123@test-example.com"},
        accepted_case{"user+mailbox/department=shipping@example.tld",
                      "user+mailbox/department=shipping@example.tld"},
        accepted_case{"!#$%&'*+-/=?^_`.{|}~@example.tld", "!#$%&'*+-/=?^_`.{|}~@example.tld"},
        // The domain is lowercased, the local part keeps its case.
        accepted_case{"John.Smith@Example.COM", "John.Smith@example.com"},
        // RFC 2142 role mailboxes are case-insensitive, so the library lowercases them.
        accepted_case{"POSTMASTER@example.com", "postmaster@example.com"},
        accepted_case{"Info@example.com", "info@example.com"},
        // Surrounding whitespace (Python's idea of it, so also NBSP and ideographic space) is trimmed.
        accepted_case{"  a@example.com \t\n", "a@example.com"},
        accepted_case{"\u00A0a@example.com\u3000", "a@example.com"},
        // Internationalized domains: validated through IDNA, shown in Unicode, lowercased.
        accepted_case{"user@bücher.de", "user@bücher.de"}, accepted_case{"user@BÜCHER.DE", "user@bücher.de"},
        accepted_case{"user@xn--bcher-kva.de", "user@bücher.de"},
        accepted_case{"user@XN--BCHER-KVA.DE", "user@bücher.de"},
        accepted_case{"jeff@臺網中心.tw", "jeff@臺網中心.tw"},
        accepted_case{"me@ｅｘａｍｐｌｅ.com", "me@example.com"},
        accepted_case{"me@example。com", "me@example.com"},
        accepted_case{"me@faß.de", "me@faß.de"},  // non-transitional: ß stays
        accepted_case{"a@xn--mnchen-3ya.de", "a@münchen.de"},
        accepted_case{"me@l·l.cat", "me@l·l.cat"},  // U+00B7 is allowed between two l (Catalan)
        accepted_case{"राम@मोहन.ईन्फो", "राम@मोहन.ईन्फो"},
        // Internationalized local parts (SMTPUTF8) are allowed and NFC-normalized.
        accepted_case{"伊昭傑@郵件.商務", "伊昭傑@郵件.商務"},
        accepted_case{"ñoñó@example.tld", "ñoñó@example.tld"},
        accepted_case{"чебурашкаящик-с-апельсинами.рф@example.tld",
                      "чебурашкаящик-с-апельсинами.рф@example.tld"},
        accepted_case{"s\u0323\u0307@nfc.tld", "\u1E69@nfc.tld"},
        accepted_case{"＠@fullwidth.at", "＠@fullwidth.at"},
        // email-validator 2.3 no longer limits the local part to 64 characters (only with strict=True).
        accepted_case{"11111111112222222222333333333344444444445555555555666666666677777@example.com",
                      "11111111112222222222333333333344444444445555555555666666666677777@example.com"},
        // pydantic's "Display Name <address>" convenience keeps only the address.
        accepted_case{"Jane Doe <jane@example.com>", "jane@example.com"},
        accepted_case{"\"Doe, Jane\" <jane@example.com>", "jane@example.com"},
        accepted_case{"<jane@example.com>", "jane@example.com"}));

struct refused_case {
  std::string input;
  std::string reason;
  friend void PrintTo(const refused_case& c, std::ostream* os) { *os << testing::PrintToString(c.input); }
};

class email_refused : public testing::TestWithParam<refused_case> {};

TEST_P(email_refused, says_why) {
  const auto result = normalize_email(GetParam().input);
  ASSERT_FALSE(result) << "accepted as " << result->email;
  EXPECT_EQ(result.error(), GetParam().reason);
}

const std::string too_many_labels =
    "1111111111222222222233333333334444444444555555555.6666666666777777777788888888889999999999000000000."
    "1111111111222222222233333333334444444444555555555.6666666666777777777788888888889999999999000000000.";

INSTANTIATE_TEST_SUITE_P(
    at_sign_and_parts, email_refused,
    testing::Values(
        refused_case{"", "An email address must have an @-sign."},
        refused_case{"   ", "An email address must have an @-sign."},
        refused_case{"hello.world", "An email address must have an @-sign."},
        refused_case{
            "hello＠world",
            "The email address has the \"full-width\" at-sign (@) character instead of a regular at-sign."},
        refused_case{
            "hello﹫world",
            "The email address has the \"small commercial at\" character instead of a regular at-sign."},
        refused_case{"@example.com", "There must be something before the @-sign."},
        refused_case{"me@", "There must be something after the @-sign."},
        refused_case{"\"quoted local part\"@example.org",
                     "Quoting the part before the @-sign is not allowed here."},
        refused_case{"\"unnecessarily.quoted\"@example.com",
                     "Quoting the part before the @-sign is not allowed here."},
        refused_case{"\"abc\"def@example.com",
                     "Extra character(s) found after close quote: 'd', 'e', 'f'."}));

INSTANTIATE_TEST_SUITE_P(
    local_part, email_refused,
    testing::Values(
        refused_case{".leadingdot@domain.com", "An email address cannot start with a period."},
        refused_case{"twodots..here@domain.com", "An email address cannot have two periods in a row."},
        refused_case{"trailingdot.@domain.email",
                     "An email address cannot have a period immediately before the @-sign."},
        refused_case{"white space@example.com",
                     "The email address contains invalid characters before the @-sign: SPACE."},
        refused_case{"bad\"quotes\"@example.com",
                     "The email address contains invalid characters before the @-sign: '\"'."},
        refused_case{"a(b)c,d@example.com",
                     "The email address contains invalid characters before the @-sign: '(', ')', ','."},
        refused_case{"back\\slash@example.com",
                     "The email address contains invalid characters before the @-sign: \"\\\"."},
        refused_case{"m\ny@example.com",
                     "The email address contains invalid characters before the @-sign: U+000A."},
        refused_case{"\"a\x01z\"@example.com",
                     "The email address contains invalid characters before the @-sign: U+0001."},
        refused_case{
            "me.\u037E@example.com",
            "After Unicode normalization: The email address contains invalid characters before the @-sign: "
            "';'."}));

INSTANTIATE_TEST_SUITE_P(
    unsafe_characters, email_refused,
    testing::Values(
        refused_case{"a\u2005b@example.com",
                     "The email address contains unsafe characters: FOUR-PER-EM SPACE."},
        refused_case{"a\u2028b@example.com", "The email address contains unsafe characters: LINE SEPARATOR."},
        refused_case{"a\u2029b@example.com",
                     "The email address contains unsafe characters: PARAGRAPH SEPARATOR."},
        refused_case{"\u0300a@example.com",
                     "The email address contains unsafe characters: COMBINING GRAVE ACCENT."},
        refused_case{"a\u009Cb@example.com", "The email address contains unsafe characters: U+009C."},
        refused_case{"a\u200Bb@example.com",
                     "The email address contains unsafe characters: ZERO WIDTH SPACE."},
        refused_case{
            "\u202Dforward-\u202Ereversed@example.com",
            "The email address contains unsafe characters: LEFT-TO-RIGHT OVERRIDE, RIGHT-TO-LEFT OVERRIDE."},
        refused_case{"a\uE000b@example.com", "The email address contains unsafe characters: U+E000."},
        refused_case{"a\U0010FDEFb@example.com", "The email address contains unsafe characters: U+0010FDEF."},
        refused_case{"test@a\u200Bb.com",
                     "The email address contains unsafe characters: ZERO WIDTH SPACE."}));

INSTANTIATE_TEST_SUITE_P(
    domain_part, email_refused,
    testing::Values(
        refused_case{"my@localhost", "The part after the @-sign is not valid. It should have a period."},
        refused_case{"me@bad-tld-1", "The part after the @-sign is not valid. It should have a period."},
        refused_case{"me@bad.tld-2",
                     "The part after the @-sign is not valid. It is not within a valid top-level domain."},
        refused_case{"me@example.123",
                     "The part after the @-sign is not valid. It is not within a valid top-level domain."},
        refused_case{"my@.leadingdot.com",
                     "An email address cannot have a period immediately after the @-sign."},
        refused_case{"my@．leadingfwdot.com",
                     "An email address cannot have a period immediately after the @-sign."},
        refused_case{"my@twodots..com", "An email address cannot have two periods in a row."},
        refused_case{"my@twofwdots．．.com", "An email address cannot have two periods in a row."},
        refused_case{"my@trailingdot.com.", "An email address cannot end with a period."},
        refused_case{"my@trailingfwdot.com．", "An email address cannot end with a period."},
        refused_case{"me@-leadingdash",
                     "An email address cannot have a hyphen immediately after the @-sign."},
        refused_case{"me@－leadingdashfw",
                     "An email address cannot have a hyphen immediately after the @-sign."},
        refused_case{"me@trailingdash-", "An email address cannot end with a hyphen."},
        refused_case{"my@baddash.-.com",
                     "An email address cannot have a period and a hyphen next to each other."},
        refused_case{"my@baddash.b-.com",
                     "An email address cannot have a period and a hyphen next to each other."},
        refused_case{"my@baddashfw.－a.com",
                     "An email address cannot have a period and a hyphen next to each other."},
        refused_case{
            "me@yy--0.tld",
            "An email address cannot have two letters followed by two dashes immediately after the @-sign or "
            "after a period, except Punycode."},
        refused_case{
            "me@yy－－0.tld",
            "An email address cannot have two letters followed by two dashes immediately after the @-sign or "
            "after a period, except Punycode."},
        refused_case{"me@x!", "The part after the @-sign contains invalid characters: '!'."},
        refused_case{"test@white space.com", "The part after the @-sign contains invalid characters: SPACE."},
        refused_case{"me@under_score.com", "The part after the @-sign contains invalid characters: '_'."},
        refused_case{"my@example\n.com", "The part after the @-sign contains invalid characters: U+000A."},
        refused_case{"me@⒈wouldbeinvalid.com", "The part after the @-sign contains invalid characters: '⒈'."},
        refused_case{
            "me@\u037E.com",
            "The part after the @-sign contains invalid characters after Unicode normalization: ';'."},
        refused_case{
            "me@\u1FEF.com",
            "The part after the @-sign contains invalid characters after Unicode normalization: '`'."},
        refused_case{"me@xn--0.tld", "The part after the @-sign is not valid IDNA (Invalid A-label)."},
        refused_case{"me@xn--n3h.net",
                     "The part after the @-sign is not valid IDNA (Codepoint U+2603 at position 1 of '☃' not "
                     "allowed)."},
        refused_case{
            "me@a·b.com",
            "The part after the @-sign is invalid (Codepoint U+00B7 not allowed at position 2 in 'a·b')."},
        refused_case{
            "me@☕.com",
            "The part after the @-sign is invalid (Codepoint U+2615 at position 1 of '☕' not allowed)."}));

INSTANTIATE_TEST_SUITE_P(
    special_use_domains, email_refused,
    testing::Values(
        refused_case{
            "me@anything.arpa",
            "The part after the @-sign is a special-use or reserved name that cannot be used with email."},
        refused_case{
            "me@valid.invalid",
            "The part after the @-sign is a special-use or reserved name that cannot be used with email."},
        refused_case{
            "me@link.local",
            "The part after the @-sign is a special-use or reserved name that cannot be used with email."},
        refused_case{
            "me@host.localhost",
            "The part after the @-sign is a special-use or reserved name that cannot be used with email."},
        refused_case{
            "me@onion.onion.onion",
            "The part after the @-sign is a special-use or reserved name that cannot be used with email."},
        refused_case{
            "me@TEST.Test.test",
            "The part after the @-sign is a special-use or reserved name that cannot be used with email."}));

INSTANTIATE_TEST_SUITE_P(
    ip_literals, email_refused,
    testing::Values(
        refused_case{"me@[127.0.0.1]", "A bracketed IP address after the @-sign is not allowed here."},
        refused_case{"me@[IPv6:::1]", "A bracketed IP address after the @-sign is not allowed here."},
        refused_case{"me@[IPv6:fe80::1%eth0]",
                     "A bracketed IP address after the @-sign is not allowed here."},
        refused_case{
            "me@[127.0.0.999]",
            "The address in brackets after the @-sign is not valid: It is not an IPv4 address (Octet 999 (> "
            "255) not permitted in '127.0.0.999') or is missing an address literal tag."},
        refused_case{
            "me@[1.2.3]",
            "The address in brackets after the @-sign is not valid: It is not an IPv4 address (Expected 4 "
            "octets in '1.2.3') or is missing an address literal tag."},
        refused_case{
            "me@[1.02.3.4]",
            "The address in brackets after the @-sign is not valid: It is not an IPv4 address (Leading zeros "
            "are not permitted in '02' in '1.02.3.4') or is missing an address literal tag."},
        refused_case{
            "me@[IPv6:::G]",
            "The IPv6 address in brackets after the @-sign is not valid (Only hex digits permitted in 'G' in "
            "'::G')."},
        refused_case{
            "me@[IPv6:1::2::3]",
            "The IPv6 address in brackets after the @-sign is not valid (At most one '::' permitted in "
            "'1::2::3')."},
        refused_case{
            "me@[IPv6:1:2:3]",
            "The IPv6 address in brackets after the @-sign is not valid (Exactly 8 parts expected without "
            "'::' in '1:2:3')."},
        refused_case{"me@[tag:text]",
                     "The part after the @-sign contains an invalid address literal tag in brackets."},
        refused_case{
            "me@[untaggedtext]",
            "The part after the @-sign in brackets is not an IPv4 address and has no address literal tag."},
        refused_case{"me@[tag:invalid space]",
                     "The part after the @-sign contains invalid characters in brackets: SPACE."}));

INSTANTIATE_TEST_SUITE_P(
    display_names, email_refused,
    testing::Values(
        refused_case{"Display.Name <me@example.com>",
                     "The display name contains invalid characters when not quoted: '.'."},
        refused_case{
            "<me@example.com",
            "An open angle bracket at the start of the email address has to be followed by a close angle "
            "bracket at the end."},
        refused_case{"<me@example.com> !", "There can't be anything after the email address."},
        refused_case{"<<me@example.com>>",
                     "A display name and angle brackets around the email address are not permitted here."},
        refused_case{"Jane <me@-example.com>",
                     "An email address cannot have a hyphen immediately after the @-sign."}));

INSTANTIATE_TEST_SUITE_P(
    lengths, email_refused,
    testing::Values(
        refused_case{"me@" + too_many_labels + "11111111112222222222333333333344444444445555555555.com",
                     "The email address is too long after the @-sign (1 character too many)."},
        refused_case{"me@中" + too_many_labels + "1111111111222222222233333333334444444444.com",
                     "The email address is too long after the @-sign (1 byte too many after IDNA encoding)."},
        refused_case{
            "me@1111111111222222222233333333334444444444555555555666666666677777.com",
            "After the @-sign, periods cannot be separated by so many characters (1 character too many)."},
        refused_case{
            "me@11111111112222222222333333333344444444445555555556666666666777777.com",
            "After the @-sign, periods cannot be separated by so many characters (2 characters too many)."},
        refused_case{"me@中111111111222222222233333333334444444444555555555666666.com",
                     "The part after the @-sign is invalid (Label too long)."},
        refused_case{"meme@" + too_many_labels + "1111111111222222222233333333334444444444555555555.com",
                     "The email address is too long (4 characters too many)."},
        refused_case{"my.long.address@" + too_many_labels + "11111111112222222222333333333344444.info",
                     "The email address is too long (2 characters too many)."},
        refused_case{"my.λong.address@" + too_many_labels + "1111111111222222222233333333334444.info",
                     "The email address is too long (1-2 characters too many)."},
        refused_case{
            "my.long.address@λ" + too_many_labels.substr(1) + "11111111112222222222333333.info",
            "The email address is too long when the part after the @-sign is converted to IDNA ASCII (1 "
            "byte too many)."},
        refused_case{std::string(2049, 'a'), "Length must not exceed 2048 characters"}));

TEST(email_key, is_equal_across_case) {
  const auto key = [](std::string_view input) {
    const auto result = normalize_email(input);
    EXPECT_TRUE(result) << input;
    return result ? result->key : std::string();
  };
  EXPECT_EQ(key("A@X.com"), key("a@x.com"));
  EXPECT_EQ(key("John.Smith@Example.COM"), key("john.smith@example.com"));
  EXPECT_EQ(key("ÑOÑÓ@example.tld"), key("ñoñó@example.tld"));
  EXPECT_EQ(key("Straße@x.com"), key("STRASSE@x.com"));  // full case folding maps ß to ss
  EXPECT_EQ(key("user@BÜCHER.de"), key("USER@xn--bcher-kva.de"));
  EXPECT_EQ(key(" Jane <Jane@Example.com> "), key("jane@example.com"));
  EXPECT_EQ(key("s\u0323\u0307@nfc.tld"), key("\u1E69@nfc.tld"));
  EXPECT_EQ(key("a@x.com"), "a@x.com");
  EXPECT_NE(key("a@x.com"), key("b@x.com"));
  EXPECT_NE(key("a@x.com"), key("a@y.com"));
  EXPECT_NE(key("a.b@x.com"), key("ab@x.com"));
}

TEST(email_key, keeps_the_shown_form_apart_from_the_key) {
  const auto result = normalize_email("Mixed.Case@Example.org");
  ASSERT_TRUE(result);
  EXPECT_EQ(result->email, "Mixed.Case@example.org");
  EXPECT_EQ(result->key, "mixed.case@example.org");
}

TEST(email_hostile_input, nul_bytes_are_refused_with_a_reason) {
  const auto local = normalize_email(std::string("a\0b@example.com", 15));
  ASSERT_FALSE(local);
  EXPECT_EQ(local.error(), "The email address contains invalid characters before the @-sign: U+0000.");
  const auto domain = normalize_email(std::string("ab@exam\0ple.com", 15));
  ASSERT_FALSE(domain);
  EXPECT_EQ(domain.error(), "The part after the @-sign contains invalid characters: U+0000.");
  const auto alone = normalize_email(std::string(1, '\0'));
  ASSERT_FALSE(alone);
  EXPECT_EQ(alone.error(), "An email address must have an @-sign.");
}

TEST(email_hostile_input, control_characters_are_refused) {
  for (char c = 1; c < 0x20; ++c) {
    EXPECT_FALSE(normalize_email(std::string("ab") + c + "@example.com")) << "control " << int(c);
    EXPECT_FALSE(normalize_email(std::string("ab@exam") + c + "ple.com")) << "control " << int(c);
  }
  EXPECT_FALSE(normalize_email("ab\x7f@example.com"));
  EXPECT_FALSE(normalize_email("ab@exa\x7fmple.com"));
}

TEST(email_hostile_input, invalid_utf8_is_refused) {
  for (const std::string bad :
       {"a\xff@example.com", "a\xc3@example.com", "a@ex\xc0\x80.com", "\xed\xa0\x80@x.com"}) {
    const auto result = normalize_email(bad);
    ASSERT_FALSE(result);
    EXPECT_EQ(result.error(), "The email address contains an invalid character.");
  }
}

TEST(email_hostile_input, the_longest_allowed_input_is_handled) {
  // 2048 code points that reach the slowest paths: quoting (a Unicode check per character) and IDNA.
  const std::string quoted = "\"" + std::string(2040, 'a') + "\"@x.com";
  EXPECT_EQ(normalize_email(quoted).error(), "Quoting the part before the @-sign is not allowed here.");
  std::string idna = "a@";
  while (idna.size() < 2000) idna += "bücher.";
  idna += "de";
  EXPECT_FALSE(normalize_email(idna));
}

TEST(email_hostile_input, random_bytes_never_break_it) {
  const std::vector<std::string> pieces = {"a",    "Z",      "@", ".",         "-",      "\"",
                                           "\\",   "<",      ">", " ",         "\n",     std::string(1, '\0'),
                                           "\x80", "\xff",   "ü", "中",        "\u0338", "\u202E",
                                           "＠",   "。",     "[", "]",         ":",      "xn--",
                                           "1",    "\u0301", "ß", "\U0001F600"};
  std::mt19937 rng(20240607);
  for (int i = 0; i < 3000; ++i) {
    std::string input;
    const int length = static_cast<int>(rng() % 24);
    for (int k = 0; k < length; ++k) input += pieces[rng() % pieces.size()];
    const auto result = normalize_email(input);
    if (result) {
      EXPECT_FALSE(result->email.empty());
      EXPECT_FALSE(result->key.empty());
    } else {
      EXPECT_FALSE(result.error().empty());
    }
  }
}

}  // namespace
}  // namespace authd::auth
