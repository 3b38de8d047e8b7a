#include "auth/password_hasher.hpp"

#include <argon2.h>
#include <gtest/gtest.h>
#include <sodium.h>

#include <array>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

#include "auth/argon2/thread_arena.hpp"

namespace authd::auth {
namespace {

using namespace std::string_literals;

// Cheap parameters: the tests are about behaviour, not cost.
constexpr argon2_params small{.memory_kib = 64, .iterations = 1};

// Known answer in the original service's format (argon2-cffi's defaults, p=4), produced with
// Debian's reference CLI:
//   echo -n 'password' | argon2 somesaltsomesalt -id -t 3 -m 16 -p 4 -e
constexpr const char* cffi_vector =
    "$argon2id$v=19$m=65536,t=3,p=4$c29tZXNhbHRzb21lc2FsdA$gduXp+Z6iReEolmbyHn5V8s1EtJzmEvZfYoY/Fn/AeI";
constexpr const char* cffi_password = "password";

// The same password with p=1 and the `small` parameters:
//   echo -n 'password' | argon2 somesaltsomesalt -id -t 1 -k 64 -p 1 -e
constexpr const char* small_vector =
    "$argon2id$v=19$m=64,t=1,p=1$c29tZXNhbHRzb21lc2FsdA$55PWTvddWPUD1GMbKxSff4ASfF85k9ibHJt4HlHQtBM";

TEST(password_hasher, defaults_are_owasp_minimum) {
  const argon2_params defaults;
  EXPECT_EQ(defaults.memory_kib, 19456U);
  EXPECT_EQ(defaults.iterations, 2U);
}

TEST(password_hasher, hashes_with_the_configured_parameters_and_verifies) {
  const password_hasher hasher(small);
  const std::string phc = hasher.hash("correct horse battery staple");
  EXPECT_TRUE(phc.starts_with("$argon2id$v=19$m=64,t=1,p=1$")) << phc;
  EXPECT_EQ(hasher.verify("correct horse battery staple", phc), verify_outcome::match);
  EXPECT_EQ(hasher.verify("correct horse battery stapl", phc), verify_outcome::mismatch);
  EXPECT_EQ(hasher.verify("Correct horse battery staple", phc), verify_outcome::mismatch);
}

TEST(password_hasher, default_parameters_round_trip) {
  const password_hasher hasher{argon2_params{}};
  const std::string phc = hasher.hash("correct horse battery staple");
  EXPECT_TRUE(phc.starts_with("$argon2id$v=19$m=19456,t=2,p=1$")) << phc;
  EXPECT_EQ(hasher.verify("correct horse battery staple", phc), verify_outcome::match);
}

TEST(password_hasher, salts_are_fresh) {
  const password_hasher hasher(small);
  EXPECT_NE(hasher.hash("same password"), hasher.hash("same password"));
}

TEST(password_hasher, passwords_are_not_truncated_at_nul_or_case_folded) {
  const password_hasher hasher(small);
  const std::string phc = hasher.hash("pass\0word"s);
  EXPECT_EQ(hasher.verify("pass\0word"s, phc), verify_outcome::match);
  EXPECT_EQ(hasher.verify("pass", phc), verify_outcome::mismatch);
  EXPECT_EQ(hasher.verify("PASS\0WORD"s, phc), verify_outcome::mismatch);
}

TEST(password_hasher, empty_password_is_hashed_like_any_other) {
  const password_hasher hasher(small);
  const std::string phc = hasher.hash("");
  EXPECT_EQ(hasher.verify("", phc), verify_outcome::match);
  EXPECT_EQ(hasher.verify(" ", phc), verify_outcome::mismatch);
}

TEST(password_hasher, known_answer_with_matching_parameters_is_a_plain_match) {
  EXPECT_EQ(password_hasher(small).verify(cffi_password, small_vector), verify_outcome::match);
}

TEST(password_hasher, verifies_argon2_cffi_p4_known_answer) {
  const password_hasher hasher(small);
  EXPECT_EQ(hasher.verify(cffi_password, cffi_vector), verify_outcome::match_needs_rehash);
  EXPECT_EQ(hasher.verify("Password", cffi_vector), verify_outcome::mismatch);
}

TEST(password_hasher, p4_hash_needs_rehash_even_at_the_same_memory_and_iterations) {
  // libsodium writes p=1 only, so moving argon2-cffi's hashes to its form is the one rehash.
  const password_hasher hasher({.memory_kib = 65536, .iterations = 3});
  EXPECT_EQ(hasher.verify(cffi_password, cffi_vector), verify_outcome::match_needs_rehash);
}

TEST(password_hasher, other_parameters_need_rehash) {
  const password_hasher hasher(small);
  const std::string phc = hasher.hash("some password");
  EXPECT_EQ(password_hasher({.memory_kib = 128, .iterations = 1}).verify("some password", phc),
            verify_outcome::match_needs_rehash);
  EXPECT_EQ(password_hasher({.memory_kib = 64, .iterations = 2}).verify("some password", phc),
            verify_outcome::match_needs_rehash);
  EXPECT_EQ(password_hasher({.memory_kib = 128, .iterations = 1}).verify("other password", phc),
            verify_outcome::mismatch);
}

TEST(password_hasher, argon2i_verifies_and_needs_rehash_argon2d_never_verifies) {
  const password_hasher hasher(small);
  // Same CLI command with -i and -d instead of -id. Argon2i goes through libsodium here (more
  // memory than the configured 64 KiB); argon2d is refused whatever its parameters.
  EXPECT_EQ(hasher.verify(cffi_password,
                          "$argon2i$v=19$m=65536,t=3,p=4$c29tZXNhbHRzb21lc2FsdA$"
                          "Xa6qz301W1SA3+F0uTR4gw1ZFMtxOqvVYh4Sa4RGVlk"),
            verify_outcome::match_needs_rehash);
  EXPECT_EQ(hasher.verify("Password",
                          "$argon2i$v=19$m=65536,t=3,p=4$c29tZXNhbHRzb21lc2FsdA$"
                          "Xa6qz301W1SA3+F0uTR4gw1ZFMtxOqvVYh4Sa4RGVlk"),
            verify_outcome::mismatch);
  EXPECT_EQ(hasher.verify(cffi_password,
                          "$argon2d$v=19$m=65536,t=3,p=4$c29tZXNhbHRzb21lc2FsdA$"
                          "qLf0+n4ADfvFCdOHv6Uyjkz3CTiJD1gNFXD96o5IWZo"),
            verify_outcome::mismatch);
  // Within the arena: authd's own Argon2 verifies argon2i (argon2 somesaltsomesalt -i -t 3 -k 64 -p 1 -e).
  char argon2i[crypto_pwhash_STRBYTES];
  ASSERT_EQ(crypto_pwhash_str_alg(argon2i, "password", 8, 3, 64 * 1024, crypto_pwhash_ALG_ARGON2I13), 0);
  EXPECT_EQ(hasher.verify("password", argon2i), verify_outcome::match_needs_rehash);
  EXPECT_EQ(hasher.verify("passwore", argon2i), verify_outcome::mismatch);
}

// Every implementation this CPU runs, libsodium included.
std::vector<argon2::implementation> implementations() {
  std::vector<argon2::implementation> out;
  for (const auto i : {argon2::implementation::portable, argon2::implementation::avx2,
                       argon2::implementation::avx512, argon2::implementation::libsodium})
    if (argon2::supported(i)) out.push_back(i);
  return out;
}

TEST(password_hasher, every_implementation_verifies_every_others_hashes) {
  for (const auto writer : implementations()) {
    const password_hasher writing({.memory_kib = 256, .iterations = 2, .implementation = writer});
    const std::string phc = writing.hash("tr0ub4dor&3");
    for (const auto reader : implementations()) {
      SCOPED_TRACE(std::string(argon2::name_of(writer)) + " -> " + std::string(argon2::name_of(reader)));
      const password_hasher reading({.memory_kib = 256, .iterations = 2, .implementation = reader});
      EXPECT_EQ(reading.verify("tr0ub4dor&3", phc), verify_outcome::match);
      EXPECT_EQ(reading.verify("tr0ub4dor&4", phc), verify_outcome::mismatch);
    }
  }
}

TEST(password_hasher, writes_what_libsodium_writes_and_verifies) {
  const password_hasher hasher(small);
  const std::string phc = hasher.hash("correct horse battery staple");
  EXPECT_EQ(phc.size(), std::string_view(small_vector).size());  // 16-byte salt, 32-byte tag
  EXPECT_EQ(crypto_pwhash_str_verify(phc.c_str(), "correct horse battery staple", 28), 0);
  EXPECT_EQ(crypto_pwhash_str_needs_rehash(phc.c_str(), 1, 64 * 1024), 0);
}

TEST(password_hasher, the_reference_library_verifies_its_hashes_and_it_verifies_the_references) {
  // libargon2 is what argon2-cffi (the original service's library) calls underneath.
  const password_hasher hasher({.memory_kib = 256, .iterations = 2});
  const std::string ours = hasher.hash("correct horse battery staple");
  EXPECT_EQ(argon2_verify(ours.c_str(), "correct horse battery staple", 28, Argon2_id), ARGON2_OK);
  EXPECT_EQ(argon2_verify(ours.c_str(), "correct horse battery stapler", 29, Argon2_id),
            ARGON2_VERIFY_MISMATCH);

  const unsigned char salt[16] = {'o', 't', 'h', 'e', 'r', ' ', 's', 'a', 'l', 't'};
  for (const auto& [m, t, p] : {std::array<std::uint32_t, 3>{256, 2, 1}, {64, 3, 4}, {200, 1, 2}}) {
    char encoded[256];
    ASSERT_EQ(argon2id_hash_encoded(t, m, p, "password", 8, salt, sizeof salt, 32, encoded, sizeof encoded),
              ARGON2_OK);
    SCOPED_TRACE(encoded);
    EXPECT_NE(hasher.verify("password", encoded), verify_outcome::mismatch);
    EXPECT_EQ(hasher.verify("passworD", encoded), verify_outcome::mismatch);
  }
}

TEST(password_hasher, other_salt_and_tag_sizes_need_rehash) {
  const password_hasher hasher(small);
  const unsigned char salt[16] = {'s', 'a', 'l', 't'};
  char encoded[256];
  ASSERT_EQ(argon2id_hash_encoded(1, 64, 1, "password", 8, salt, 8, 32, encoded, sizeof encoded), ARGON2_OK);
  EXPECT_EQ(hasher.verify("password", encoded), verify_outcome::match_needs_rehash) << encoded;
  ASSERT_EQ(argon2id_hash_encoded(1, 64, 1, "password", 8, salt, 16, 64, encoded, sizeof encoded), ARGON2_OK);
  EXPECT_EQ(hasher.verify("password", encoded), verify_outcome::match_needs_rehash) << encoded;
  ASSERT_EQ(argon2id_hash_encoded(1, 64, 1, "password", 8, salt, 16, 32, encoded, sizeof encoded), ARGON2_OK);
  EXPECT_EQ(hasher.verify("password", encoded), verify_outcome::match) << encoded;
}

TEST(password_hasher, a_stored_hash_larger_than_the_arena_does_not_grow_it) {
  std::thread([] {
    const password_hasher hasher(small);
    hasher.hash("some password");
    const std::size_t capacity = argon2::existing_thread_arena()->capacity();
    // The original service's p=4, 64 MiB hash: libsodium's memory, not the arena's.
    EXPECT_EQ(hasher.verify(cffi_password, cffi_vector), verify_outcome::match_needs_rehash);
    EXPECT_EQ(argon2::existing_thread_arena()->capacity(), capacity);
  }).join();
}

TEST(password_hasher, auto_resolves_to_the_fastest_kernel_this_cpu_runs) {
  const password_hasher hasher(small);
  EXPECT_EQ(argon2::kernel_of(hasher.implementation()), argon2::fastest_supported_kernel());
  EXPECT_EQ(password_hasher(
                {.memory_kib = 64, .iterations = 1, .implementation = argon2::implementation::libsodium})
                .implementation(),
            argon2::implementation::libsodium);
}

TEST(password_hasher, leaves_password_derived_memory_in_the_thread_arena_until_it_is_wiped) {
  std::thread([] {
    const password_hasher hasher(small);
    hasher.hash("some password");
    const argon2::arena* arena = argon2::existing_thread_arena();
    ASSERT_NE(arena, nullptr);
    EXPECT_EQ(arena->dirty_blocks(), 64U);
    argon2::wipe_thread_arena();
    EXPECT_EQ(arena->dirty_blocks(), 0U);
    EXPECT_EQ(hasher.verify("some password", hasher.hash("some password")), verify_outcome::match);
  }).join();
}

TEST(password_hasher, libsodium_needs_no_arena) {
  std::thread([] {
    const password_hasher hasher(
        {.memory_kib = 64, .iterations = 1, .implementation = argon2::implementation::libsodium});
    EXPECT_EQ(hasher.verify("pw", hasher.hash("pw")), verify_outcome::match);
    EXPECT_EQ(argon2::existing_thread_arena(), nullptr);
  }).join();
}

TEST(password_hasher, malformed_stored_hashes_are_mismatches) {
  const password_hasher hasher(small);
  const std::string vector = small_vector;
  for (const std::string& stored : {
           ""s,
           "password"s,
           "$2b$12$R9h/cIPz0gi.URNNX3kh2OPST9/PgBkqquzi.Ss7KIUgO2t0jWMUW"s,  // bcrypt
           vector.substr(0, vector.size() - 10),                             // truncated hash
           vector.substr(0, vector.rfind('$')),                              // no hash
           "$argon2id$v=19$m=64,t=1,p=1$$"s,
           "$argon2id$v=19$m=64,t=1,p=1$c29tZXNhbHRzb21lc2FsdA$!!!!"s,
           vector.substr(0, 30) + "\0"s + vector.substr(31),  // NUL inside
           vector + "$extra"s,
           "$argon2id$v=16$m=64,t=1,p=1$c29tZXNhbHRzb21lc2FsdA$55PWTvddWPUD1GMbKxSff4ASfF85k9ibHJt4HlHQtBM"s,
           "$argon2id$m=64,t=1,p=1$c29tZXNhbHRzb21lc2FsdA$55PWTvddWPUD1GMbKxSff4ASfF85k9ibHJt4HlHQtBM"s,
           "$argon2id$v=19$m=64,t=1,p=0$c29tZXNhbHRzb21lc2FsdA$55PWTvddWPUD1GMbKxSff4ASfF85k9ibHJt4HlHQtBM"s,
           "$argon2id$v=19$m=64,t=0,p=1$c29tZXNhbHRzb21lc2FsdA$55PWTvddWPUD1GMbKxSff4ASfF85k9ibHJt4HlHQtBM"s,
           "$argon2id$v=19$m=1,t=1,p=1$c29tZXNhbHRzb21lc2FsdA$55PWTvddWPUD1GMbKxSff4ASfF85k9ibHJt4HlHQtBM"s,
           vector + std::string(10000, 'A'),
       }) {
    EXPECT_EQ(hasher.verify(cffi_password, stored), verify_outcome::mismatch) << stored;
  }
}

TEST(password_hasher, absurd_stored_costs_are_refused_before_computing) {
  const password_hasher hasher(small);
  // A genuine hash of the password with t=65 (argon2 somesaltsomesalt -id -t 65 -k 64 -p 1 -e):
  // libsodium would accept it, so only the ceiling makes it a mismatch.
  EXPECT_EQ(hasher.verify(cffi_password,
                          "$argon2id$v=19$m=64,t=65,p=1$c29tZXNhbHRzb21lc2FsdA$"
                          "wxF1Hx/FRGX6afJBgADReSwNQ6Bg1giydrJgGR+73Ew"),
            verify_outcome::mismatch);
  // ... while t=64 is still allowed (same command with -t 64).
  EXPECT_EQ(hasher.verify(cffi_password,
                          "$argon2id$v=19$m=64,t=64,p=1$c29tZXNhbHRzb21lc2FsdA$"
                          "1RYNP9u0RptnfQH8BuLZ0Ymjlna+bHl0ZOubuldhmxI"),
            verify_outcome::match_needs_rehash);
  // A corrupted row asking for 4 GiB and for far more than 32 bits.
  EXPECT_EQ(hasher.verify(cffi_password,
                          "$argon2id$v=19$m=4194304,t=3,p=4$c29tZXNhbHRzb21lc2FsdA$"
                          "gduXp+Z6iReEolmbyHn5V8s1EtJzmEvZfYoY/Fn/AeI"),
            verify_outcome::mismatch);
  EXPECT_EQ(hasher.verify(cffi_password,
                          "$argon2id$v=19$m=99999999999999999999,t=3,p=4$c29tZXNhbHRzb21lc2FsdA$"
                          "gduXp+Z6iReEolmbyHn5V8s1EtJzmEvZfYoY/Fn/AeI"),
            verify_outcome::mismatch);
}

TEST(password_hasher, dummy_verify_accepts_any_input_and_hashes_with_the_configured_cost) {
  std::thread([] {
    const password_hasher hasher(small);
    hasher.dummy_verify("");
    hasher.dummy_verify("some password");
    hasher.dummy_verify(std::string(1000, 'x'));
    // It ran Argon2 with the configured memory, as a verification of a current hash does.
    ASSERT_NE(argon2::existing_thread_arena(), nullptr);
    EXPECT_EQ(argon2::existing_thread_arena()->dirty_blocks(), small.memory_kib);
  }).join();
}

TEST(password_hasher, refuses_parameters_outside_what_it_would_verify) {
  EXPECT_THROW(password_hasher({.memory_kib = 4, .iterations = 1}), std::invalid_argument);
  EXPECT_THROW(password_hasher({.memory_kib = 1024 * 1024 + 1, .iterations = 1}), std::invalid_argument);
  EXPECT_THROW(password_hasher({.memory_kib = 64, .iterations = 0}), std::invalid_argument);
  EXPECT_THROW(password_hasher({.memory_kib = 64, .iterations = 65}), std::invalid_argument);
}

}  // namespace
}  // namespace authd::auth
