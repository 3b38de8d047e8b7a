// GET /openapi.json: the embedded document with the running version, its ETag, and 304 to a
// matching If-None-Match.
#include <gtest/gtest.h>

#include <boost/json/parse.hpp>

#include "installed_routes.hpp"

namespace authd::api {
namespace {

using http::bhttp::field;
using http::bhttp::verb;

http::request get_openapi(std::initializer_list<std::pair<field, std::string>> fields = {}) {
  http::request req{verb::get, "/openapi.json", 11};
  for (const auto& [f, v] : fields) req.insert(f, v);
  return req;
}

http::router router_with(std::string_view version) {
  http::router r;
  install_openapi_route(r, version);
  return r;
}

TEST(openapi_route, answers_the_document_as_json_with_the_given_version) {
  const auto r = router_with("1.2.3-test");
  const auto res = testing::call(r, get_openapi());
  ASSERT_TRUE(res.has_value());
  EXPECT_EQ(res->result_int(), 200u);
  EXPECT_EQ((*res)[field::content_type], "application/json");
  const auto doc = boost::json::parse(res->body());
  EXPECT_EQ(doc.at("openapi"), "3.1.0");
  EXPECT_EQ(doc.at("info").at("version"), "1.2.3-test");
}

TEST(openapi_route, has_a_quoted_etag_and_asks_caches_to_revalidate) {
  const auto res = testing::call(router_with("1"), get_openapi());
  ASSERT_TRUE(res.has_value());
  const std::string etag((*res)[field::etag]);
  ASSERT_GE(etag.size(), 3u);
  EXPECT_EQ(etag.front(), '"');
  EXPECT_EQ(etag.back(), '"');
  EXPECT_EQ((*res)[field::cache_control], "no-cache");
}

TEST(openapi_route, the_etag_follows_the_content) {
  const auto a = testing::call(router_with("1.0.0"), get_openapi());
  const auto again = testing::call(router_with("1.0.0"), get_openapi());
  const auto b = testing::call(router_with("1.0.1"), get_openapi());
  EXPECT_EQ((*a)[field::etag], (*again)[field::etag]);
  EXPECT_NE((*a)[field::etag], (*b)[field::etag]);
}

TEST(openapi_route, a_matching_if_none_match_is_answered_304_without_a_body) {
  const auto r = router_with("1");
  const std::string etag(testing::call(r, get_openapi())->at(field::etag));
  for (const std::string& header : {etag, "W/" + etag, "\"other\", " + etag, std::string("*")}) {
    const auto res = testing::call(r, get_openapi({{field::if_none_match, header}}));
    EXPECT_EQ(res->result_int(), 304u) << header;
    EXPECT_TRUE(res->body().empty()) << header;
    EXPECT_EQ((*res)[field::etag], etag) << header;
    EXPECT_EQ((*res)[field::cache_control], "no-cache") << header;
  }
}

TEST(openapi_route, looks_in_every_if_none_match_header) {
  const auto r = router_with("1");
  const std::string etag(testing::call(r, get_openapi())->at(field::etag));
  const auto res =
      testing::call(r, get_openapi({{field::if_none_match, "\"a\""}, {field::if_none_match, etag}}));
  EXPECT_EQ(res->result_int(), 304u);
}

TEST(openapi_route, another_tag_gets_the_document) {
  const auto r = router_with("1");
  for (const char* header : {"\"stale\"", "W/\"stale\"", ""}) {
    const auto res = testing::call(r, get_openapi({{field::if_none_match, header}}));
    EXPECT_EQ(res->result_int(), 200u) << header;
    EXPECT_FALSE(res->body().empty()) << header;
  }
}

TEST(openapi_route, is_documented_with_200_and_304) {
  const auto routes = router_with("1").routes();
  ASSERT_EQ(routes.size(), 1u);
  EXPECT_EQ(routes[0].path, "/openapi.json");
  EXPECT_EQ(routes[0].method, verb::get);
  EXPECT_TRUE(routes[0].doc.documented);
  EXPECT_EQ(routes[0].doc.statuses, (std::vector<unsigned>{200, 304}));
}

}  // namespace
}  // namespace authd::api
