#include "support/forged_tokens.hpp"

#include <sodium.h>

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>
#include <chrono>
#include <cstdio>
#include <stdexcept>
#include <vector>

namespace authd::itest {

namespace {

void ensure_sodium() {
  static const bool ready = sodium_init() >= 0;
  if (!ready) throw std::runtime_error("sodium_init failed");
}

const unsigned char* bytes_of(std::string_view text) {
  return reinterpret_cast<const unsigned char*>(text.data());
}

std::string hmac_sha256(std::string_view key, std::string_view message) {
  crypto_auth_hmacsha256_state state;
  unsigned char mac[crypto_auth_hmacsha256_BYTES];
  crypto_auth_hmacsha256_init(&state, bytes_of(key), key.size());
  crypto_auth_hmacsha256_update(&state, bytes_of(message), message.size());
  crypto_auth_hmacsha256_final(&state, mac);
  return {reinterpret_cast<const char*>(mac), sizeof mac};
}

std::string hmac_sha512(std::string_view key, std::string_view message) {
  crypto_auth_hmacsha512_state state;
  unsigned char mac[crypto_auth_hmacsha512_BYTES];
  crypto_auth_hmacsha512_init(&state, bytes_of(key), key.size());
  crypto_auth_hmacsha512_update(&state, bytes_of(message), message.size());
  crypto_auth_hmacsha512_final(&state, mac);
  return {reinterpret_cast<const char*>(mac), sizeof mac};
}

}  // namespace

std::string base64url(std::string_view bytes) {
  ensure_sodium();
  constexpr int variant = sodium_base64_VARIANT_URLSAFE_NO_PADDING;
  std::string out(sodium_base64_ENCODED_LEN(bytes.size(), variant), '\0');
  sodium_bin2base64(out.data(), out.size(), bytes_of(bytes), bytes.size(), variant);
  out.resize(out.find('\0'));
  return out;
}

std::string base64url_decode(std::string_view text) {
  ensure_sodium();
  std::string out(text.size(), '\0');
  std::size_t length = 0;
  const char* end = nullptr;
  if (sodium_base642bin(reinterpret_cast<unsigned char*>(out.data()), out.size(), text.data(), text.size(),
                        nullptr, &length, &end, sodium_base64_VARIANT_URLSAFE_NO_PADDING) != 0 ||
      end != text.data() + text.size()) {
    throw std::runtime_error("not base64url: " + std::string(text));
  }
  out.resize(length);
  return out;
}

std::string make_token(const boost::json::object& header, const boost::json::object& claims,
                       std::string_view secret) {
  const std::string signing_input =
      base64url(boost::json::serialize(header)) + "." + base64url(boost::json::serialize(claims));
  const auto* alg = header.if_contains("alg");
  const std::string_view algorithm = alg && alg->is_string() ? std::string_view(alg->get_string()) : "none";
  std::string signature;
  if (algorithm == "HS256") {
    signature = base64url(hmac_sha256(secret, signing_input));
  } else if (algorithm == "HS512") {
    signature = base64url(hmac_sha512(secret, signing_input));
  }
  return signing_input + "." + signature;
}

boost::json::object token_claims(std::string_view token) {
  const auto first = token.find('.');
  const auto second = token.find('.', first + 1);
  if (first == std::string_view::npos || second == std::string_view::npos) {
    throw std::runtime_error("not a JWT: " + std::string(token));
  }
  return boost::json::parse(base64url_decode(token.substr(first + 1, second - first - 1))).as_object();
}

boost::json::object token_header(std::string_view token) {
  const auto first = token.find('.');
  if (first == std::string_view::npos) throw std::runtime_error("not a JWT: " + std::string(token));
  return boost::json::parse(base64url_decode(token.substr(0, first))).as_object();
}

std::string key_id(std::string_view secret) {
  ensure_sodium();
  unsigned char digest[16];
  crypto_generichash_blake2b_salt_personal(digest, sizeof digest, bytes_of(secret), secret.size(), nullptr, 0,
                                           nullptr, bytes_of("authd-jwt-kid-v1"));
  char hex[2 * 8 + 1];
  sodium_bin2hex(hex, sizeof hex, digest, 8);
  return hex;
}

std::string random_uuid() {
  ensure_sodium();
  unsigned char b[16];
  randombytes_buf(b, sizeof b);
  b[6] = static_cast<unsigned char>((b[6] & 0x0f) | 0x40);
  b[8] = static_cast<unsigned char>((b[8] & 0x3f) | 0x80);
  char text[37];
  std::snprintf(text, sizeof text, "%02x%02x%02x%02x-%02x%02x-%02x%02x-%02x%02x-%02x%02x%02x%02x%02x%02x",
                b[0], b[1], b[2], b[3], b[4], b[5], b[6], b[7], b[8], b[9], b[10], b[11], b[12], b[13], b[14],
                b[15]);
  return text;
}

long long unix_now() {
  return std::chrono::duration_cast<std::chrono::seconds>(std::chrono::system_clock::now().time_since_epoch())
      .count();
}

}  // namespace authd::itest
