#include "auth/token_codec.hpp"

#include <jwt.h>
#include <sodium.h>

#include <array>
#include <boost/json/monotonic_resource.hpp>
#include <boost/json/parse.hpp>
#include <charconv>
#include <climits>
#include <cstdlib>
#include <cstring>
#include <memory>
#include <optional>
#include <span>
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

// Decodes one base64url segment (no padding) into `out`; libsodium refuses non-zero trailing bits,
// so every byte string has exactly one accepted spelling (no malleable tokens).
std::optional<std::string_view> decode_segment(std::string_view segment, std::span<char> out) {
  std::size_t length = 0;
  const char* end = nullptr;
  if (sodium_base642bin(reinterpret_cast<unsigned char*>(out.data()), out.size(), segment.data(),
                        segment.size(), nullptr, &length, &end,
                        sodium_base64_VARIANT_URLSAFE_NO_PADDING) != 0 ||
      end != segment.data() + segment.size()) {
    return std::nullopt;
  }
  return std::string_view(out.data(), length);
}

// Parses into `resource` (a stack buffer): no heap on the hot path.
std::optional<boost::json::object> parse_object(std::string_view text,
                                                boost::json::monotonic_resource& resource) {
  boost::system::error_code ec;
  auto value = boost::json::parse(text, ec, &resource);
  if (ec || !value.is_object()) return std::nullopt;
  return std::move(value.as_object());
}

const boost::json::string* string_member(const boost::json::object& object, std::string_view name) {
  const auto* value = object.if_contains(name);
  return value ? value->if_string() : nullptr;
}

// Integers only: Boost.JSON keeps 1.5, 1e9 and numbers beyond 64 bits as doubles, which are refused.
std::optional<std::int64_t> integer_member(const boost::json::object& object, std::string_view name) {
  const auto* value = object.if_contains(name);
  if (value == nullptr) return std::nullopt;
  if (const auto* i = value->if_int64()) return *i;
  return std::nullopt;
}

}  // namespace

// HMAC-SHA256 keyed once: the inner and outer pads are hashed at start, each verification copies
// the state (saves two of the ~seven compressions per token). The secret may be any length, hence
// the streaming API rather than crypto_auth_hmacsha256_verify, whose key is fixed at 32 bytes.
struct token_codec::keyed_hmac {
  crypto_auth_hmacsha256_state state;

  explicit keyed_hmac(const std::string& secret) {
    crypto_auth_hmacsha256_init(&state, reinterpret_cast<const unsigned char*>(secret.data()), secret.size());
  }
  ~keyed_hmac() { sodium_memzero(&state, sizeof state); }
  keyed_hmac(const keyed_hmac&) = delete;
  keyed_hmac& operator=(const keyed_hmac&) = delete;

  // Constant-time comparison of the claimed signature with the MAC of the signing input.
  bool matches(const compact_jws& jws) const {
    std::array<unsigned char, crypto_auth_hmacsha256_BYTES> claimed{};
    std::size_t claimed_length = 0;
    const char* end = nullptr;
    if (sodium_base642bin(claimed.data(), claimed.size(), jws.signature.data(), jws.signature.size(), nullptr,
                          &claimed_length, &end, sodium_base64_VARIANT_URLSAFE_NO_PADDING) != 0 ||
        claimed_length != claimed.size() || end != jws.signature.data() + jws.signature.size()) {
      return false;
    }
    crypto_auth_hmacsha256_state running = state;
    std::array<unsigned char, crypto_auth_hmacsha256_BYTES> expected{};
    crypto_auth_hmacsha256_update(&running, reinterpret_cast<const unsigned char*>(jws.signing_input.data()),
                                  jws.signing_input.size());
    crypto_auth_hmacsha256_final(&running, expected.data());
    sodium_memzero(&running, sizeof running);
    return crypto_verify_32(claimed.data(), expected.data()) == 0;
  }
};

token_codec::token_codec(std::string secret) : secret_(std::move(secret)) {
  if (secret_.empty() || secret_.size() > INT_MAX)
    throw std::invalid_argument("token secret must be non-empty and under 2 GiB");
  ensure_sodium_initialized();
  mac_ = std::make_unique<keyed_hmac>(secret_);
}

token_codec::~token_codec() = default;

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
  if (!jws || !mac_->matches(*jws)) return token_error::invalid;

  // The token is ours from here on (only the holder of the secret can have written it), yet it is
  // still read strictly. Parsed here rather than by libjwt: on /auth/me, jwt_decode (OpenSSL HMAC
  // once more, jansson, libb64) cost as much as everything else the request does.
  std::array<char, max_token_length> decoded;  // base64 only shrinks: both segments fit
  const auto dot = jws->signing_input.find('.');
  const auto header_text = decode_segment(jws->signing_input.substr(0, dot), decoded);
  if (!header_text) return token_error::invalid;
  const auto payload_text = decode_segment(jws->signing_input.substr(dot + 1),
                                           std::span<char>(decoded).subspan(header_text->size()));
  if (!payload_text) return token_error::invalid;

  unsigned char arena[2 * max_token_length];
  boost::json::monotonic_resource resource(arena, sizeof arena);
  const auto header = parse_object(*header_text, resource);
  const auto payload = header ? parse_object(*payload_text, resource) : std::nullopt;
  if (!payload) return token_error::invalid;
  // Exactly "HS256" (JWS names are case-sensitive), and no critical extension we would not honour.
  const auto* alg = string_member(*header, "alg");
  if (alg == nullptr || *alg != "HS256" || header->contains("crit")) return token_error::invalid;

  const auto* subject = string_member(*payload, "sub");
  const auto* session_id = string_member(*payload, "sid");
  const auto issued_at = integer_member(*payload, "iat");
  const auto expires_at = integer_member(*payload, "exp");
  if (subject == nullptr || session_id == nullptr || !issued_at || !expires_at) return token_error::invalid;
  if (*expires_at <= now) return token_error::expired;
  return token_claims{std::string(*subject), std::string(*session_id), *issued_at, *expires_at};
}

}  // namespace authd::auth
