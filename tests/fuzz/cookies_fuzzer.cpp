// Fuzz target: finding the session token in a request (src/api/cookies.hpp): arbitrary header lines
// (Cookie, Authorization, anything) parsed by Beast as a real request head would be, then
// find_cookie / find_bearer / find_token, and the token found handed to the token reader.
#include <boost/beast/core/buffers_to_string.hpp>
#include <boost/beast/http/parser.hpp>
#include <boost/beast/http/string_body.hpp>
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "api/cookies.hpp"
#include "auth/token_codec.hpp"
#include "fuzz_check.hpp"
#include "token_signing.hpp"

namespace {

using namespace authd;
namespace bhttp = boost::beast::http;

bool is_blank(char c) {
  return c == ' ' || c == '\t';
}

// `inner` is a view into `outer` (the functions return views into the request, never copies).
bool within(std::string_view inner, std::string_view outer) {
  return inner.data() >= outer.data() && inner.data() + inner.size() <= outer.data() + outer.size();
}

bool within_any(std::string_view inner, const http::request& req, bhttp::field field) {
  auto [first, last] = req.equal_range(field);
  for (auto it = first; it != last; ++it)
    if (within(inner, it->value())) return true;
  return false;
}

void check_trimmed(std::string_view value, std::string_view what) {
  FUZZ_CHECK(!value.empty(), what);
  FUZZ_CHECK(!is_blank(value.front()) && !is_blank(value.back()), what);
}

}  // namespace

// The input is the request's header lines ("Cookie: a=b\nAuthorization: Bearer x\n..."); the first
// byte picks the cookie name among those authd is configured with in practice.
extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size == 0) return 0;
  static const auth::token_codec codec{std::string(fuzz::token_secret)};
  static const std::string_view names[] = {"token", "__Host-token", "session"};
  api::cookie_options options;
  options.name = names[data[0] % 3];

  std::string head = "GET /auth/me HTTP/1.1\r\n";
  for (std::size_t i = 1; i < size; ++i) {
    const char c = static_cast<char>(data[i]);
    if (c == '\n')
      head += "\r\n";
    else
      head += c;
  }
  head += "\r\n\r\n";

  bhttp::request_parser<bhttp::string_body> parser;
  parser.header_limit(8 * 1024);
  parser.eager(true);
  boost::system::error_code ec;
  parser.put(boost::asio::buffer(head), ec);
  if (ec || !parser.is_header_done()) return 0;  // Beast refuses it: no handler would ever see it
  const http::request& req = parser.get();
  const std::string what = head;

  const auto cookie = api::find_cookie(req, options.name);
  if (cookie) {
    check_trimmed(*cookie, what);
    FUZZ_CHECK(cookie->find(';') == std::string_view::npos, what);
    FUZZ_CHECK(within_any(*cookie, req, bhttp::field::cookie), what);
    // The cookie authd sets, sent back as is, gives the same value (unless the value itself looks
    // quoted, which the reader unwraps once).
    if (!(cookie->size() >= 2 && cookie->front() == '"' && cookie->back() == '"')) {
      http::request echo{bhttp::verb::get, "/auth/me", 11};
      echo.set(bhttp::field::cookie, api::session_cookie(options, *cookie));
      const auto again = api::find_cookie(echo, options.name);
      FUZZ_CHECK(again && *again == *cookie, what);
    }
  }

  const auto bearer = api::find_bearer(req);
  if (bearer) {
    check_trimmed(*bearer, what);
    FUZZ_CHECK(within_any(*bearer, req, bhttp::field::authorization), what);
  }

  const auto token = api::find_token(req, options);
  FUZZ_CHECK(token.has_value() == (cookie.has_value() || bearer.has_value()), what);
  if (token) {
    FUZZ_CHECK(*token == (cookie ? *cookie : *bearer), what);
    const auto claims = codec.verify(*token, fuzz::token_now);
    if (claims) FUZZ_CHECK(claims->expires_at > fuzz::token_now, what);
  }
  return 0;
}
