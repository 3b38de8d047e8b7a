#include "auth/token_codec.hpp"

#include <jwt.h>
#include <sodium.h>

#include <array>
#include <charconv>
#include <climits>
#include <cstdlib>
#include <cstring>
#include <memory>
#include <optional>
#include <stdexcept>
#include <utility>

#include "auth/sodium_init.hpp"

namespace authd::auth {
namespace {

static_assert(sizeof(long) == sizeof(std::int64_t), "libjwt carries integer claims as long");

// Ours are about 250 bytes; a cookie cannot hold more than 4 KiB anyway.
constexpr std::size_t max_token_length = 4096;

struct jwt_deleter {
  void operator()(jwt_t* jwt) const { jwt_free(jwt); }
};
using jwt_ptr = std::unique_ptr<jwt_t, jwt_deleter>;

// libjwt 1.10 hands out malloc'd strings.
struct malloc_deleter {
  void operator()(char* text) const { std::free(text); }
};
using malloc_string = std::unique_ptr<char, malloc_deleter>;

struct compact_jws {
  std::string_view signing_input;  // "header.payload"
  std::string_view signature;
};

// Exactly three non-empty segments: no JWE, no trailing dots, no detached payloads.
std::optional<compact_jws> split(std::string_view token) {
  const auto first = token.find('.');
  if (first == std::string_view::npos || first == 0) return std::nullopt;
  const auto second = token.find('.', first + 1);
  if (second == std::string_view::npos || second == first + 1 || second + 1 == token.size())
    return std::nullopt;
  if (token.find('.', second + 1) != std::string_view::npos) return std::nullopt;
  return compact_jws{token.substr(0, second), token.substr(second + 1)};
}

// Upstream libjwt up to 1.15 compares signatures with strcmp (CVE-2024-25189; Debian's 1.10.2
// carries a fix, other builds may not), so the MAC is checked here, in constant time, before libjwt
// sees the token. The secret
// may be any length, hence the streaming API rather than crypto_auth_hmacsha256_verify, whose key
// is fixed at 32 bytes.
bool hs256_signature_matches(const compact_jws& jws, const std::string& secret) {
  std::array<unsigned char, crypto_auth_hmacsha256_BYTES> claimed{};
  std::size_t claimed_length = 0;
  const char* end = nullptr;
  // The URL-safe alphabet without padding, and libsodium refuses non-zero trailing bits, so every
  // signature has exactly one accepted spelling.
  if (sodium_base642bin(claimed.data(), claimed.size(), jws.signature.data(), jws.signature.size(), nullptr,
                        &claimed_length, &end, sodium_base64_VARIANT_URLSAFE_NO_PADDING) != 0 ||
      claimed_length != claimed.size() || end != jws.signature.data() + jws.signature.size()) {
    return false;
  }
  crypto_auth_hmacsha256_state state;
  std::array<unsigned char, crypto_auth_hmacsha256_BYTES> expected{};
  crypto_auth_hmacsha256_init(&state, reinterpret_cast<const unsigned char*>(secret.data()), secret.size());
  crypto_auth_hmacsha256_update(&state, reinterpret_cast<const unsigned char*>(jws.signing_input.data()),
                                jws.signing_input.size());
  crypto_auth_hmacsha256_final(&state, expected.data());
  sodium_memzero(&state, sizeof state);
  return crypto_verify_32(claimed.data(), expected.data()) == 0;
}

// libjwt's jwt_get_grant_int answers 0 for strings, reals and booleans alike, so the claim's JSON
// text is read instead: jansson writes integers as bare digits and reals always with '.' or 'e'.
std::optional<std::int64_t> integer_claim(jwt_t* jwt, const char* name) {
  const malloc_string json(jwt_get_grants_json(jwt, name));
  if (!json) return std::nullopt;
  const char* const first = json.get();
  const char* const last = first + std::strlen(first);
  std::int64_t value = 0;
  const auto [end, error] = std::from_chars(first, last, value);
  if (error != std::errc{} || end != last) return std::nullopt;
  return value;
}

}  // namespace

token_codec::token_codec(std::string secret) : secret_(std::move(secret)) {
  if (secret_.empty() || secret_.size() > INT_MAX)
    throw std::invalid_argument("token secret must be non-empty and under 2 GiB");
  ensure_sodium_initialized();
}

std::string token_codec::issue(const token_claims& claims) const {
  jwt_t* raw = nullptr;
  if (jwt_new(&raw) != 0) throw std::bad_alloc();
  const jwt_ptr jwt(raw);
  if (jwt_set_alg(jwt.get(), JWT_ALG_HS256, reinterpret_cast<const unsigned char*>(secret_.data()),
                  static_cast<int>(secret_.size())) != 0 ||
      jwt_add_grant(jwt.get(), "sub", claims.subject.c_str()) != 0 ||
      jwt_add_grant(jwt.get(), "sid", claims.session_id.c_str()) != 0 ||
      jwt_add_grant_int(jwt.get(), "iat", claims.issued_at) != 0 ||
      jwt_add_grant_int(jwt.get(), "exp", claims.expires_at) != 0) {
    throw std::runtime_error("could not build the session token");
  }
  const malloc_string encoded(jwt_encode_str(jwt.get()));
  if (!encoded) throw std::runtime_error("could not encode the session token");
  return std::string(encoded.get());
}

boost::system::result<token_claims, token_error> token_codec::verify(std::string_view token,
                                                                     std::int64_t now) const {
  if (token.size() > max_token_length) return token_error::invalid;
  const auto jws = split(token);
  if (!jws || !hs256_signature_matches(*jws, secret_)) return token_error::invalid;

  // The token is ours from here on; libjwt parses it (and checks the signature once more).
  std::array<char, max_token_length + 1> terminated;  // libjwt wants a C string; no heap for it
  std::memcpy(terminated.data(), token.data(), token.size());
  terminated[token.size()] = '\0';
  jwt_t* raw = nullptr;
  if (jwt_decode(&raw, terminated.data(), reinterpret_cast<const unsigned char*>(secret_.data()),
                 static_cast<int>(secret_.size())) != 0) {
    jwt_free(raw);
    return token_error::invalid;
  }
  const jwt_ptr jwt(raw);
  // libjwt maps the header's alg case-insensitively ("hs256" passes as HS256); JWS says it is
  // case-sensitive, and only exactly "HS256" is ours.
  const char* const alg = jwt_get_header(jwt.get(), "alg");
  if (jwt_get_alg(jwt.get()) != JWT_ALG_HS256 || alg == nullptr || std::strcmp(alg, "HS256") != 0) {
    return token_error::invalid;
  }

  const char* const subject = jwt_get_grant(jwt.get(), "sub");
  const char* const session_id = jwt_get_grant(jwt.get(), "sid");
  const auto issued_at = integer_claim(jwt.get(), "iat");
  const auto expires_at = integer_claim(jwt.get(), "exp");
  if (subject == nullptr || session_id == nullptr || !issued_at || !expires_at) return token_error::invalid;
  if (*expires_at <= now) return token_error::expired;
  return token_claims{subject, session_id, *issued_at, *expires_at};
}

}  // namespace authd::auth
