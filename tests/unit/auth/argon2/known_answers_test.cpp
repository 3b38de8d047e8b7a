// RFC 9106 section 5's test vectors, for every variant and every kernel this CPU runs.
#include <gtest/gtest.h>

#include <cstdint>
#include <string>
#include <vector>

#include "auth/argon2/argon2.hpp"
#include "kernel_param.hpp"
#include "references.hpp"

namespace authd::auth::argon2 {
namespace {

using testing::argon2_case;

std::string hex(const std::vector<std::uint8_t>& bytes) {
  static constexpr char digits[] = "0123456789abcdef";
  std::string out;
  for (const auto b : bytes) out += {digits[b >> 4], digits[b & 15]};
  return out;
}

// m=32 KiB, t=3, p=4, 32-byte tag; password 32 x 0x01, salt 16 x 0x02, secret 8 x 0x03,
// associated data 12 x 0x04.
argon2_case rfc9106_case(variant type) {
  return {.type = type,
          .cost = {.memory_kib = 32, .passes = 3, .lanes = 4},
          .password = std::vector<std::uint8_t>(32, 0x01),
          .salt = std::vector<std::uint8_t>(16, 0x02),
          .secret = std::vector<std::uint8_t>(8, 0x03),
          .associated_data = std::vector<std::uint8_t>(12, 0x04),
          .tag_bytes = 32};
}

struct vector_case {
  variant type;
  const char* tag;
};

constexpr vector_case rfc9106_vectors[] = {
    {variant::d, "512b391b6f1162975371d30919734294f868e3be3984f3c1a13a4db9fabe4acb"},
    {variant::i, "c814d9d1dc7f37aa13f0d77f2494bda1c8de6b016dd388d29952a4c4672b6ce8"},
    {variant::id, "0d640df58d78766c08c037a34a8b53c9d01ef0452d75b65eb52520e96b01e659"},
};

class argon2_known_answers : public testing::every_kernel {};

TEST_P(argon2_known_answers, rfc9106_vectors) {
  for (const auto& [type, tag] : rfc9106_vectors) {
    SCOPED_TRACE("variant " + std::to_string(static_cast<int>(type)));
    EXPECT_EQ(hex(testing::with_kernel(tested(), rfc9106_case(type))), tag);
  }
}

AUTHD_FOR_EVERY_KERNEL(argon2_known_answers);

TEST(argon2_reference, agrees_with_the_rfc) {
  // So that the differential tests compare with something known to be right.
  for (const auto& [type, tag] : rfc9106_vectors)
    EXPECT_EQ(hex(testing::with_libargon2(rfc9106_case(type))), tag);
}

TEST(argon2_kernels, the_fastest_supported_is_supported_and_no_slower_one_is_picked) {
  EXPECT_TRUE(supported(kernel::portable));
  const kernel fastest = fastest_supported_kernel();
  EXPECT_TRUE(supported(fastest));
  for (const kernel k : all_kernels())
    if (supported(k)) {
      EXPECT_LE(static_cast<int>(k), static_cast<int>(fastest)) << name_of(k);
    }
}

TEST(argon2_kernels, names_round_trip) {
  for (const kernel k : all_kernels()) EXPECT_EQ(kernel_named(name_of(k)), k);
  EXPECT_FALSE(kernel_named("sse2"));
}

}  // namespace
}  // namespace authd::auth::argon2
