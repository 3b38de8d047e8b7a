#include "http/router.hpp"

#include <gtest/gtest.h>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/use_future.hpp>
#include <string>

namespace authd::http {
namespace {

handler answering(std::string text) {
  return [text](request_context&) -> boost::asio::awaitable<response> {
    response res{bhttp::status::ok, 11};
    res.body() = text;
    co_return res;
  };
}

// Runs the handler a match found, to tell which one it was.
std::string body_of(const router::match& m) {
  if (m.found == nullptr) return "<none>";
  request req;
  request_context context{req, "/", "", "id", "127.0.0.1"};
  boost::asio::io_context io;
  auto result = boost::asio::co_spawn(io, (*m.found)(context), boost::asio::use_future);
  io.run();
  return result.get().body();
}

router sample_router() {
  router r;
  r.add(bhttp::verb::get, "/auth/me", answering("me"));
  r.add(bhttp::verb::post, "/auth/login", answering("login"));
  r.add(bhttp::verb::get, "/auth/logout", answering("logout-get"));
  r.add(bhttp::verb::post, "/auth/logout", answering("logout-post"));
  return r;
}

TEST(router, matches_exact_method_and_path) {
  const auto r = sample_router();
  EXPECT_EQ(body_of(r.find(bhttp::verb::get, "/auth/me")), "me");
  EXPECT_EQ(body_of(r.find(bhttp::verb::post, "/auth/login")), "login");
  EXPECT_EQ(body_of(r.find(bhttp::verb::get, "/auth/logout")), "logout-get");
  EXPECT_EQ(body_of(r.find(bhttp::verb::post, "/auth/logout")), "logout-post");
}

TEST(router, unknown_path_is_not_known) {
  const auto r = sample_router();
  for (const auto* path : {"/auth/me/", "/auth/ME", "/auth", "/", "", "/auth/me?x=1"}) {
    const auto m = r.find(bhttp::verb::get, path);
    EXPECT_EQ(m.found, nullptr) << path;
    EXPECT_FALSE(m.path_known) << path;
  }
}

TEST(router, wrong_method_lists_registered_methods) {
  const auto r = sample_router();
  const auto m = r.find(bhttp::verb::get, "/auth/login");
  EXPECT_EQ(m.found, nullptr);
  EXPECT_TRUE(m.path_known);
  EXPECT_EQ(m.allow, "POST");

  const auto both = r.find(bhttp::verb::delete_, "/auth/logout");
  EXPECT_TRUE(both.path_known);
  EXPECT_EQ(both.allow, "GET, HEAD, POST");

  EXPECT_EQ(r.find(bhttp::verb::post, "/auth/me").allow, "GET, HEAD");
}

TEST(router, head_is_served_by_get) {
  const auto r = sample_router();
  EXPECT_EQ(body_of(r.find(bhttp::verb::head, "/auth/me")), "me");
  const auto no_get = r.find(bhttp::verb::head, "/auth/login");
  EXPECT_EQ(no_get.found, nullptr);
  EXPECT_TRUE(no_get.path_known);
  EXPECT_EQ(no_get.allow, "POST");
}

TEST(router, explicit_head_route_wins_and_is_listed_once) {
  router r;
  r.add(bhttp::verb::get, "/x", answering("get"));
  r.add(bhttp::verb::head, "/x", answering("head"));
  EXPECT_EQ(body_of(r.find(bhttp::verb::head, "/x")), "head");
  EXPECT_EQ(r.find(bhttp::verb::put, "/x").allow, "GET, HEAD");
}

TEST(router, match_does_not_build_allow_when_found) {
  const auto r = sample_router();
  EXPECT_TRUE(r.find(bhttp::verb::get, "/auth/me").allow.empty());
}

TEST(router, routes_in_registration_order) {
  const auto routes = sample_router().routes();
  ASSERT_EQ(routes.size(), 4u);
  EXPECT_EQ(routes[0].method, bhttp::verb::get);
  EXPECT_EQ(routes[0].path, "/auth/me");
  EXPECT_EQ(routes[1].method, bhttp::verb::post);
  EXPECT_EQ(routes[1].path, "/auth/login");
  EXPECT_EQ(routes[3].method, bhttp::verb::post);
  EXPECT_EQ(routes[3].path, "/auth/logout");
}

TEST(router, routes_keep_what_the_api_description_says_of_them) {
  router r;
  r.add(bhttp::verb::get, "/documented", answering("a"),
        route_doc{.statuses = {200, 401}, .documented = true});
  r.add(bhttp::verb::get, "/asset.js", answering("b"),
        route_doc{.statuses = {200, 304}, .documented = false});
  const auto routes = r.routes();
  ASSERT_EQ(routes.size(), 2u);
  EXPECT_EQ(routes[0].doc.statuses, (std::vector<unsigned>{200, 401}));
  EXPECT_TRUE(routes[0].doc.documented);
  EXPECT_EQ(routes[1].doc.statuses, (std::vector<unsigned>{200, 304}));
  EXPECT_FALSE(routes[1].doc.documented);
}

router parameter_router() {
  router r;
  r.add(bhttp::verb::get, "/auth/sessions", answering("list"));
  r.add(bhttp::verb::delete_, "/auth/sessions/{id}", answering("delete"));
  r.add(bhttp::verb::get, "/auth/sessions/current", answering("exact"));
  return r;
}

TEST(router, a_parameter_segment_matches_one_segment_and_exposes_it) {
  const auto r = parameter_router();
  const auto m = r.find(bhttp::verb::delete_, "/auth/sessions/5d2c8a1e-3b4f-4c6d-8e9f-0a1b2c3d4e5f");
  EXPECT_EQ(body_of(m), "delete");
  EXPECT_EQ(m.parameter, "5d2c8a1e-3b4f-4c6d-8e9f-0a1b2c3d4e5f");
  EXPECT_EQ(r.find(bhttp::verb::delete_, "/auth/sessions/x").parameter, "x");
  // Exact routes carry no parameter.
  EXPECT_TRUE(r.find(bhttp::verb::get, "/auth/sessions").parameter.empty());
}

TEST(router, a_parameter_segment_is_never_empty_and_never_spans_segments) {
  const auto r = parameter_router();
  for (const auto* path : {"/auth/sessions/", "/auth/sessions/a/b", "/auth/sessions/a/", "/auth/sessionsx",
                           "/auth/sessionsx/a", "/auth/session/a", "/auth/sessions/{id}/x"}) {
    const auto m = r.find(bhttp::verb::delete_, path);
    EXPECT_EQ(m.found, nullptr) << path;
    EXPECT_FALSE(m.path_known) << path;
  }
}

TEST(router, a_parameter_route_answers_405_with_its_own_methods) {
  const auto r = parameter_router();
  const auto m = r.find(bhttp::verb::get, "/auth/sessions/abc");
  EXPECT_EQ(m.found, nullptr);
  EXPECT_TRUE(m.path_known);
  EXPECT_EQ(m.allow, "DELETE");
  // The list path keeps its own methods.
  EXPECT_EQ(r.find(bhttp::verb::delete_, "/auth/sessions").allow, "GET, HEAD");
}

TEST(router, an_exact_path_wins_over_a_parameter_route) {
  const auto r = parameter_router();
  EXPECT_EQ(body_of(r.find(bhttp::verb::get, "/auth/sessions/current")), "exact");
  const auto m = r.find(bhttp::verb::delete_, "/auth/sessions/current");
  EXPECT_EQ(m.found, nullptr);
  EXPECT_EQ(m.allow, "GET, HEAD");
}

TEST(router, head_falls_back_to_a_parameter_get_route_with_its_value) {
  router r;
  r.add(bhttp::verb::get, "/items/{name}", answering("item"));
  const auto m = r.find(bhttp::verb::head, "/items/book");
  EXPECT_EQ(body_of(m), "item");
  EXPECT_EQ(m.parameter, "book");
  EXPECT_EQ(r.find(bhttp::verb::post, "/items/book").allow, "GET, HEAD");
}

TEST(router, braces_elsewhere_are_an_exact_path) {
  router r;
  r.add(bhttp::verb::get, "/a{b}", answering("literal"));
  EXPECT_EQ(body_of(r.find(bhttp::verb::get, "/a{b}")), "literal");
  EXPECT_EQ(r.find(bhttp::verb::get, "/ax").found, nullptr);
}

TEST(router, routes_list_a_parameter_route_as_registered) {
  const auto routes = parameter_router().routes();
  ASSERT_EQ(routes.size(), 3u);
  EXPECT_EQ(routes[1].path, "/auth/sessions/{id}");
}

// The path index names the registered path for metrics: one per distinct path, whatever the method.
TEST(router, a_match_names_the_registered_path_it_matched) {
  router r = sample_router();
  r.add(bhttp::verb::delete_, "/auth/sessions/{id}", answering("end"));
  const auto& paths = r.paths();
  ASSERT_EQ(paths,
            (std::vector<std::string>{"/auth/me", "/auth/login", "/auth/logout", "/auth/sessions/{id}"}));
  auto path_of = [&](bhttp::verb v, std::string_view target) {
    const auto index = r.find(v, target).path_index;
    return index == router::no_path ? std::string("<none>") : paths.at(index);
  };
  EXPECT_EQ(path_of(bhttp::verb::get, "/auth/me"), "/auth/me");
  EXPECT_EQ(path_of(bhttp::verb::head, "/auth/me"), "/auth/me");
  EXPECT_EQ(path_of(bhttp::verb::post, "/auth/logout"), "/auth/logout");
  EXPECT_EQ(path_of(bhttp::verb::delete_, "/auth/sessions/abc"), "/auth/sessions/{id}");
  EXPECT_EQ(path_of(bhttp::verb::put, "/auth/me"), "/auth/me") << "a 405 is counted under its path";
  EXPECT_EQ(path_of(bhttp::verb::get, "/nowhere"), "<none>");
}

}  // namespace
}  // namespace authd::http
