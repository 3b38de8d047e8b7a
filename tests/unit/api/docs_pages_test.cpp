// GET /docs, GET /redoc and their assets: headers, caching and conditional requests, and pages that
// load nothing from another host and nothing inline.
#include "api/docs_pages.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/use_future.hpp>
#include <regex>
#include <stdexcept>
#include <string>
#include <vector>

namespace authd::api {
namespace {

using http::bhttp::field;
using http::bhttp::verb;

http::router docs_router() {
  http::router r;
  install_docs_pages(r);
  return r;
}

http::response get(const http::router& r, std::string_view path, std::vector<std::string> if_none_match = {},
                   verb method = verb::get) {
  const auto found = r.find(method, path);
  if (found.found == nullptr) throw std::runtime_error("no route for " + std::string(path));
  http::request req{method, path, 11};
  for (auto& value : if_none_match) req.insert(field::if_none_match, value);
  http::request_context ctx{req, path, "", "test", "127.0.0.1"};
  boost::asio::io_context io;
  auto result = boost::asio::co_spawn(io, (*found.found)(ctx), boost::asio::use_future);
  io.run();
  return result.get();
}

std::string header(const http::response& res, std::string_view name) {
  return std::string(res[name]);
}

// Every path the docs registered that is not a page: the assets and our init script.
std::vector<std::string> asset_paths(const http::router& r) {
  std::vector<std::string> paths;
  for (const auto& route : r.routes())
    if (!route.doc.documented) paths.push_back(route.path);
  return paths;
}

std::string expected_content_type(std::string_view path) {
  if (path.ends_with(".js")) return "text/javascript; charset=utf-8";
  if (path.ends_with(".css")) return "text/css; charset=utf-8";
  if (path.ends_with(".png")) return "image/png";
  return "?";
}

TEST(docs_pages, pages_are_documented_and_assets_are_not) {
  const auto r = docs_router();
  std::vector<std::string> documented;
  for (const auto& route : r.routes()) {
    EXPECT_EQ(route.method, verb::get) << route.path;
    EXPECT_EQ(route.doc.statuses, (std::vector<unsigned>{200, 304})) << route.path;
    if (route.doc.documented) documented.push_back(route.path);
  }
  EXPECT_EQ(documented, (std::vector<std::string>{"/docs", "/redoc"}));
  // The two UIs (script and style), the shared favicon and our init script.
  EXPECT_EQ(asset_paths(r).size(), 5u);
}

TEST(docs_pages, pages_are_html_with_a_strict_csp) {
  const auto r = docs_router();
  for (const auto* path : {"/docs", "/redoc"}) {
    const auto res = get(r, path);
    EXPECT_EQ(res.result_int(), 200u) << path;
    EXPECT_EQ(header(res, "Content-Type"), "text/html; charset=utf-8") << path;
    EXPECT_EQ(header(res, "Cache-Control"), "no-cache") << path;
    EXPECT_EQ(header(res, "X-Frame-Options"), "DENY") << path;
    EXPECT_EQ(header(res, "Referrer-Policy"), "no-referrer") << path;
    const auto csp = header(res, "Content-Security-Policy");
    for (const auto* directive : {"default-src 'self'", "script-src 'self';", "connect-src 'self'",
                                  "frame-ancestors 'none'", "base-uri 'none'", "object-src 'none'"})
      EXPECT_NE(csp.find(directive), std::string::npos) << path << ": " << directive;
    EXPECT_EQ(csp.find("unsafe-eval"), std::string::npos) << path;
    EXPECT_EQ(csp.find("http"), std::string::npos) << path;
    EXPECT_TRUE(res.body().starts_with("<!doctype html>")) << path;
  }
  // ReDoc builds its search worker from a blob; Swagger UI needs no worker.
  EXPECT_NE(header(get(r, "/redoc"), "Content-Security-Policy").find("worker-src blob:"), std::string::npos);
  EXPECT_EQ(header(get(r, "/docs"), "Content-Security-Policy").find("worker-src"), std::string::npos);
}

TEST(docs_pages, assets_have_their_content_type_and_vendor_files_are_cached_for_a_year) {
  const auto r = docs_router();
  for (const auto& path : asset_paths(r)) {
    const auto res = get(r, path);
    EXPECT_EQ(res.result_int(), 200u) << path;
    EXPECT_EQ(header(res, "Content-Type"), expected_content_type(path)) << path;
    EXPECT_FALSE(res.body().empty()) << path;
    EXPECT_TRUE(res["Content-Security-Policy"].empty()) << path;
    // Vendor files never change under one URL; our script changes with authd.
    const bool vendor = path.starts_with("/docs/assets/");
    EXPECT_EQ(header(res, "Cache-Control"), vendor ? "public, max-age=31536000, immutable" : "no-cache")
        << path;
  }
}

TEST(docs_pages, vendor_files_sit_under_their_package_version) {
  const std::regex versioned(R"(/docs/assets/(swagger-ui-dist|redoc)-\d+\.\d+\.\d+/[a-z0-9.-]+)");
  for (const auto& path : asset_paths(docs_router())) {
    if (path == "/docs/swagger-init.js") continue;
    EXPECT_TRUE(std::regex_match(path, versioned)) << path;
  }
}

TEST(docs_pages, etags_are_strong_content_hashes_and_stable) {
  const auto first = docs_router();
  const auto second = docs_router();
  std::vector<std::string> paths = asset_paths(first);
  paths.insert(paths.end(), {"/docs", "/redoc"});
  std::vector<std::string> seen;
  for (const auto& path : paths) {
    const auto etag = header(get(first, path), "ETag");
    EXPECT_TRUE(std::regex_match(etag, std::regex(R"("[0-9a-f]{32}")"))) << path << ": " << etag;
    EXPECT_EQ(header(get(first, path), "ETag"), etag) << path;
    EXPECT_EQ(header(get(second, path), "ETag"), etag) << path;
    EXPECT_EQ(std::count(seen.begin(), seen.end(), etag), 0) << path;
    seen.push_back(etag);
  }
}

TEST(docs_pages, a_matching_if_none_match_answers_304_without_a_body) {
  const auto r = docs_router();
  for (const auto& path :
       std::vector<std::string>{"/docs", "/docs/swagger-init.js", asset_paths(r).front()}) {
    const auto etag = header(get(r, path), "ETag");
    const auto cache_control = header(get(r, path), "Cache-Control");
    for (const auto& condition :
         std::vector<std::vector<std::string>>{{etag},
                                               {"\"other\", " + etag},  // a list
                                               {"W/" + etag},           // weak comparison
                                               {"W/\"a,b\" ,\t" + etag + ", \"c\""},
                                               {"*"},
                                               {"\"other\"", etag}}) {  // across header lines
      const auto res = get(r, path, condition);
      EXPECT_EQ(res.result_int(), 304u) << path << " " << ::testing::PrintToString(condition);
      EXPECT_TRUE(res.body().empty()) << path;
      EXPECT_EQ(header(res, "ETag"), etag) << path;
      EXPECT_EQ(header(res, "Cache-Control"), cache_control) << path;
      EXPECT_TRUE(res[field::content_type].empty()) << path;
    }
  }
}

TEST(docs_pages, another_or_malformed_if_none_match_answers_200) {
  const auto r = docs_router();
  const auto etag = header(get(r, "/docs"), "ETag");
  const auto unquoted = etag.substr(1, etag.size() - 2);
  for (const auto& condition : std::vector<std::string>{"\"0123\"", "W/\"0123\", \"4567\"", unquoted,
                                                        "\"" + unquoted, "\"" + unquoted + "x\"", ""}) {
    const auto res = get(r, "/docs", {condition});
    EXPECT_EQ(res.result_int(), 200u) << condition;
    EXPECT_FALSE(res.body().empty()) << condition;
  }
}

TEST(docs_pages, head_is_served_by_the_get_handler) {
  const auto r = docs_router();
  const auto res = get(r, "/redoc", {}, verb::head);
  EXPECT_EQ(res.result_int(), 200u);
  EXPECT_EQ(header(res, "Content-Type"), "text/html; charset=utf-8");
}

// The pages and our script: nothing from another host (no scheme, no protocol-relative URL, not
// even in a comment), no inline script or event handler, and every URL they load is served here.
TEST(docs_pages, pages_load_only_same_origin_files_that_are_registered) {
  const auto r = docs_router();
  const std::regex url_attribute(R"re(\b(src|href|spec-url)\s*=\s*"([^"]*)")re");
  const std::regex script_element(R"re(<script\b([^>]*)>([\s\S]*?)</script>)re");
  const std::regex event_handler(R"re(\son[a-z]+\s*=)re", std::regex::icase);
  for (const auto* path : {"/docs", "/redoc", "/docs/swagger-init.js"}) {
    const std::string body = get(r, path).body();
    for (const auto* forbidden : {"http:", "https:", "//"})
      EXPECT_EQ(body.find(forbidden), std::string::npos) << path << " has " << forbidden;
    if (path == std::string_view("/docs/swagger-init.js")) continue;

    int urls = 0;
    for (std::sregex_iterator it(body.begin(), body.end(), url_attribute), end; it != end; ++it, ++urls) {
      const std::string attribute = (*it)[1], url = (*it)[2];
      ASSERT_TRUE(url.starts_with("/")) << path << ": " << url;
      if (attribute == "spec-url")
        EXPECT_EQ(url, "/openapi.json") << path;
      else
        EXPECT_NE(r.find(verb::get, url).found, nullptr) << path << " refers to " << url;
    }
    EXPECT_GE(urls, 2) << path;
    int scripts = 0;
    for (std::sregex_iterator it(body.begin(), body.end(), script_element), end; it != end; ++it, ++scripts) {
      EXPECT_NE((*it)[1].str().find("src="), std::string::npos) << path;
      EXPECT_TRUE((*it)[2].str().empty()) << path << ": inline script";
    }
    EXPECT_GE(scripts, 1) << path;
    EXPECT_FALSE(std::regex_search(body, event_handler)) << path;
  }
}

// What the vendor scripts would load from elsewhere on their own: ReDoc's footer logo is patched
// out at build time (src/CMakeLists.txt), and neither UI is set up to load web fonts.
TEST(docs_pages, vendor_scripts_load_no_cdn_file) {
  const auto r = docs_router();
  for (const auto& path : asset_paths(r)) {
    const std::string body = get(r, path).body();
    for (const auto* host : {"cdn.redoc.ly", "cdn.redocly.com", "fonts.googleapis.com", "fonts.gstatic.com"})
      EXPECT_EQ(body.find(host), std::string::npos) << path << " loads from " << host;
  }
}

TEST(docs_pages, swagger_ui_loads_our_document_without_the_remote_validator) {
  const auto init = get(docs_router(), "/docs/swagger-init.js").body();
  EXPECT_NE(init.find(R"(url: "/openapi.json")"), std::string::npos);
  EXPECT_NE(init.find("validatorUrl: null"), std::string::npos);
  // Same-origin requests send the session cookie unless an interceptor interferes.
  EXPECT_EQ(init.find("requestInterceptor:"), std::string::npos);
}

}  // namespace
}  // namespace authd::api
