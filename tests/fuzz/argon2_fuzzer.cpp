// Fuzz target: authd's Argon2 (auth/argon2) against the reference library and libsodium, and the
// password hasher's reading of stored PHC strings against libsodium's. The first byte says which:
//   even: raw Argon2. The rest chooses a variant, a cost (up to 4 lanes, 8 KiB per lane plus up to
//         256 KiB, up to 3 passes), the tag length, salt, secret, associated data and password;
//         every kernel this CPU runs must compute libargon2's tag, and libsodium's where libsodium
//         can express the case (argon2id/argon2i, one lane, a 16-byte salt, nothing else).
//   odd:  the rest is "<password>\n<stored hash>"; the hasher (256 KiB, t=1, authd's Argon2 for
//         stored hashes that fit, libsodium for larger ones) must say match exactly when libsodium's
//         crypto_pwhash_str_verify does, for every string cheap enough to hand libsodium (every
//         string goes through the PHC parser).
#include <fuzzer/FuzzedDataProvider.h>
#include <sodium.h>

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "auth/argon2/argon2.hpp"
#include "auth/argon2/phc.hpp"
#include "auth/password_hasher.hpp"
#include "fuzz_check.hpp"
#include "unit/auth/argon2/references.hpp"

namespace {

using namespace authd;
namespace argon2 = auth::argon2;

void raw(FuzzedDataProvider& input) {
  argon2::testing::argon2_case c;
  c.type = static_cast<argon2::variant>(input.ConsumeIntegralInRange<int>(0, 2));
  c.cost.lanes = input.ConsumeIntegralInRange<std::uint32_t>(1, 4);
  c.cost.memory_kib = 8 * c.cost.lanes + input.ConsumeIntegralInRange<std::uint32_t>(0, 256);
  c.cost.passes = input.ConsumeIntegralInRange<std::uint32_t>(1, 3);
  c.tag_bytes = input.ConsumeIntegralInRange<std::size_t>(16, 80);
  c.salt = input.ConsumeBytes<std::uint8_t>(
      input.ConsumeBool() ? crypto_pwhash_SALTBYTES : input.ConsumeIntegralInRange<std::size_t>(8, 40));
  if (c.salt.size() < argon2::min_salt_bytes) return;  // the input ran out
  c.secret = input.ConsumeBytes<std::uint8_t>(input.ConsumeIntegralInRange<std::size_t>(0, 3) == 0 ? 16 : 0);
  c.associated_data =
      input.ConsumeBytes<std::uint8_t>(input.ConsumeIntegralInRange<std::size_t>(0, 3) == 0 ? 12 : 0);
  c.password = input.ConsumeRemainingBytes<std::uint8_t>();

  const auto expected = argon2::testing::with_libargon2(c);
  FUZZ_CHECK(!expected.empty(), "libargon2 refused a valid case");
  for (const argon2::kernel k : argon2::all_kernels()) {
    if (argon2::supported(k)) FUZZ_CHECK(argon2::testing::with_kernel(k, c) == expected, argon2::name_of(k));
  }
  if (const auto sodium = argon2::testing::with_libsodium(c)) {
    FUZZ_CHECK(!sodium->empty(), "libsodium refused a valid case");
    FUZZ_CHECK(*sodium == expected, "libsodium");
  }
}

// Whether every number after "m=", "t=" or "p=" is small, so that libsodium, which computes any
// hash it can decode, stays quick on this string (and under the hasher's ceilings: t <= 64).
bool cheap_for_libsodium(std::string_view text) {
  for (std::size_t at = 1; (at = text.find('=', at)) != std::string_view::npos; ++at) {
    const char key = text[at - 1];
    const std::uint64_t limit = key == 'm' ? 4096 : key == 't' ? 8 : key == 'p' ? 64 : UINT64_MAX;
    std::uint64_t value = 0;
    std::size_t digits = 0;
    for (std::size_t i = at + 1; i < text.size() && text[i] >= '0' && text[i] <= '9' && digits < 12;
         ++i, ++digits)
      value = value * 10 + static_cast<std::uint64_t>(text[i] - '0');
    if (digits >= 12 || value > limit) return false;
  }
  return true;
}

void stored(std::string_view rest) {
  static const auth::password_hasher hasher({.memory_kib = 256, .iterations = 1});
  const auto newline = rest.find('\n');
  if (newline == std::string_view::npos) return;
  const std::string password(rest.substr(0, newline));
  const std::string_view phc = rest.substr(newline + 1);

  // Every string reaches the parser; only cheap ones the hashers, which compute any hash they can
  // decode (the hasher hands one larger than its arena to libsodium). libsodium also reads up to a
  // NUL and has no length limit, where the hasher refuses both.
  static_cast<void>(argon2::parse_phc(phc));
  if (phc.find('\0') != std::string_view::npos || phc.size() > 512 || !cheap_for_libsodium(phc)) return;
  const auto ours = hasher.verify(password, phc);
  const std::string text(phc);
  const bool sodium_matches = crypto_pwhash_str_verify(text.c_str(), password.data(), password.size()) == 0;
  FUZZ_CHECK((ours != auth::verify_outcome::mismatch) == sodium_matches, text);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size == 0) return 0;
  if (sodium_init() < 0) return 0;
  if (data[0] % 2 == 0) {
    FuzzedDataProvider input(data + 1, size - 1);
    raw(input);
  } else {
    stored({reinterpret_cast<const char*>(data) + 1, size - 1});
  }
  return 0;
}
