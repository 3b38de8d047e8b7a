// The security headers on every kind of answer: a handler's JSON, the server's own 404 and 413,
// and the docs pages, which keep their own Content-Security-Policy.
#include <gmock/gmock.h>

#include "support/auth_api.hpp"
#include "support/raw_connection.hpp"
#include "support/server_test.hpp"

namespace authd::itest {
namespace {

constexpr std::string_view strict_csp = "default-src 'none'; frame-ancestors 'none'";

::testing::AssertionResult has_security_headers(const http_response& r, std::string_view csp = strict_csp) {
  const std::vector<std::pair<std::string, std::string>> expected{
      {"X-Content-Type-Options", "nosniff"},
      {"Referrer-Policy", "no-referrer"},
      {"X-Frame-Options", "DENY"},
      {"Content-Security-Policy", std::string(csp)}};
  for (const auto& [name, value] : expected)
    if (r.header(name) != value)
      return ::testing::AssertionFailure() << r.status << ": " << name << " is "
                                           << r.header(name).value_or("(missing)") << ", expected " << value;
  return ::testing::AssertionSuccess();
}

class security_headers : public server_test {};

TEST_F(security_headers, on_handler_answers) {
  auto c = client();
  EXPECT_TRUE(has_security_headers(c.get("/healthz")));
  EXPECT_TRUE(has_security_headers(c.get("/auth/me")));
  EXPECT_TRUE(has_security_headers(register_user(c, alice())));
}

TEST_F(security_headers, on_the_servers_own_answers) {
  auto c = client();
  EXPECT_TRUE(has_security_headers(c.get("/no/such/path")));
  EXPECT_TRUE(has_security_headers(c.request("DELETE", "/healthz")));
  raw_connection raw(server().port());
  const auto too_large = raw.send_and_read(
      "POST /auth/login HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
      "Content-Length: 100000000\r\n\r\n");
  ASSERT_TRUE(too_large);
  EXPECT_EQ(too_large->status, 413u);
  EXPECT_TRUE(has_security_headers(*too_large));
}

TEST_F(security_headers, the_docs_pages_keep_their_own_policy) {
  auto c = client();
  for (const char* page : {"/docs", "/redoc"}) {
    const auto r = c.get(page);
    ASSERT_EQ(r.status, 200u) << page;
    const auto csp = r.header("Content-Security-Policy").value_or("");
    EXPECT_THAT(csp, ::testing::HasSubstr("script-src 'self'")) << page;
    EXPECT_TRUE(has_security_headers(r, csp)) << page;
  }
}

}  // namespace
}  // namespace authd::itest
