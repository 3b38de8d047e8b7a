#include "auth/argon2/phc.hpp"

#include <gtest/gtest.h>
#include <sodium.h>

#include <string>
#include <vector>

namespace authd::auth::argon2 {
namespace {

using namespace std::string_literals;

// argon2-cffi's defaults (the original service's hashes): `argon2 somesaltsomesalt -id -t 3 -m 16 -p 4 -e`.
constexpr const char* cffi_vector =
    "$argon2id$v=19$m=65536,t=3,p=4$c29tZXNhbHRzb21lc2FsdA$gduXp+Z6iReEolmbyHn5V8s1EtJzmEvZfYoY/Fn/AeI";

TEST(phc, reads_argon2_cffi_strings) {
  const auto parsed = parse_phc(cffi_vector);
  ASSERT_TRUE(parsed.has_value());
  EXPECT_EQ(parsed->type, variant::id);
  EXPECT_EQ(parsed->cost.memory_kib, 65536U);
  EXPECT_EQ(parsed->cost.passes, 3U);
  EXPECT_EQ(parsed->cost.lanes, 4U);
  EXPECT_EQ(std::string(parsed->salt.begin(), parsed->salt.end()), "somesaltsomesalt");
  EXPECT_EQ(parsed->tag.size(), 32U);
}

TEST(phc, reads_the_shortest_salt_and_tag_libsodium_reads) {
  const auto parsed = parse_phc("$argon2id$v=19$m=65536,t=3,p=4$c29tZXNhbHQ$gduXp+Z6iReEolmbyHn5Vw");
  ASSERT_TRUE(parsed.has_value());
  EXPECT_EQ(parsed->salt.size(), 8U);
  EXPECT_EQ(parsed->tag.size(), 16U);
}

TEST(phc, reads_every_variant) {
  EXPECT_EQ(
      parse_phc(
          "$argon2i$v=19$m=64,t=3,p=1$c29tZXNhbHRzb21lc2FsdA$gduXp+Z6iReEolmbyHn5V8s1EtJzmEvZfYoY/Fn/AeI")
          ->type,
      variant::i);
  EXPECT_EQ(
      parse_phc(
          "$argon2d$v=19$m=64,t=3,p=1$c29tZXNhbHRzb21lc2FsdA$gduXp+Z6iReEolmbyHn5V8s1EtJzmEvZfYoY/Fn/AeI")
          ->type,
      variant::d);
}

TEST(phc, writes_what_libsodium_writes_and_reads_it_back) {
  char written[crypto_pwhash_STRBYTES];
  ASSERT_EQ(crypto_pwhash_str(written, "password", 8, 2, 64 * 1024), 0);
  const auto parsed = parse_phc(written);
  ASSERT_TRUE(parsed.has_value()) << written;
  EXPECT_EQ(format_phc(parsed->type, parsed->cost, parsed->salt, parsed->tag), written);
  EXPECT_EQ(format_phc(variant::i, {.memory_kib = 8, .passes = 1, .lanes = 1},
                       std::vector<std::uint8_t>(8, 0), std::vector<std::uint8_t>(16, 0xff)),
            "$argon2i$v=19$m=8,t=1,p=1$AAAAAAAAAAA$/////////////////////w");
}

TEST(phc, refuses_other_shapes) {
  const std::string tail = "$c29tZXNhbHRzb21lc2FsdA$gduXp+Z6iReEolmbyHn5V8s1EtJzmEvZfYoY/Fn/AeI";
  for (
      const std::string& text : {
          ""s,
          "$argon2$v=19$m=65536,t=3,p=4"s + tail,
          "$argon2ID$v=19$m=65536,t=3,p=4"s + tail,
          "$argon2id$v=18$m=65536,t=3,p=4"s + tail,  // only version 1.3
          "$argon2id$v=16$m=65536,t=3,p=4"s + tail,
          "$argon2id$m=65536,t=3,p=4"s + tail,       // no version
          "$argon2id$v=19$t=3,m=65536,p=4"s + tail,  // fields out of order
          "$argon2id$v=19$m=-1,t=3,p=4"s + tail,
          "$argon2id$v=19$m=+1,t=3,p=4"s + tail,
          "$argon2id$v=19$m=,t=3,p=4"s + tail,
          "$argon2id$v=19$m=65536 ,t=3,p=4"s + tail,
          "$argon2id$v=019$m=65536,t=3,p=4"s + tail,  // leading zeros, as libsodium refuses them
          "$argon2id$v=19$m=065536,t=3,p=4"s + tail,
          "$argon2id$v=19$m=65536,t=03,p=4"s + tail,
          "$argon2id$v=19$m=65536,t=3,p=04"s + tail,
          "$argon2id$v=19$m=4294967296,t=3,p=4"s + tail,    // 2^32
          "$argon2id$v=19$m=65536,t=0,p=4"s + tail,         // no pass
          "$argon2id$v=19$m=65536,t=3,p=0"s + tail,         // no lane
          "$argon2id$v=19$m=65536,t=3,p=16777216"s + tail,  // 2^24 lanes
          "$argon2id$v=19$m=31,t=3,p=4"s + tail,            // under 8 KiB per lane
          "$argon2id$v=19$m=65536,t=3,p=4,keyid=abc"s + tail,
          "$argon2id$v=19$m=65536,t=3,p=4"s,
          "$argon2id$v=19$m=65536,t=3,p=4$c29tZXNhbHRzb21lc2FsdA"s,
          "$argon2id$v=19$m=65536,t=3,p=4$c29tZXNhbHRzb21lc2FsdA$"s,                                 // no tag
          "$argon2id$v=19$m=65536,t=3,p=4$c29tZXNhbA$gduXp+Z6iReEolmbyHn5V8s1EtJzmEvZfYoY/Fn/AeI"s,  // 7-byte
                                                                                                     // salt
          "$argon2id$v=19$m=65536,t=3,p=4$c29tZXNhbHRzb21lc2FsdA$gduXp+Z6iReEolmbyHn5"s,  // 15-byte tag
          "$argon2id$v=19$m=65536,t=3,p=4$c29tZXNhbHRzb21lc2FsdA==$gduXp+Z6iReEolmbyHn5V8s1EtJzmEvZfYoY/Fn/AeI"s,
          "$argon2id$v=19$m=65536,t=3,p=4$c29tZXNhbHRzb21lc2FsdB$gduXp+Z6iReEolmbyHn5V8s1EtJzmEvZfYoY/Fn/AeI"s,  // padding bits
          "$argon2id$v=19$m=65536,t=3,p=4$c29tZXNh_HRzb21lc2FsdA$gduXp+Z6iReEolmbyHn5V8s1EtJzmEvZfYoY/Fn/AeI"s,  // URL-safe
          std::string(cffi_vector) + "$",
          std::string(cffi_vector) + "\n",
          std::string(cffi_vector).substr(0, 40) + "\0"s + std::string(cffi_vector).substr(41),
      }) {
    EXPECT_FALSE(parse_phc(text).has_value()) << text;
  }
}

}  // namespace
}  // namespace authd::auth::argon2
