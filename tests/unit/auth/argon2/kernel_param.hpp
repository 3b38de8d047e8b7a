// Runs a test once per kernel (argon2_kernel/<name>), skipped with the reason on a CPU that lacks
// the kernel's instruction set.
#pragma once

#include <gtest/gtest.h>

#include <string>

#include "auth/argon2/kernel.hpp"

namespace authd::auth::argon2::testing {

class every_kernel : public ::testing::TestWithParam<kernel> {
 protected:
  void SetUp() override {
    if (!supported(GetParam()))
      GTEST_SKIP() << "this CPU cannot run the " << name_of(GetParam()) << " kernel";
  }
  kernel tested() const { return GetParam(); }
};

inline std::string kernel_test_name(const ::testing::TestParamInfo<kernel>& info) {
  return std::string(name_of(info.param));
}

}  // namespace authd::auth::argon2::testing

#define AUTHD_FOR_EVERY_KERNEL(suite)                                                        \
  INSTANTIATE_TEST_SUITE_P(kernels, suite,                                                   \
                           ::testing::ValuesIn(::authd::auth::argon2::all_kernels().begin(), \
                                               ::authd::auth::argon2::all_kernels().end()),  \
                           ::authd::auth::argon2::testing::kernel_test_name)
