#include "auth/argon2id_phc.hpp"

#include <gtest/gtest.h>

namespace authd::auth {
namespace {

TEST(argon2id_phc, reads_the_costs_of_argon2_cffi_strings) {
  const auto costs = parse_argon2id_phc_costs("$argon2id$v=19$m=65536,t=3,p=4$c2FsdA$aGFzaA");
  ASSERT_TRUE(costs.has_value());
  EXPECT_EQ(costs->memory_kib, 65536U);
  EXPECT_EQ(costs->iterations, 3U);
  EXPECT_EQ(costs->lanes, 4U);
  EXPECT_TRUE(within_verify_limits(*costs));
}

TEST(argon2id_phc, refuses_other_shapes) {
  for (const char* text : {
           "",
           "$argon2i$v=19$m=65536,t=3,p=4$c2FsdA$aGFzaA",
           "$argon2id$v=18$m=65536,t=3,p=4$c2FsdA$aGFzaA",
           "$argon2id$m=65536,t=3,p=4$c2FsdA$aGFzaA",
           "$argon2id$v=19$t=3,m=65536,p=4$c2FsdA$aGFzaA",
           "$argon2id$v=19$m=-1,t=3,p=4$c2FsdA$aGFzaA",
           "$argon2id$v=19$m=+1,t=3,p=4$c2FsdA$aGFzaA",
           "$argon2id$v=19$m=,t=3,p=4$c2FsdA$aGFzaA",
           "$argon2id$v=19$m=65536,t=3,p=4",
           "$argon2id$v=19$m=65536,t=3",
           "$argon2id$v=19$m=4294967296,t=3,p=4$c2FsdA$aGFzaA",  // 2^32
           "$argon2id$v=19$m=65536 ,t=3,p=4$c2FsdA$aGFzaA",
       }) {
    EXPECT_FALSE(parse_argon2id_phc_costs(text).has_value()) << text;
  }
}

TEST(argon2id_phc, limits_memory_to_one_gib_and_iterations_to_64) {
  EXPECT_TRUE(within_verify_limits({.memory_kib = 1024 * 1024, .iterations = 64, .lanes = 1}));
  EXPECT_FALSE(within_verify_limits({.memory_kib = 1024 * 1024 + 1, .iterations = 1, .lanes = 1}));
  EXPECT_FALSE(within_verify_limits({.memory_kib = 64, .iterations = 65, .lanes = 1}));
  const auto four_gib = parse_argon2id_phc_costs("$argon2id$v=19$m=4194304,t=3,p=4$c2FsdA$aGFzaA");
  ASSERT_TRUE(four_gib.has_value());
  EXPECT_FALSE(within_verify_limits(*four_gib));
}

}  // namespace
}  // namespace authd::auth
