// Makes JWTs the way an attacker (or a stale client) would, with a known JWT_SECRET: expired,
// tampered, unsigned, wrongly signed. libsodium supplies HMAC and base64url.
#pragma once

#include <boost/json/object.hpp>
#include <string>
#include <string_view>

namespace authd::itest {

// A JWT_SECRET of 48 bytes for the servers that tests forge tokens for.
inline constexpr std::string_view known_jwt_secret = "integration-tests-only-8d3f1c9a47b2e6051f7ac3d9e4";

std::string base64url(std::string_view bytes);
// Throws on text that is not unpadded base64url.
std::string base64url_decode(std::string_view text);

// header.payload.signature, the signature HMAC-SHA256 ("HS256") or HMAC-SHA512 ("HS512") of
// header.payload with `secret`; with alg "none" the signature is empty.
std::string make_token(const boost::json::object& header, const boost::json::object& claims,
                       std::string_view secret);

// The claims of a token the server issued (no verification).
boost::json::object token_claims(std::string_view token);
// Its header.
boost::json::object token_header(std::string_view token);

// The kid authd gives a secret, computed independently: the first 8 bytes, in hex, of BLAKE2b-128
// personalised with "authd-jwt-kid-v1".
std::string key_id(std::string_view secret);

// A random version 4 UUID, lowercase.
std::string random_uuid();

// Seconds since the epoch, for iat and exp.
long long unix_now();

}  // namespace authd::itest
