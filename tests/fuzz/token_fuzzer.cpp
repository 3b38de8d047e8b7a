// Fuzz target: the session token reader (auth::token_codec::verify). Arbitrary tokens get no further
// than the signature, so the fuzzer may also sign what it writes with the codec's secret, which
// reaches the segment decoding and the claims. The first byte says which:
//   '0' (and every byte = 0 mod 3): the rest is the token, as is;
//   '1' (= 1 mod 3): the rest is "<header JSON>\n<payload JSON>", encoded and signed here;
//   '2' (= 2 mod 3): the rest is the signing input ("header.payload"), signed here.
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "auth/token_codec.hpp"
#include "fuzz_check.hpp"
#include "token_signing.hpp"

namespace {

using namespace authd;

// What the token says, judged independently of the codec: the claims if it is acceptable.
enum class verdict { invalid, expired, valid };

verdict judge(std::string_view header_text, std::string_view payload_text, std::int64_t now) {
  const auto header = fuzz::parse_json(header_text);
  const auto payload = fuzz::parse_json(payload_text);
  if (!header || !payload || !header->is_object() || !payload->is_object()) return verdict::invalid;
  const auto& h = header->as_object();
  const auto& p = payload->as_object();
  const auto* alg = h.if_contains("alg");
  if (alg == nullptr || !alg->is_string() || alg->as_string() != "HS256" || h.contains("crit"))
    return verdict::invalid;
  // No kid: the current secret's (which signed it); a kid: only the current secret's is known here.
  static const std::string current_kid = auth::token_codec::key_id(fuzz::token_secret);
  if (const auto* kid = h.if_contains("kid");
      kid != nullptr && (!kid->is_string() || kid->as_string() != current_kid))
    return verdict::invalid;
  const auto* sub = p.if_contains("sub");
  const auto* sid = p.if_contains("sid");
  const auto* iat = p.if_contains("iat");
  const auto* exp = p.if_contains("exp");
  if (sub == nullptr || !sub->is_string() || sid == nullptr || !sid->is_string() || iat == nullptr ||
      !iat->is_int64() || exp == nullptr || !exp->is_int64())
    return verdict::invalid;
  return exp->as_int64() <= now ? verdict::expired : verdict::valid;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size == 0) return 0;
  static const auth::token_codec codec{std::string(fuzz::token_secret)};
  const std::string_view rest(reinterpret_cast<const char*>(data) + 1, size - 1);

  std::string token;
  std::optional<verdict> expected;
  switch (data[0] % 3) {
    case 0:
      token = rest;
      break;
    case 1: {
      const auto newline = rest.find('\n');
      const std::string_view header = rest.substr(0, newline);
      const std::string_view payload =
          newline == std::string_view::npos ? std::string_view{} : rest.substr(newline + 1);
      token = fuzz::sign(fuzz::base64url(header) + "." + fuzz::base64url(payload));
      // Empty segments and overlong tokens are refused before anything is read.
      expected = header.empty() || payload.empty() || token.size() > 4096
                     ? verdict::invalid
                     : judge(header, payload, fuzz::token_now);
      break;
    }
    default:
      token = fuzz::sign(std::string(rest));
      break;
  }

  const auto first = codec.verify(token, fuzz::token_now);
  const auto second = codec.verify(token, fuzz::token_now);
  FUZZ_CHECK(first.has_value() == second.has_value(), token);
  if (!first) FUZZ_CHECK(first.error() == second.error(), token);

  if (expected) {
    const verdict got = first                                         ? verdict::valid
                        : first.error() == auth::token_error::expired ? verdict::expired
                                                                      : verdict::invalid;
    FUZZ_CHECK(got == *expected, token);
  }

  // Only a token we would have written ourselves is accepted, or called expired: the signature is
  // the one spelling of the MAC of the signing input (no malleable tokens).
  if (first || first.error() == auth::token_error::expired) {
    const auto last_dot = token.rfind('.');
    FUZZ_CHECK(last_dot != std::string::npos && fuzz::sign(token.substr(0, last_dot)) == token, token);
  }
  if (first) {
    FUZZ_CHECK(first->expires_at > fuzz::token_now, token);
    // What the codec issues for the same claims reads back as them (libjwt writes C strings, so
    // claims with a NUL in them cannot round-trip, and are never issued by authd).
    if (first->subject.find('\0') == std::string::npos && first->session_id.find('\0') == std::string::npos) {
      const auto again = codec.verify(codec.issue(*first), fuzz::token_now);
      FUZZ_CHECK(again.has_value(), token);
      FUZZ_CHECK(again->subject == first->subject && again->session_id == first->session_id &&
                     again->issued_at == first->issued_at && again->expires_at == first->expires_at,
                 token);
    }
  }
  return 0;
}
