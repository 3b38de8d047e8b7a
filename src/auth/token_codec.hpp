// Session tokens: JWT, HS256 pinned, claims sub, sid, iat, exp. libjwt writes them; they are read
// here (libsodium HMAC and base64, Boost.JSON), the hot path of every authenticated request.
#pragma once

#include <boost/system/result.hpp>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

namespace authd::auth {

struct token_claims {
  std::string subject;          // user id
  std::string session_id;       // sid
  std::int64_t issued_at = 0;   // seconds since the epoch
  std::int64_t expires_at = 0;  // seconds since the epoch
};

enum class token_error {
  invalid,  // malformed, bad signature, another algorithm (or none), missing or ill-typed claims
  expired,  // well-formed and correctly signed, but exp <= now
};

class token_codec {
 public:
  // The secret must be non-empty (its strength is checked by configuration).
  explicit token_codec(std::string secret);
  ~token_codec();

  std::string issue(const token_claims& claims) const;

  // Accepts only a compact JWS whose header says alg HS256, correctly signed with the secret,
  // carrying string sub and sid and integer iat and exp. Checks the signature before anything
  // else, and expiry last (so "expired" is only said of a genuine token).
  boost::system::result<token_claims, token_error> verify(std::string_view token, std::int64_t now) const;

 private:
  struct keyed_hmac;
  std::string secret_;
  std::unique_ptr<const keyed_hmac> mac_;
};

}  // namespace authd::auth
