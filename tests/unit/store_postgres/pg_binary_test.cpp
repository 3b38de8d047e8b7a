// The binary wire formats, checked against values PostgreSQL documents (no server needed).
#include "store/postgres/pg_binary.hpp"

#include <gtest/gtest.h>

#include <limits>

namespace authd::store::postgres::binary {
namespace {

TEST(pg_binary, a_canonical_uuid_round_trips_through_its_bytes) {
  const std::string id = "0123abcd-ef45-4678-9abc-def012345678";
  const auto bytes = parse_uuid(id);
  ASSERT_TRUE(bytes.has_value());
  EXPECT_EQ(static_cast<unsigned char>((*bytes)[0]), 0x01);
  EXPECT_EQ(static_cast<unsigned char>((*bytes)[1]), 0x23);
  EXPECT_EQ(static_cast<unsigned char>((*bytes)[2]), 0xab);
  EXPECT_EQ(static_cast<unsigned char>((*bytes)[15]), 0x78);
  EXPECT_EQ(format_uuid(*bytes), id);
}

TEST(pg_binary, only_the_canonical_lowercase_form_is_a_uuid) {
  EXPECT_FALSE(parse_uuid("0123ABCD-ef45-4678-9abc-def012345678"));   // upper case
  EXPECT_FALSE(parse_uuid("0123abcd-ef45-4678-9abc-def01234567"));    // short
  EXPECT_FALSE(parse_uuid("0123abcd-ef45-4678-9abc-def0123456789"));  // long
  EXPECT_FALSE(parse_uuid("0123abcdef45-4678-9abc-def0123456789"));   // hyphen missing
  EXPECT_FALSE(parse_uuid("0123abcd-ef45-4678-9abc_def012345678"));   // wrong separator
  EXPECT_FALSE(parse_uuid("0123abcd-ef45-4678-9abc-def01234567g"));   // not hex
  EXPECT_FALSE(parse_uuid("{123abcd-ef45-4678-9abc-def01234567}"));
  EXPECT_FALSE(parse_uuid(""));
  EXPECT_TRUE(parse_uuid("00000000-0000-0000-0000-000000000000"));
  EXPECT_TRUE(parse_uuid("ffffffff-ffff-ffff-ffff-ffffffffffff"));
}

TEST(pg_binary, int8_is_big_endian_twos_complement) {
  const auto one = encode_int8(1);
  EXPECT_EQ(one[7], 1);
  EXPECT_EQ(one[0], 0);
  const auto minus_one = encode_int8(-1);
  for (char byte : minus_one) EXPECT_EQ(static_cast<unsigned char>(byte), 0xff);
  for (std::int64_t v :
       {std::int64_t{0}, std::int64_t{1} << 40, std::int64_t{-123456789},
        std::numeric_limits<std::int64_t>::min(), std::numeric_limits<std::int64_t>::max()}) {
    EXPECT_EQ(decode_int8(encode_int8(v).data()), v);
  }
}

TEST(pg_binary, timestamps_count_from_2000_on_the_wire) {
  // The Unix epoch is 946684800 s before PostgreSQL's.
  EXPECT_EQ(decode_int8(encode_timestamp(0)->data()), -946'684'800'000'000);
  EXPECT_EQ(decode_int8(encode_timestamp(postgres_epoch)->data()), 0);
  for (micros t : {micros{0}, micros{-1}, micros{1'700'000'000'123'456}, micros{253'402'300'799'999'999}}) {
    EXPECT_EQ(decode_timestamp(encode_timestamp(t)->data()), t);
  }
  EXPECT_FALSE(encode_timestamp(std::numeric_limits<micros>::min())) << "would overflow once shifted";
}

TEST(pg_binary, infinite_timestamps_saturate) {
  const auto infinity = encode_int8(std::numeric_limits<std::int64_t>::max());
  const auto minus_infinity = encode_int8(std::numeric_limits<std::int64_t>::min());
  EXPECT_EQ(decode_timestamp(infinity.data()), std::numeric_limits<micros>::max());
  EXPECT_EQ(decode_timestamp(minus_infinity.data()), std::numeric_limits<micros>::min());
}

}  // namespace
}  // namespace authd::store::postgres::binary
