// The CSRF decisions (Origin, Sec-Fetch-Site, the JSON requirement), CORS preflights and the CORS
// headers on answers, decided on requests alone.
#include "http/cross_origin.hpp"

#include <gtest/gtest.h>

#include <boost/asio/awaitable.hpp>

#include "http/responses.hpp"
#include "http/security_headers.hpp"

namespace authd::http {
namespace {

using verb = bhttp::verb;
using field = bhttp::field;
using verdict = cross_origin_policy::verdict;

const std::string app = "https://app.example.com";

cross_origin_policy policy(std::vector<std::string> origins = {app}) {
  return cross_origin_policy({.allowed_origins = std::move(origins),
                              .guarded_prefix = "/auth/",
                              .state_changing_get_paths = {"/auth/logout"},
                              .session_cookie = "token"});
}

request make(verb method, std::string target, std::vector<std::pair<std::string, std::string>> headers = {},
             std::string body = {}) {
  request req{method, target, 11};
  req.set(field::host, "auth.example.com");
  for (const auto& [name, value] : headers) req.insert(name, value);
  req.body() = std::move(body);
  return req;
}

verdict check(const request& req) {
  const std::string_view target = req.target();
  return policy().check(req, target.substr(0, target.find('?')));
}

TEST(csrf, guards_unsafe_methods_under_the_prefix_and_the_state_changing_gets) {
  const auto p = policy();
  for (verb m : {verb::post, verb::put, verb::patch, verb::delete_}) EXPECT_TRUE(p.guards(m, "/auth/login"));
  EXPECT_TRUE(p.guards(verb::get, "/auth/logout"));
  EXPECT_TRUE(p.guards(verb::head, "/auth/logout")) << "HEAD runs the GET handler";
  EXPECT_FALSE(p.guards(verb::get, "/auth/me"));
  EXPECT_FALSE(p.guards(verb::options, "/auth/login"));
  EXPECT_FALSE(p.guards(verb::post, "/healthz"));
  EXPECT_FALSE(p.guards(verb::post, "/authx/login"));
  EXPECT_FALSE(cross_origin_policy().guards(verb::post, "/auth/login")) << "the default checks nothing";
}

TEST(csrf, a_cross_site_origin_is_refused) {
  EXPECT_EQ(check(make(verb::post, "/auth/login", {{"Origin", "https://evil.example"}})),
            verdict::cross_site);
  EXPECT_EQ(check(make(verb::get, "/auth/logout", {{"Origin", "https://evil.example"}})),
            verdict::cross_site);
  EXPECT_EQ(check(make(verb::post, "/auth/login", {{"Origin", "https://auth.example.com.evil.example"}})),
            verdict::cross_site);
  EXPECT_EQ(check(make(verb::post, "/auth/login", {{"Origin", "https://app.example.com:8443"}})),
            verdict::cross_site)
      << "another port is another origin";
}

TEST(csrf, origin_null_and_garbage_are_refused) {
  EXPECT_EQ(check(make(verb::post, "/auth/login", {{"Origin", "null"}})), verdict::cross_site);
  EXPECT_EQ(check(make(verb::post, "/auth/login", {{"Origin", ""}})), verdict::cross_site);
  EXPECT_EQ(check(make(verb::post, "/auth/login", {{"Origin", "auth.example.com"}})), verdict::cross_site);
  EXPECT_EQ(check(make(verb::post, "/auth/login", {{"Origin", "https://auth.example.com/path"}})),
            verdict::cross_site);
  EXPECT_EQ(check(make(verb::post, "/auth/login", {{"Origin", "https://x@auth.example.com"}})),
            verdict::cross_site);
}

TEST(csrf, the_origin_wins_over_sec_fetch_site) {
  EXPECT_EQ(check(make(verb::post, "/auth/login",
                       {{"Origin", "https://evil.example"}, {"Sec-Fetch-Site", "same-origin"}})),
            verdict::cross_site);
  EXPECT_EQ(check(make(verb::post, "/auth/login", {{"Origin", app}, {"Sec-Fetch-Site", "cross-site"}})),
            verdict::allowed);
}

TEST(csrf, the_requests_own_origin_is_allowed) {
  EXPECT_EQ(check(make(verb::post, "/auth/login", {{"Origin", "https://auth.example.com"}})),
            verdict::allowed);
  EXPECT_EQ(check(make(verb::post, "/auth/login", {{"Origin", "http://AUTH.example.com"}})),
            verdict::allowed);
  auto with_port = make(verb::post, "/auth/login", {{"Origin", "http://127.0.0.1:8000"}});
  with_port.set(field::host, "127.0.0.1:8000");
  EXPECT_EQ(check(with_port), verdict::allowed);
  auto default_port = make(verb::post, "/auth/login", {{"Origin", "https://auth.example.com"}});
  default_port.set(field::host, "auth.example.com:443");
  EXPECT_EQ(check(default_port), verdict::allowed) << "the default port may be written or not";
  auto other_port = make(verb::post, "/auth/login", {{"Origin", "http://127.0.0.1:9000"}});
  other_port.set(field::host, "127.0.0.1:8000");
  EXPECT_EQ(check(other_port), verdict::cross_site);
}

TEST(csrf, a_configured_origin_is_allowed) {
  EXPECT_EQ(check(make(verb::post, "/auth/login", {{"Origin", app}})), verdict::allowed);
  EXPECT_EQ(check(make(verb::get, "/auth/logout", {{"Origin", app}})), verdict::allowed);
  EXPECT_EQ(policy({}).check(make(verb::post, "/auth/login", {{"Origin", app}}), "/auth/login"),
            verdict::cross_site)
      << "no origin configured: same-origin only";
}

TEST(csrf, sec_fetch_site_decides_without_an_origin) {
  for (const char* ok : {"same-origin", "none", "Same-Origin"})
    EXPECT_EQ(check(make(verb::post, "/auth/logout", {{"Sec-Fetch-Site", ok}})), verdict::allowed) << ok;
  for (const char* bad : {"same-site", "cross-site", "garbage", ""})
    EXPECT_EQ(check(make(verb::post, "/auth/logout", {{"Sec-Fetch-Site", bad}})), verdict::cross_site) << bad;
}

TEST(csrf, a_same_site_navigation_may_log_out_but_not_a_cross_site_one) {
  EXPECT_EQ(check(make(verb::get, "/auth/logout", {{"Sec-Fetch-Site", "same-site"}})), verdict::allowed);
  EXPECT_EQ(check(make(verb::get, "/auth/logout", {{"Sec-Fetch-Site", "none"}})), verdict::allowed);
  EXPECT_EQ(check(make(verb::get, "/auth/logout", {{"Sec-Fetch-Site", "cross-site"}})), verdict::cross_site);
  EXPECT_EQ(check(make(verb::head, "/auth/logout", {{"Sec-Fetch-Site", "cross-site"}})), verdict::cross_site);
}

TEST(csrf, without_either_header_it_is_not_a_browser_and_passes) {
  EXPECT_EQ(check(make(verb::post, "/auth/logout", {{"Cookie", "token=abc"}})), verdict::allowed);
  EXPECT_EQ(check(make(verb::get, "/auth/logout", {{"Cookie", "token=abc"}})), verdict::allowed);
}

TEST(csrf, unguarded_requests_are_not_checked) {
  EXPECT_EQ(check(make(verb::get, "/auth/me", {{"Origin", "https://evil.example"}})), verdict::allowed);
  EXPECT_EQ(check(make(verb::post, "/healthz", {{"Origin", "https://evil.example"}})), verdict::allowed);
}

TEST(csrf, with_the_session_cookie_a_body_must_be_json) {
  const std::pair<std::string, std::string> cookie{"Cookie", "theme=dark; token=abc"};
  EXPECT_EQ(check(make(verb::post, "/auth/logout", {cookie, {"Content-Type", "text/plain"}}, "x")),
            verdict::not_json);
  EXPECT_EQ(check(make(verb::post, "/auth/logout",
                       {cookie, {"Content-Type", "application/x-www-form-urlencoded"}})),
            verdict::not_json)
      << "an empty form still sends its Content-Type";
  EXPECT_EQ(check(make(verb::post, "/auth/logout", {cookie}, "{}")), verdict::not_json)
      << "a body without a type";
  EXPECT_EQ(check(make(verb::post, "/auth/logout",
                       {cookie, {"Content-Type", "Application/JSON; charset=utf-8"}}, "{}")),
            verdict::allowed);
  EXPECT_EQ(check(make(verb::post, "/auth/logout", {cookie})), verdict::allowed)
      << "a bodiless POST /auth/logout without Content-Type (curl, fetch) keeps working";
}

TEST(csrf, the_json_requirement_needs_the_session_cookie_itself) {
  EXPECT_EQ(check(make(verb::post, "/auth/logout",
                       {{"Cookie", "tokens=abc; xtoken=1"}, {"Content-Type", "text/plain"}}, "x")),
            verdict::allowed);
  EXPECT_EQ(check(make(verb::post, "/auth/logout", {{"Content-Type", "text/plain"}}, "x")), verdict::allowed)
      << "without the cookie the handler answers (415 for register and login)";
  EXPECT_EQ(check(make(verb::get, "/auth/logout", {{"Cookie", "token=abc"}, {"Content-Type", "text/plain"}})),
            verdict::allowed)
      << "a GET is not held to it";
}

router routes() {
  router r;
  auto h = [](request_context&) -> boost::asio::awaitable<response> {
    co_return empty_response(bhttp::status::ok);
  };
  r.add(verb::post, "/auth/login", h);
  r.add(verb::get, "/auth/logout", h);
  r.add(verb::post, "/auth/logout", h);
  return r;
}

response preflight(std::vector<std::pair<std::string, std::string>> headers,
                   std::string path = "/auth/login") {
  const auto r = routes();
  auto req = make(verb::options, path, std::move(headers));
  EXPECT_TRUE(cross_origin_policy::is_preflight(req));
  return policy().preflight(req, path, r);
}

TEST(cors_preflight, only_options_with_a_requested_method_is_one) {
  EXPECT_FALSE(cross_origin_policy::is_preflight(make(verb::options, "/auth/login", {{"Origin", app}})));
  EXPECT_FALSE(cross_origin_policy::is_preflight(
      make(verb::post, "/auth/login", {{"Access-Control-Request-Method", "POST"}})));
}

TEST(cors_preflight, grants_an_allowed_origin_a_method_of_the_path) {
  const auto res =
      preflight({{"Origin", app},
                 {"Access-Control-Request-Method", "POST"},
                 {"Access-Control-Request-Headers", "content-type, X-Request-Id,authorization"}});
  EXPECT_EQ(res.result_int(), 204u);
  EXPECT_EQ(res[field::access_control_allow_origin], app);
  EXPECT_EQ(res[field::access_control_allow_credentials], "true");
  EXPECT_EQ(res[field::access_control_allow_methods], "POST");
  EXPECT_EQ(res[field::access_control_allow_headers], "Content-Type, Authorization, X-Request-Id");
  EXPECT_EQ(res[field::access_control_max_age], "600");
  EXPECT_EQ(res[field::vary], "Origin");

  const auto logout = preflight({{"Origin", app}, {"Access-Control-Request-Method", "GET"}}, "/auth/logout");
  EXPECT_EQ(logout.result_int(), 204u);
  EXPECT_EQ(logout[field::access_control_allow_methods], "GET, HEAD, POST");
}

TEST(cors_preflight, refuses_other_origins_methods_and_headers) {
  const auto refused = [](const response& res) {
    return res.result_int() == 403u && res.body() == R"({"detail":"CORS request refused"})" &&
           res.find(field::access_control_allow_origin) == res.end();
  };
  EXPECT_TRUE(
      refused(preflight({{"Origin", "https://evil.example"}, {"Access-Control-Request-Method", "POST"}})));
  EXPECT_TRUE(refused(preflight({{"Access-Control-Request-Method", "POST"}})));
  EXPECT_TRUE(refused(preflight({{"Origin", "null"}, {"Access-Control-Request-Method", "POST"}})));
  EXPECT_TRUE(refused(preflight({{"Origin", app}, {"Access-Control-Request-Method", "DELETE"}})));
  EXPECT_TRUE(refused(preflight({{"Origin", app}, {"Access-Control-Request-Method", "BREW"}})));
  EXPECT_TRUE(refused(preflight({{"Origin", app},
                                 {"Access-Control-Request-Method", "POST"},
                                 {"Access-Control-Request-Headers", "content-type, x-custom"}})));
}

TEST(cors_headers, an_allowed_origin_may_read_the_answer_with_credentials) {
  auto res = detail_response(bhttp::status::unauthorized, "Not authenticated");
  policy().decorate(make(verb::get, "/auth/me", {{"Origin", app}}), res);
  EXPECT_EQ(res[field::access_control_allow_origin], app);
  EXPECT_EQ(res[field::access_control_allow_credentials], "true");
  EXPECT_EQ(res[field::access_control_expose_headers], "X-Request-Id, Retry-After");
  EXPECT_EQ(res[field::vary], "Origin");
}

TEST(cors_headers, other_origins_get_none) {
  auto res = empty_response(bhttp::status::ok);
  policy().decorate(make(verb::get, "/auth/me", {{"Origin", "https://evil.example"}}), res);
  EXPECT_EQ(res.find(field::access_control_allow_origin), res.end());
  EXPECT_EQ(res.find(field::access_control_allow_credentials), res.end());
  EXPECT_EQ(res[field::vary], "Origin") << "the answer depends on Origin, so caches must know";

  auto unconfigured = empty_response(bhttp::status::ok);
  policy({}).decorate(make(verb::get, "/auth/me", {{"Origin", app}}), unconfigured);
  EXPECT_EQ(unconfigured.find(field::access_control_allow_origin), unconfigured.end());
  EXPECT_EQ(unconfigured.find(field::vary), unconfigured.end());
}

TEST(cors_headers, a_refused_preflight_gets_no_grant_even_for_an_allowed_origin) {
  auto res = detail_response(bhttp::status::forbidden, "CORS request refused");
  policy().decorate(
      make(verb::options, "/auth/login", {{"Origin", app}, {"Access-Control-Request-Method", "PUT"}}), res);
  EXPECT_EQ(res.find(field::access_control_allow_origin), res.end());
  EXPECT_EQ(res[field::vary], "Origin");
}

TEST(cors_headers, vary_is_added_to_once) {
  auto res = empty_response(bhttp::status::ok);
  res.set(field::vary, "Accept-Encoding");
  const auto req = make(verb::get, "/auth/me", {{"Origin", app}});
  policy().decorate(req, res);
  policy().decorate(req, res);
  EXPECT_EQ(res[field::vary], "Accept-Encoding, Origin");
}

TEST(security_headers, are_set_on_any_response) {
  auto res = detail_response(bhttp::status::not_found, "Not Found");
  add_security_headers(res);
  EXPECT_EQ(res["X-Content-Type-Options"], "nosniff");
  EXPECT_EQ(res["Referrer-Policy"], "no-referrer");
  EXPECT_EQ(res["Content-Security-Policy"], "default-src 'none'; frame-ancestors 'none'");
  EXPECT_EQ(res[field::x_frame_options], "DENY");
}

TEST(security_headers, keep_a_page_s_own_policy) {
  response res{bhttp::status::ok, 11};
  res.set(field::content_type, "text/html; charset=utf-8");
  res.set("Content-Security-Policy", "default-src 'self'");
  res.set(field::x_frame_options, "SAMEORIGIN");
  add_security_headers(res);
  EXPECT_EQ(res["Content-Security-Policy"], "default-src 'self'");
  EXPECT_EQ(res[field::x_frame_options], "SAMEORIGIN");
}

}  // namespace
}  // namespace authd::http
