// Builds compact JWS strings by hand (libsodium base64url and HMAC), so tests can forge the tokens
// an attacker would send: other algorithms, alg none, odd claims.
#pragma once

#include <sodium.h>

#include <string>
#include <string_view>

namespace authd::auth::testing {

inline std::string base64url(std::string_view bytes) {
  std::string out(sodium_base64_ENCODED_LEN(bytes.size(), sodium_base64_VARIANT_URLSAFE_NO_PADDING), '\0');
  sodium_bin2base64(out.data(), out.size(), reinterpret_cast<const unsigned char*>(bytes.data()),
                    bytes.size(), sodium_base64_VARIANT_URLSAFE_NO_PADDING);
  out.resize(out.find('\0'));
  return out;
}

inline std::string base64url_decode(std::string_view text) {
  std::string out(text.size(), '\0');
  std::size_t length = 0;
  if (sodium_base642bin(reinterpret_cast<unsigned char*>(out.data()), out.size(), text.data(), text.size(),
                        nullptr, &length, nullptr, sodium_base64_VARIANT_URLSAFE_NO_PADDING) != 0) {
    return {};
  }
  out.resize(length);
  return out;
}

inline std::string hmac_sha256(std::string_view key, std::string_view message) {
  crypto_auth_hmacsha256_state state;
  std::string mac(crypto_auth_hmacsha256_BYTES, '\0');
  crypto_auth_hmacsha256_init(&state, reinterpret_cast<const unsigned char*>(key.data()), key.size());
  crypto_auth_hmacsha256_update(&state, reinterpret_cast<const unsigned char*>(message.data()),
                                message.size());
  crypto_auth_hmacsha256_final(&state, reinterpret_cast<unsigned char*>(mac.data()));
  return mac;
}

inline std::string hmac_sha512(std::string_view key, std::string_view message) {
  crypto_auth_hmacsha512_state state;
  std::string mac(crypto_auth_hmacsha512_BYTES, '\0');
  crypto_auth_hmacsha512_init(&state, reinterpret_cast<const unsigned char*>(key.data()), key.size());
  crypto_auth_hmacsha512_update(&state, reinterpret_cast<const unsigned char*>(message.data()),
                                message.size());
  crypto_auth_hmacsha512_final(&state, reinterpret_cast<unsigned char*>(mac.data()));
  return mac;
}

inline std::string signing_input(std::string_view header_json, std::string_view payload_json) {
  return base64url(header_json) + "." + base64url(payload_json);
}

// header.payload.HMAC-SHA256(key, header.payload), whatever the header claims.
inline std::string sign_hs256(std::string_view key, std::string_view header_json,
                              std::string_view payload_json) {
  const std::string input = signing_input(header_json, payload_json);
  return input + "." + base64url(hmac_sha256(key, input));
}

inline std::string sign_hs512(std::string_view key, std::string_view header_json,
                              std::string_view payload_json) {
  const std::string input = signing_input(header_json, payload_json);
  return input + "." + base64url(hmac_sha512(key, input));
}

}  // namespace authd::auth::testing
