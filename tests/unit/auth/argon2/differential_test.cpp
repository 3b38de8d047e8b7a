// authd's Argon2 against libargon2 and libsodium over many random inputs and costs, and the
// kernels against each other: every kernel must compute exactly what the references compute.
#include <gtest/gtest.h>

#include <random>
#include <string>
#include <vector>

#include "auth/argon2/argon2.hpp"
#include "kernel_param.hpp"
#include "references.hpp"

namespace authd::auth::argon2 {
namespace {

using testing::argon2_case;

class random_cases {
 public:
  explicit random_cases(std::uint64_t seed) : random_(seed) {}

  std::uint32_t between(std::uint32_t low, std::uint32_t high) {
    return std::uniform_int_distribution<std::uint32_t>(low, high)(random_);
  }

  std::vector<std::uint8_t> bytes(std::size_t low, std::size_t high) {
    std::vector<std::uint8_t> out(between(static_cast<std::uint32_t>(low), static_cast<std::uint32_t>(high)));
    for (auto& b : out) b = static_cast<std::uint8_t>(between(0, 255));
    return out;
  }

  // Any variant and input libargon2 takes; memory sizes that are not multiples of 4p, one pass,
  // several lanes, tags longer than one BLAKE2b output.
  argon2_case any() {
    argon2_case c;
    c.type = static_cast<variant>(between(0, 2));
    c.cost.lanes = between(1, 6);
    c.cost.memory_kib = between(8 * c.cost.lanes, 8 * c.cost.lanes + 700);
    c.cost.passes = between(1, 4);
    c.password = bytes(0, 300);
    c.salt = bytes(8, 48);
    c.secret = between(0, 2) == 0 ? bytes(1, 64) : std::vector<std::uint8_t>{};
    c.associated_data = between(0, 2) == 0 ? bytes(1, 64) : std::vector<std::uint8_t>{};
    c.tag_bytes = between(0, 3) == 0 ? between(65, 300) : between(16, 64);
    return c;
  }

  // What libsodium computes: argon2id or argon2i, one lane, a 16-byte salt, nothing else.
  argon2_case sodium_shaped() {
    argon2_case c;
    c.type = between(0, 3) == 0 ? variant::i : variant::id;
    c.cost = {.memory_kib = between(8, 1500), .passes = between(c.type == variant::i ? 3 : 1, 5), .lanes = 1};
    c.password = bytes(0, 256);
    c.salt = bytes(16, 16);
    c.tag_bytes = between(16, 128);
    return c;
  }

