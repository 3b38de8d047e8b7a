// Session tokens: JWT, HS256 pinned, claims sub, sid, iat, exp, header kid. libjwt writes them; they
// are read here (libsodium HMAC and base64, Boost.JSON), the hot path of every authenticated request.
#pragma once

#include <boost/system/result.hpp>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace authd::auth {

struct token_claims {
  std::string subject;          // user id
  std::string session_id;       // sid
  std::int64_t issued_at = 0;   // seconds since the epoch
  std::int64_t expires_at = 0;  // seconds since the epoch
};

enum class token_error {
  invalid,  // malformed, bad signature, unknown kid, another algorithm (or none), missing or ill-typed claims
  expired,  // well-formed and correctly signed, but exp <= now
};

class token_codec {
 public:
  // `secret` signs (and verifies); each of `previous_secrets` only verifies, so that tokens signed
  // before a rotation stay valid until they expire. Secrets must be non-empty (their strength is
  // checked by configuration); a previous secret equal to the current one, or listed twice, is
  // kept once.
  explicit token_codec(std::string secret, std::vector<std::string> previous_secrets = {});
  ~token_codec();

  // The kid of a secret: 16 hex characters, the first 8 bytes of BLAKE2b personalised for authd
  // key ids. Public (every token carries it); it reveals nothing a token's HMAC does not already.
  static std::string key_id(std::string_view secret);

  const std::string& current_key_id() const;
  // The kids that verify: the current one first, then the previous ones in the order given.
  std::vector<std::string> key_ids() const;

  // Carries the current secret's kid in the header.
  std::string issue(const token_claims& claims) const;

  // Accepts only a compact JWS whose header says alg HS256 and names a known kid (no kid: the
  // current secret, as tokens issued before key ids existed), correctly signed with that kid's
  // secret, carrying string sub and sid and integer iat and exp. One HMAC per token whatever the
  // number of keys; expiry is checked last (so "expired" is only said of a genuine token).
  boost::system::result<token_claims, token_error> verify(std::string_view token, std::int64_t now) const;

 private:
  struct signing_key;
  std::string secret_;
  // Index 0 is the current secret's. A handful at most: looked up by kid, linearly.
  std::vector<std::unique_ptr<const signing_key>> keys_;
};

}  // namespace authd::auth
