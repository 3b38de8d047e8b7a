// GET /docs (Swagger UI) and GET /redoc (ReDoc) over real HTTP: the pages, every file they load,
// and revalidation with If-None-Match on a kept-alive connection.
#include <regex>
#include <string>
#include <vector>

#include "support/server_test.hpp"

namespace authd::itest {
namespace {

using ::testing::HasSubstr;
using docs_pages = server_test;

// The src and href URLs of a page, in order.
std::vector<std::string> loaded_urls(const std::string& html) {
  static const std::regex attribute(R"re(\b(?:src|href)="([^"]*)")re");
  std::vector<std::string> urls;
  for (std::sregex_iterator it(html.begin(), html.end(), attribute), end; it != end; ++it)
    urls.push_back((*it)[1]);
  return urls;
}

std::string content_type_for(std::string_view url) {
  if (url.ends_with(".js")) return "text/javascript; charset=utf-8";
  if (url.ends_with(".css")) return "text/css; charset=utf-8";
  if (url.ends_with(".png")) return "image/png";
  return "unexpected file type: " + std::string(url);
}

// Fetches the page and every file it loads; each must answer 200 with its type and a validator.
void check_page_and_files(http_client& c, std::string_view page_path, std::string_view csp_directive) {
  const auto page = c.get(page_path);
  ASSERT_EQ(page.status, 200u) << ::testing::PrintToString(page);
  EXPECT_EQ(page.header("Content-Type"), "text/html; charset=utf-8");
  EXPECT_EQ(page.header("Cache-Control"), "no-cache");
  EXPECT_EQ(page.header("X-Frame-Options"), "DENY");
  EXPECT_TRUE(page.header("ETag"));
  const auto csp = page.header("Content-Security-Policy").value_or("");
  EXPECT_THAT(csp, HasSubstr("script-src 'self';"));
  EXPECT_THAT(csp, HasSubstr(csp_directive));

  const auto urls = loaded_urls(page.body);
  EXPECT_GE(urls.size(), 2u) << page.body;
  for (const auto& url : urls) {
    ASSERT_TRUE(url.starts_with("/") && !url.starts_with("//")) << url;
    const auto file = c.get(url);
    EXPECT_EQ(file.status, 200u) << url;
    EXPECT_EQ(file.header("Content-Type"), content_type_for(url)) << url;
    EXPECT_TRUE(file.header("ETag")) << url;
    EXPECT_FALSE(file.body.empty()) << url;
    if (url.starts_with("/docs/assets/")) {
      EXPECT_EQ(file.header("Cache-Control"), "public, max-age=31536000, immutable") << url;
    }
  }
}

TEST_F(docs_pages, swagger_ui_and_everything_it_loads) {
  auto c = client();
  check_page_and_files(c, "/docs", "connect-src 'self'");
}

TEST_F(docs_pages, redoc_and_everything_it_loads) {
  auto c = client();
  check_page_and_files(c, "/redoc", "worker-src blob:");
  EXPECT_THAT(c.get("/redoc").body, HasSubstr(R"(spec-url="/openapi.json")"));
}

TEST_F(docs_pages, a_known_etag_answers_304_without_a_body) {
  auto c = client();
  const auto page = c.get("/docs");
  const auto urls = loaded_urls(page.body);
  ASSERT_FALSE(urls.empty());
  for (const auto& path : {std::string("/docs"), urls.back()}) {
    const auto etag = c.get(path).header("ETag").value_or("");
    ASSERT_FALSE(etag.empty()) << path;
    for (const auto& condition : {etag, "W/" + etag, "\"nope\", " + etag}) {
      const auto cached = c.get(path, {{"If-None-Match", condition}});
      EXPECT_EQ(cached.status, 304u) << path << " " << condition;
      EXPECT_TRUE(cached.body.empty()) << path;
      EXPECT_EQ(cached.header("ETag"), etag) << path;
    }
    const auto changed = c.get(path, {{"If-None-Match", "\"nope\""}});
    EXPECT_EQ(changed.status, 200u) << path;
    EXPECT_FALSE(changed.body.empty()) << path;
  }
  // Every answer, 304s included, left the connection usable.
  EXPECT_EQ(c.connections_opened(), 1);
}

}  // namespace
}  // namespace authd::itest
