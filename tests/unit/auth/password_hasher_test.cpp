#include "auth/password_hasher.hpp"

#include <gtest/gtest.h>

#include <stdexcept>
#include <string>

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

TEST(password_hasher, other_argon2_variants_are_mismatches_even_with_the_right_password) {
  const password_hasher hasher(small);
  // Same CLI command with -i and -d instead of -id.
  EXPECT_EQ(hasher.verify(cffi_password,
                          "$argon2i$v=19$m=65536,t=3,p=4$c29tZXNhbHRzb21lc2FsdA$"
                          "Xa6qz301W1SA3+F0uTR4gw1ZFMtxOqvVYh4Sa4RGVlk"),
            verify_outcome::mismatch);
  EXPECT_EQ(hasher.verify(cffi_password,
                          "$argon2d$v=19$m=65536,t=3,p=4$c29tZXNhbHRzb21lc2FsdA$"
                          "qLf0+n4ADfvFCdOHv6Uyjkz3CTiJD1gNFXD96o5IWZo"),
            verify_outcome::mismatch);
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

TEST(password_hasher, dummy_verify_accepts_any_input) {
  const password_hasher hasher(small);
  hasher.dummy_verify("");
  hasher.dummy_verify("some password");
  hasher.dummy_verify(std::string(1000, 'x'));
}

TEST(password_hasher, refuses_parameters_outside_what_it_would_verify) {
  EXPECT_THROW(password_hasher({.memory_kib = 4, .iterations = 1}), std::invalid_argument);
  EXPECT_THROW(password_hasher({.memory_kib = 1024 * 1024 + 1, .iterations = 1}), std::invalid_argument);
  EXPECT_THROW(password_hasher({.memory_kib = 64, .iterations = 0}), std::invalid_argument);
  EXPECT_THROW(password_hasher({.memory_kib = 64, .iterations = 65}), std::invalid_argument);
}

}  // namespace
}  // namespace authd::auth
