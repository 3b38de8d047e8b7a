#include "auth/token_codec.hpp"

#include <jwt.h>
#include <sodium.h>

#include <algorithm>
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

// What a token's header selects: the secret to check it with, by kid.
struct key_choice {
  bool has_kid = false;
  std::string_view kid;
};

// alg exactly "HS256" (JWS names are case-sensitive), no critical extension we would not honour,
// and kid, when present, a string.
std::optional<key_choice> read_header(const boost::json::object& header) {
  const auto* alg = string_member(header, "alg");
  if (alg == nullptr || *alg != "HS256" || header.contains("crit")) return std::nullopt;
  const auto* kid = header.if_contains("kid");
  if (kid == nullptr) return key_choice{};
  if (!kid->is_string()) return std::nullopt;
  return key_choice{true, kid->get_string()};
}

// A kid is 16 hex characters: 64 bits tell a handful of keys apart, and keep the header short.
constexpr std::size_t key_id_bytes = 8;
constexpr char key_id_personal[crypto_generichash_blake2b_PERSONALBYTES + 1] = "authd-jwt-kid-v1";

}  // namespace

// One secret: its kid, and HMAC-SHA256 keyed once: the inner and outer pads are hashed at start,
// each verification copies the state (saves two of the ~seven compressions per token). The secret
// may be any length, hence the streaming API rather than crypto_auth_hmacsha256_verify, whose key
// is fixed at 32 bytes.
struct token_codec::signing_key {
  std::string id;
  crypto_auth_hmacsha256_state state;

  explicit signing_key(const std::string& secret) : id(key_id(secret)) {
    crypto_auth_hmacsha256_init(&state, reinterpret_cast<const unsigned char*>(secret.data()), secret.size());
  }
  ~signing_key() { sodium_memzero(&state, sizeof state); }
  signing_key(const signing_key&) = delete;
  signing_key& operator=(const signing_key&) = delete;

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

std::string token_codec::key_id(std::string_view secret) {
  ensure_sodium_initialized();
  // BLAKE2b-128 personalised for this one use, so the kid is no hash of the secret that anything
  // else computes; truncated to 64 bits, plenty to tell a handful of keys apart.
  std::array<unsigned char, crypto_generichash_blake2b_BYTES_MIN> digest{};
  crypto_generichash_blake2b_salt_personal(
      digest.data(), digest.size(), reinterpret_cast<const unsigned char*>(secret.data()), secret.size(),
      nullptr, 0, nullptr, reinterpret_cast<const unsigned char*>(key_id_personal));
  std::array<char, key_id_bytes * 2 + 1> hex{};
  sodium_bin2hex(hex.data(), hex.size(), digest.data(), key_id_bytes);
  return std::string(hex.data(), key_id_bytes * 2);
}

token_codec::token_codec(std::string secret, std::vector<std::string> previous_secrets)
    : secret_(std::move(secret)) {
  if (secret_.empty() || secret_.size() > INT_MAX)
    throw std::invalid_argument("token secret must be non-empty and under 2 GiB");
  ensure_sodium_initialized();
  keys_.push_back(std::make_unique<const signing_key>(secret_));
  for (std::size_t i = 0; i < previous_secrets.size(); ++i) {
    const std::string& previous = previous_secrets[i];
    if (previous.empty()) throw std::invalid_argument("a previous token secret must be non-empty");
    // The same secret twice is harmless (kept once); two secrets sharing a kid (a 64-bit
    // collision) would make one of them unusable, so it is refused.
    if (previous == secret_ ||
        std::find(previous_secrets.begin(), previous_secrets.begin() + static_cast<std::ptrdiff_t>(i),
                  previous) != previous_secrets.begin() + static_cast<std::ptrdiff_t>(i))
      continue;
    auto key = std::make_unique<const signing_key>(previous);
    for (const auto& known : keys_)
      if (known->id == key->id) throw std::invalid_argument("two token secrets share a key id");
    keys_.push_back(std::move(key));
  }
}

token_codec::~token_codec() = default;

const std::string& token_codec::current_key_id() const {
  return keys_.front()->id;
}

std::vector<std::string> token_codec::key_ids() const {
  std::vector<std::string> ids;
  for (const auto& key : keys_) ids.push_back(key->id);
  return ids;
}

std::string token_codec::issue(const token_claims& claims) const {
  jwt_t* raw = nullptr;
  if (jwt_new(&raw) != 0) throw std::bad_alloc();
  const jwt_ptr jwt(raw);
  if (jwt_set_alg(jwt.get(), JWT_ALG_HS256, reinterpret_cast<const unsigned char*>(secret_.data()),
                  static_cast<int>(secret_.size())) != 0 ||
      jwt_add_header(jwt.get(), "kid", current_key_id().c_str()) != 0 ||
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
  if (!jws) return token_error::invalid;

  // The header is read before the signature is checked, since its kid says which secret to check
  // it with: one HMAC per token, never one per key. It is small, decoded into a stack buffer and
  // parsed strictly; nothing in it is trusted beyond choosing among our own keys. Parsed here
  // rather than by libjwt: on /auth/me, jwt_decode (OpenSSL HMAC once more, jansson, libb64) cost
  // as much as everything else the request does.
  std::array<char, max_token_length> decoded;  // base64 only shrinks: both segments fit
  const auto dot = jws->signing_input.find('.');
  const auto header_text = decode_segment(jws->signing_input.substr(0, dot), decoded);
  if (!header_text) return token_error::invalid;
  unsigned char arena[2 * max_token_length];
  boost::json::monotonic_resource resource(arena, sizeof arena);
  const auto header = parse_object(*header_text, resource);
  if (!header) return token_error::invalid;
  const auto choice = read_header(*header);
  if (!choice) return token_error::invalid;
  // No kid: a token issued before key ids existed, checked with the current secret only (see
  // docs/security.md, key rotation). An unknown kid is refused without any HMAC.
  const signing_key* key = choice->has_kid ? nullptr : keys_.front().get();
  for (std::size_t i = 0; key == nullptr && i < keys_.size(); ++i)
    if (keys_[i]->id == choice->kid) key = keys_[i].get();
  if (key == nullptr || !key->matches(*jws)) return token_error::invalid;

  // The token is ours from here on (only the holder of one of our secrets can have written it), yet
  // it is still read strictly.
  const auto payload_text = decode_segment(jws->signing_input.substr(dot + 1),
                                           std::span<char>(decoded).subspan(header_text->size()));
  if (!payload_text) return token_error::invalid;
  const auto payload = parse_object(*payload_text, resource);
  if (!payload) return token_error::invalid;

  const auto* subject = string_member(*payload, "sub");
  const auto* session_id = string_member(*payload, "sid");
  const auto issued_at = integer_member(*payload, "iat");
  const auto expires_at = integer_member(*payload, "exp");
  if (subject == nullptr || session_id == nullptr || !issued_at || !expires_at) return token_error::invalid;
  if (*expires_at <= now) return token_error::expired;
  return token_claims{std::string(*subject), std::string(*session_id), *issued_at, *expires_at};
}

}  // namespace authd::auth