 private:
  std::mt19937_64 random_;
};

std::string describe(const argon2_case& c) {
  return "variant " + std::to_string(static_cast<int>(c.type)) + " m=" + std::to_string(c.cost.memory_kib) +
         " t=" + std::to_string(c.cost.passes) + " p=" + std::to_string(c.cost.lanes) + " password " +
         std::to_string(c.password.size()) + " B, salt " + std::to_string(c.salt.size()) + " B, secret " +
         std::to_string(c.secret.size()) + " B, data " + std::to_string(c.associated_data.size()) +
         " B, tag " + std::to_string(c.tag_bytes) + " B";
}

class argon2_differential : public testing::every_kernel {};

TEST_P(argon2_differential, matches_libargon2_on_random_inputs) {
  random_cases cases(0x5eed0001);
  for (int i = 0; i < 150; ++i) {
    const argon2_case c = cases.any();
    SCOPED_TRACE(describe(c));
    const auto expected = testing::with_libargon2(c);
    ASSERT_FALSE(expected.empty());
    ASSERT_EQ(testing::with_kernel(tested(), c), expected);
  }
}

TEST_P(argon2_differential, matches_libsodium_on_random_inputs) {
  random_cases cases(0x5eed0002);
  for (int i = 0; i < 100; ++i) {
    const argon2_case c = cases.sodium_shaped();
    SCOPED_TRACE(describe(c));
    const auto expected = testing::with_libsodium(c);
    ASSERT_TRUE(expected && !expected->empty());
    ASSERT_EQ(testing::with_kernel(tested(), c), *expected);
  }
}

TEST_P(argon2_differential, matches_the_portable_kernel_at_larger_costs) {
  // Several address blocks per segment and references across the whole memory.
  for (const argon2_case& c : {
           argon2_case{.type = variant::id,
          .cost = {.memory_kib = 19456, .passes = 2, .lanes = 1},
          .password = {'p', 'w'},
          .salt = std::vector<std::uint8_t>(16, 7)},
           argon2_case{.type = variant::i,
           .cost = {.memory_kib = 4099, .passes = 3, .lanes = 3},
           .password = {1, 2, 3},
           .salt = std::vector<std::uint8_t>(8, 9)},
           argon2_case{.type = variant::d,
           .cost = {.memory_kib = 3000, .passes = 1, .lanes = 2},
           .password = {},
           .salt = std::vector<std::uint8_t>(20, 1)},
       }) {
    SCOPED_TRACE(describe(c));
    EXPECT_EQ(testing::with_kernel(tested(), c), testing::with_kernel(kernel::portable, c));
  }
}

TEST_P(argon2_differential, what_the_memory_held_before_does_not_matter) {
  const argon2_case c{.type = variant::id,
                      .cost = {.memory_kib = 64, .passes = 2, .lanes = 2},
                      .password = {'x'},
                      .salt = std::vector<std::uint8_t>(16, 3)};
  std::vector<block> memory(memory_blocks(c.cost));
  std::vector<std::uint8_t> first(32), second(32);
  for (auto& b : memory)
    for (auto& w : b.words) w = 0x0123456789abcdefULL;
  compute(tested(), c.type, c.cost, c.inputs(), first, memory);
  compute(tested(), c.type, c.cost, c.inputs(), second, memory);  // the first hash's leftovers
  EXPECT_EQ(first, second);
  EXPECT_EQ(first, testing::with_libargon2(c));
}

AUTHD_FOR_EVERY_KERNEL(argon2_differential);

TEST(argon2_compute, refuses_what_argon2_does_not_define) {
  std::vector<block> memory(64);
  std::vector<std::uint8_t> tag(32);
  const std::vector<std::uint8_t> salt(16, 1), short_salt(7, 1);
  const inputs in{.password = {}, .salt = salt};
  const kernel k = kernel::portable;
  EXPECT_THROW(compute(k, variant::id, {.memory_kib = 64, .passes = 0, .lanes = 1}, in, tag, memory),
               std::invalid_argument);
  EXPECT_THROW(compute(k, variant::id, {.memory_kib = 64, .passes = 1, .lanes = 0}, in, tag, memory),
               std::invalid_argument);
  EXPECT_THROW(compute(k, variant::id, {.memory_kib = 15, .passes = 1, .lanes = 2}, in, tag, memory),
               std::invalid_argument);  // under 8 KiB per lane
  EXPECT_THROW(
      compute(k, variant::id, {.memory_kib = 65, .passes = 1, .lanes = 1}, in, tag, {memory.data(), 63}),
      std::invalid_argument);  // memory short of m' = 64 blocks
  EXPECT_THROW(compute(k, variant::id, {.memory_kib = 64, .passes = 1, .lanes = 1},
                       {.password = {}, .salt = short_salt}, tag, memory),
               std::invalid_argument);
  std::vector<std::uint8_t> short_tag(15);
  EXPECT_THROW(compute(k, variant::id, {.memory_kib = 64, .passes = 1, .lanes = 1}, in, short_tag, memory),
               std::invalid_argument);
  EXPECT_NO_THROW(compute(k, variant::id, {.memory_kib = 64, .passes = 1, .lanes = 1}, in, tag, memory));
}

TEST(argon2_compute, memory_is_m_rounded_down_to_whole_slices_of_every_lane) {
  EXPECT_EQ(memory_blocks({.memory_kib = 19456, .passes = 2, .lanes = 1}), 19456U);
  EXPECT_EQ(memory_blocks({.memory_kib = 19457, .passes = 2, .lanes = 1}), 19456U);
  EXPECT_EQ(memory_blocks({.memory_kib = 65536, .passes = 3, .lanes = 4}), 65536U);
  EXPECT_EQ(memory_blocks({.memory_kib = 100, .passes = 1, .lanes = 3}), 96U);
}

}  // namespace
}  // namespace authd::auth::argon2
