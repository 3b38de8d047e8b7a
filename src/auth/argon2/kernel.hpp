// Which implementation of Argon2's memory filling runs: portable C++, AVX2 or AVX-512, chosen at
// run time from what the CPU offers.
#pragma once

#include <optional>
#include <span>
#include <string_view>

namespace authd::auth::argon2 {

enum class kernel { portable, avx2, avx512 };

// Every kernel this build has, slowest first.
std::span<const kernel> all_kernels();

// Whether this CPU (and its operating system) can run `k`.
bool supported(kernel k);

// The fastest kernel this CPU can run.
kernel fastest_supported_kernel();

std::string_view name_of(kernel k);
std::optional<kernel> kernel_named(std::string_view name);

}  // namespace authd::auth::argon2
