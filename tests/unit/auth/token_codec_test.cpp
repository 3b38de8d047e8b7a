#include "auth/token_codec.hpp"

#include <gtest/gtest.h>
#include <jwt.h>
#include <sodium.h>

#include <algorithm>
#include <cstdlib>
#include <memory>
#include <string>
#include <vector>

#include "unit/auth/hostile_jws.hpp"

namespace authd::auth {
namespace {

using testing::base64url;
using testing::sign_hs256;
using testing::sign_hs512;

const std::string secret = "k3y-for-tests-0123456789-abcdefghijklmnop";  // 41 bytes: not HMAC's 32
constexpr std::int64_t now = 1'700'000'000;
const std::string hs256_header = R"({"alg":"HS256","typ":"JWT"})";
const std::string good_payload = R"({"sub":"user-1","sid":"session-1","iat":1699999000,"exp":1700001000})";

token_claims sample_claims() {
  return {"user-1", "session-1", now - 1000, now + 1000};
}

bool is_invalid(const boost::system::result<token_claims, token_error>& r) {
  return r.has_error() && r.error() == token_error::invalid;
}

// What the other algorithms would look like if a (confused) signer used our secret for them.
std::string sign_with_libjwt(jwt_alg_t alg, std::string_view payload_json) {
  jwt_t* raw = nullptr;
  EXPECT_EQ(jwt_new(&raw), 0);
  std::unique_ptr<jwt_t, decltype(&jwt_free)> jwt(raw, &jwt_free);
  EXPECT_EQ(jwt_add_grants_json(jwt.get(), std::string(payload_json).c_str()), 0);
  EXPECT_EQ(jwt_set_alg(jwt.get(), alg, reinterpret_cast<const unsigned char*>(secret.data()),
                        static_cast<int>(secret.size())),
            0);
  std::unique_ptr<char, decltype(&std::free)> out(jwt_encode_str(jwt.get()), &std::free);
  EXPECT_NE(out, nullptr);
  return out ? std::string(out.get()) : std::string();
}

TEST(token_codec, round_trip_keeps_every_claim) {
  const token_codec codec(secret);
  const auto result = codec.verify(codec.issue(sample_claims()), now);
  ASSERT_TRUE(result.has_value());
  EXPECT_EQ(result->subject, "user-1");
  EXPECT_EQ(result->session_id, "session-1");
  EXPECT_EQ(result->issued_at, now - 1000);
  EXPECT_EQ(result->expires_at, now + 1000);
}

TEST(token_codec, issued_token_is_a_three_part_jws_saying_hs256) {
  const std::string token = token_codec(secret).issue(sample_claims());
  EXPECT_EQ(std::count(token.begin(), token.end(), '.'), 2);
  const std::string header = testing::base64url_decode(token.substr(0, token.find('.')));
  EXPECT_NE(header.find(R"("alg":"HS256")"), std::string::npos) << header;
}

TEST(token_codec, hand_built_hs256_token_is_accepted) {
  // Guards the forging helpers: if this failed, the refusals below would prove nothing.
  const auto result = token_codec(secret).verify(sign_hs256(secret, hs256_header, good_payload), now);
  ASSERT_TRUE(result.has_value());
  EXPECT_EQ(result->subject, "user-1");
}

TEST(token_codec, tampered_payload_is_invalid) {
  const token_codec codec(secret);
  const std::string token = codec.issue(sample_claims());
  const auto first = token.find('.');
  const auto second = token.find('.', first + 1);
  const std::string forged_payload =
      base64url(R"({"sub":"admin","sid":"session-1","iat":1699999000,"exp":1700001000})");
  const std::string forged = token.substr(0, first + 1) + forged_payload + token.substr(second);
  EXPECT_TRUE(is_invalid(codec.verify(forged, now)));
}

TEST(token_codec, flipped_signature_bit_is_invalid) {
  const token_codec codec(secret);
  std::string token = codec.issue(sample_claims());
  token[token.size() - 5] = token[token.size() - 5] == 'A' ? 'B' : 'A';
  EXPECT_TRUE(is_invalid(codec.verify(token, now)));
}

TEST(token_codec, non_canonical_signature_spelling_is_invalid) {
  // 32 bytes take 43 base64 characters, the last carrying 2 unused bits; a second spelling of the
  // same signature would make tokens malleable.
  const token_codec codec(secret);
  std::string token = codec.issue(sample_claims());
  const std::string alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
  const auto index = alphabet.find(token.back());
  ASSERT_NE(index, std::string::npos);
  token.back() = alphabet[index ^ 1U];
  EXPECT_TRUE(is_invalid(codec.verify(token, now)));
}

TEST(token_codec, other_secret_is_invalid) {
  const std::string token = token_codec("another-secret-of-enough-length-0123456789").issue(sample_claims());
  EXPECT_TRUE(is_invalid(token_codec(secret).verify(token, now)));
}

TEST(token_codec, alg_none_is_invalid_with_or_without_signature) {
  const token_codec codec(secret);
  const std::string unsigned_input = testing::signing_input(R"({"alg":"none","typ":"JWT"})", good_payload);
  EXPECT_TRUE(is_invalid(codec.verify(unsigned_input + ".", now)));
  EXPECT_TRUE(is_invalid(codec.verify(unsigned_input, now)));
  EXPECT_TRUE(is_invalid(codec.verify(sign_hs256(secret, R"({"alg":"none"})", good_payload), now)));
  EXPECT_TRUE(is_invalid(codec.verify(sign_hs256(secret, R"({"alg":"None"})", good_payload), now)));
}

TEST(token_codec, other_hmac_algorithms_with_our_secret_are_invalid) {
  const token_codec codec(secret);
  EXPECT_TRUE(
      is_invalid(codec.verify(sign_hs512(secret, R"({"alg":"HS512","typ":"JWT"})", good_payload), now)));
  EXPECT_TRUE(is_invalid(codec.verify(sign_with_libjwt(JWT_ALG_HS384, good_payload), now)));
  EXPECT_TRUE(is_invalid(codec.verify(sign_with_libjwt(JWT_ALG_HS512, good_payload), now)));
}

TEST(token_codec, rs256_header_with_hmac_of_our_secret_is_invalid) {
  // The classic confusion: an asymmetric alg in the header, "signed" by HMAC with a known key.
  EXPECT_TRUE(
      is_invalid(token_codec(secret).verify(sign_hs256(secret, R"({"alg":"RS256"})", good_payload), now)));
}

TEST(token_codec, alg_spelled_in_another_case_is_invalid) {
  // libjwt 1.10 maps "hs256" to HS256; JWS algorithm names are case-sensitive.
  EXPECT_TRUE(
      is_invalid(token_codec(secret).verify(sign_hs256(secret, R"({"alg":"hs256"})", good_payload), now)));
}

TEST(token_codec, header_without_alg_is_invalid) {
  EXPECT_TRUE(
      is_invalid(token_codec(secret).verify(sign_hs256(secret, R"({"typ":"JWT"})", good_payload), now)));
}

TEST(token_codec, header_with_critical_extensions_is_invalid) {
  // RFC 7515 4.1.11: a recipient that does not understand a "crit" extension must refuse the JWS.
  EXPECT_TRUE(is_invalid(token_codec(secret).verify(
      sign_hs256(secret, R"({"alg":"HS256","crit":["exp"],"exp":1})", good_payload), now)));
}

TEST(token_codec, header_that_is_not_an_object_or_has_a_non_string_alg_is_invalid) {
  const token_codec codec(secret);
  for (const char* header :
       {R"(["HS256"])", R"("HS256")", R"({"alg":256})", R"({"alg":["HS256"]})", R"({"alg":null})"})
    EXPECT_TRUE(is_invalid(codec.verify(sign_hs256(secret, header, good_payload), now))) << header;
}

TEST(token_codec, extra_header_and_payload_members_are_ignored) {
  const auto result = token_codec(secret).verify(
      sign_hs256(
          secret, R"({"typ":"JWT","alg":"HS256","cty":"x"})",
          R"({"aud":"other","sub":"user-1","sid":"session-1","iat":1699999000,"exp":1700001000,"n":[1,{"a":2}]})"),
      now);
  ASSERT_TRUE(result.has_value());
  EXPECT_EQ(result->session_id, "session-1");
}

TEST(token_codec, expired_means_exp_not_after_now) {
  const token_codec codec(secret);
  token_claims claims = sample_claims();
  claims.expires_at = now;
  const auto at_exp = codec.verify(codec.issue(claims), now);
  ASSERT_TRUE(at_exp.has_error());
  EXPECT_EQ(at_exp.error(), token_error::expired);
  claims.expires_at = now + 1;
  EXPECT_TRUE(codec.verify(codec.issue(claims), now).has_value());
}

TEST(token_codec, expired_is_only_said_of_genuine_tokens) {
  const token_codec codec(secret);
  token_claims claims = sample_claims();
  claims.expires_at = now - 10;
  std::string token = codec.issue(claims);
  token[token.size() - 3] = token[token.size() - 3] == 'A' ? 'B' : 'A';
  EXPECT_TRUE(is_invalid(codec.verify(token, now)));
  const std::string expired_without_sid = R"({"sub":"user-1","iat":1,"exp":2})";
  EXPECT_TRUE(is_invalid(codec.verify(sign_hs256(secret, hs256_header, expired_without_sid), now)));
}

TEST(token_codec, missing_claims_are_invalid) {
  const token_codec codec(secret);
  for (const char* payload : {
           R"({"sid":"s","iat":1699999000,"exp":1700001000})",
           R"({"sub":"u","iat":1699999000,"exp":1700001000})",
           R"({"sub":"u","sid":"s","exp":1700001000})",
           R"({"sub":"u","sid":"s","iat":1699999000})",
           R"({})",
       }) {
    EXPECT_TRUE(is_invalid(codec.verify(sign_hs256(secret, hs256_header, payload), now))) << payload;
  }
}

TEST(token_codec, ill_typed_claims_are_invalid) {
  const token_codec codec(secret);
  for (const char* payload : {
           R"({"sub":42,"sid":"s","iat":1699999000,"exp":1700001000})",
           R"({"sub":"u","sid":null,"iat":1699999000,"exp":1700001000})",
           R"({"sub":["u"],"sid":"s","iat":1699999000,"exp":1700001000})",
           R"({"sub":"u","sid":"s","iat":"1699999000","exp":1700001000})",
           R"({"sub":"u","sid":"s","iat":1699999000,"exp":"1700001000"})",
           R"({"sub":"u","sid":"s","iat":1699999000,"exp":1700001000.5})",
           R"({"sub":"u","sid":"s","iat":1699999000,"exp":1.7e9})",
           R"({"sub":"u","sid":"s","iat":1699999000,"exp":true})",
           R"({"sub":"u","sid":"s","iat":1699999000,"exp":{"n":1700001000}})",
           R"({"sub":"u","sid":"s","iat":1699999000,"exp":99999999999999999999999})",
       }) {
    EXPECT_TRUE(is_invalid(codec.verify(sign_hs256(secret, hs256_header, payload), now))) << payload;
  }
}

TEST(token_codec, signed_non_json_payload_is_invalid) {
  const token_codec codec(secret);
  EXPECT_TRUE(is_invalid(codec.verify(sign_hs256(secret, hs256_header, "not json"), now)));
  EXPECT_TRUE(is_invalid(codec.verify(sign_hs256(secret, hs256_header, "[1,2,3]"), now)));
  EXPECT_TRUE(is_invalid(codec.verify(sign_hs256(secret, "not json", good_payload), now)));
}

TEST(token_codec, truncated_tokens_are_invalid) {
  const token_codec codec(secret);
  const std::string token = codec.issue(sample_claims());
  EXPECT_TRUE(is_invalid(codec.verify(token.substr(0, token.size() - 1), now)));
  EXPECT_TRUE(is_invalid(codec.verify(token.substr(0, token.rfind('.')), now)));
  EXPECT_TRUE(is_invalid(codec.verify(token.substr(0, token.rfind('.') + 1), now)));
  EXPECT_TRUE(is_invalid(codec.verify(token.substr(0, token.find('.')), now)));
  EXPECT_TRUE(is_invalid(codec.verify(token.substr(1), now)));
}

TEST(token_codec, extra_segments_and_padding_are_invalid) {
  const token_codec codec(secret);
  const std::string token = codec.issue(sample_claims());
  EXPECT_TRUE(is_invalid(codec.verify(token + ".", now)));
  EXPECT_TRUE(is_invalid(codec.verify(token + ".AAAA", now)));
  EXPECT_TRUE(is_invalid(codec.verify("AAAA." + token, now)));
  EXPECT_TRUE(is_invalid(codec.verify(token + "=", now)));
  EXPECT_TRUE(is_invalid(codec.verify(token + " ", now)));
  EXPECT_TRUE(is_invalid(codec.verify(" " + token, now)));
}

TEST(token_codec, garbage_and_empty_strings_are_invalid) {
  const token_codec codec(secret);
  using namespace std::string_literals;
  for (const std::string& garbage : {""s, "."s, ".."s, "..."s, "a.b.c"s, "Bearer x"s, "\xff\xfe.\x00.\x01"s,
                                     std::string(10000, 'A'), std::string(5000, '.')}) {
    EXPECT_TRUE(is_invalid(codec.verify(garbage, now)));
  }
}

TEST(token_codec, overlong_token_is_invalid_even_when_signed) {
  const std::string padding(5000, 'x');
  const std::string payload =
      R"({"sub":"u","sid":"s","iat":1699999000,"exp":1700001000,"pad":")" + padding + R"("})";
  EXPECT_TRUE(is_invalid(token_codec(secret).verify(sign_hs256(secret, hs256_header, payload), now)));
}

TEST(token_codec, empty_secret_is_refused) {
  EXPECT_THROW(token_codec(""), std::invalid_argument);
  EXPECT_THROW(token_codec(secret, {""}), std::invalid_argument);
}

// Key rotation: kid in the header, previous secrets verifying.

const std::string previous_secret = "the-secret-before-rotation-0123456789abcdef";
const std::string retired_secret = "a-secret-retired-long-ago-0123456789abcdefgh";

std::string header_of(std::string_view token) {
  return testing::base64url_decode(token.substr(0, token.find('.')));
}

std::string with_header(std::string_view token, std::string_view header_json) {
  return base64url(header_json) + std::string(token.substr(token.find('.')));
}

TEST(token_codec, key_id_is_16_hex_characters_of_a_personalised_blake2b_of_the_secret) {
  // Pinned: changing the derivation would refuse every live token at the next upgrade.
  unsigned char digest[16];
  crypto_generichash_blake2b_salt_personal(
      digest, sizeof digest, reinterpret_cast<const unsigned char*>(secret.data()), secret.size(), nullptr, 0,
      nullptr, reinterpret_cast<const unsigned char*>("authd-jwt-kid-v1"));
  char hex[17];
  sodium_bin2hex(hex, sizeof hex, digest, 8);
  EXPECT_EQ(token_codec::key_id(secret), std::string(hex));
  EXPECT_NE(token_codec::key_id(secret), token_codec::key_id(previous_secret));
  EXPECT_EQ(token_codec(secret).current_key_id(), token_codec::key_id(secret));
}

TEST(token_codec, key_id_shows_nothing_of_the_secret) {
  const std::string hex_secret = "00112233445566778899aabbccddeeff00112233445566778899aabbccddeeff";
  const std::string kid = token_codec::key_id(hex_secret);
  EXPECT_EQ(hex_secret.find(kid), std::string::npos);
  EXPECT_EQ(kid.find("0011"), std::string::npos);
}

TEST(token_codec, issued_tokens_carry_the_current_kid) {
  const token_codec codec(secret, {previous_secret});
  const std::string header = header_of(codec.issue(sample_claims()));
  EXPECT_NE(header.find(R"("kid":")" + token_codec::key_id(secret) + "\""), std::string::npos) << header;
  EXPECT_EQ(header.find(token_codec::key_id(previous_secret)), std::string::npos) << header;
}

TEST(token_codec, a_token_of_the_previous_secret_is_accepted_after_rotation) {
  const std::string old_token = token_codec(previous_secret).issue(sample_claims());
  const token_codec rotated(secret, {retired_secret, previous_secret});
  const auto result = rotated.verify(old_token, now);
  ASSERT_TRUE(result.has_value());
  EXPECT_EQ(result->session_id, "session-1");
  EXPECT_TRUE(rotated.verify(rotated.issue(sample_claims()), now).has_value());
}

TEST(token_codec, a_token_of_a_secret_removed_from_the_list_is_invalid) {
  const std::string old_token = token_codec(previous_secret).issue(sample_claims());
  EXPECT_TRUE(is_invalid(token_codec(secret).verify(old_token, now)));
  EXPECT_TRUE(is_invalid(token_codec(secret, {retired_secret}).verify(old_token, now)));
}

TEST(token_codec, an_unknown_kid_is_invalid_even_when_signed_with_a_known_secret) {
  const token_codec codec(secret, {previous_secret});
  for (const std::string& kid :
       std::vector<std::string>{"0000000000000000", "", token_codec::key_id(secret) + "0",
                                token_codec::key_id(secret).substr(1), token_codec::key_id(retired_secret)}) {
    const std::string header = R"({"alg":"HS256","kid":")" + kid + R"(","typ":"JWT"})";
    EXPECT_TRUE(is_invalid(codec.verify(sign_hs256(secret, header, good_payload), now))) << kid;
    EXPECT_TRUE(is_invalid(codec.verify(sign_hs256(previous_secret, header, good_payload), now))) << kid;
  }
}

TEST(token_codec, a_kid_signed_with_another_known_secret_is_invalid) {
  const token_codec codec(secret, {previous_secret});
  const std::string previous_kid =
      R"({"alg":"HS256","kid":")" + token_codec::key_id(previous_secret) + R"("})";
  const std::string current_kid = R"({"alg":"HS256","kid":")" + token_codec::key_id(secret) + R"("})";
  EXPECT_TRUE(is_invalid(codec.verify(sign_hs256(secret, previous_kid, good_payload), now)));
  EXPECT_TRUE(is_invalid(codec.verify(sign_hs256(previous_secret, current_kid, good_payload), now)));
  // The right pairings, so the refusals above are about the pairing and nothing else.
  EXPECT_TRUE(codec.verify(sign_hs256(previous_secret, previous_kid, good_payload), now).has_value());
  EXPECT_TRUE(codec.verify(sign_hs256(secret, current_kid, good_payload), now).has_value());
}

TEST(token_codec, without_kid_only_the_current_secret_verifies) {
  // Tokens from before key ids: one HMAC, with the current secret (no trying each key).
  const token_codec codec(secret, {previous_secret});
  EXPECT_TRUE(codec.verify(sign_hs256(secret, hs256_header, good_payload), now).has_value());
  EXPECT_TRUE(is_invalid(codec.verify(sign_hs256(previous_secret, hs256_header, good_payload), now)));
}

TEST(token_codec, a_kid_that_is_not_a_string_is_invalid) {
  const token_codec codec(secret);
  const std::string kid = token_codec::key_id(secret);
  for (const std::string& header :
       std::vector<std::string>{R"({"alg":"HS256","kid":null})", R"({"alg":"HS256","kid":42})",
                                R"({"alg":"HS256","kid":[")" + kid + R"("]})",
                                R"({"alg":"HS256","kid":{"id":")" + kid + R"("}})"}) {
    EXPECT_TRUE(is_invalid(codec.verify(sign_hs256(secret, header, good_payload), now))) << header;
  }
}

TEST(token_codec, a_tampered_header_is_invalid) {
  // The header is covered by the signature: changing or dropping the kid, or anything else in it,
  // breaks the token even when the new kid names a secret we hold.
  const token_codec codec(secret, {previous_secret});
  const std::string token = codec.issue(sample_claims());
  const std::string kid = token_codec::key_id(secret);
  for (const std::string& header : std::vector<std::string>{
           R"({"alg":"HS256","kid":")" + token_codec::key_id(previous_secret) + R"(","typ":"JWT"})",
           std::string(R"({"alg":"HS256","typ":"JWT"})"),
           R"({"alg":"HS256","kid":")" + kid + R"(","typ":"JWT","x":1})",
           R"({"typ":"JWT","kid":")" + kid + R"(","alg":"HS256"})",
       }) {
    EXPECT_TRUE(is_invalid(codec.verify(with_header(token, header), now))) << header;
  }
  EXPECT_TRUE(codec.verify(with_header(token, header_of(token)), now).has_value());
}

TEST(token_codec, a_repeated_secret_is_kept_once) {
  const token_codec codec(secret, {previous_secret, secret, previous_secret});
  EXPECT_EQ(codec.key_ids(),
            (std::vector<std::string>{token_codec::key_id(secret), token_codec::key_id(previous_secret)}));
}

}  // namespace
}  // namespace authd::auth
