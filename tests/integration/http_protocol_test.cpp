// HTTP/1.1 behaviour: health endpoints, 404/405, the headers on every response, keep-alive,
// pipelining, malformed requests, and the head and body limits.
#include "support/auth_api.hpp"
#include "support/raw_connection.hpp"
#include "support/server_test.hpp"
#include "support/text.hpp"

namespace authd::itest {
namespace {

using ::testing::Contains;
using ::testing::HasSubstr;
using ::testing::Not;
using http_protocol = server_test;

std::string get_request(std::string_view target, std::string_view extra_headers = "") {
  return "GET " + std::string(target) + " HTTP/1.1\r\nHost: 127.0.0.1\r\n" + std::string(extra_headers) +
         "\r\n";
}

std::string post_json_request(std::string_view target, std::string_view body) {
  return "POST " + std::string(target) +
         " HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n" +
         "Content-Length: " + std::to_string(body.size()) + "\r\n\r\n" + std::string(body);
}

std::vector<std::string> allowed(const http_response& response) {
  const auto allow = response.header("Allow");
  return allow ? split_trimmed(*allow, ',') : std::vector<std::string>{};
}

TEST_F(http_protocol, healthz_and_readyz_answer) {
  auto c = client();
  const auto health = c.get("/healthz");
  EXPECT_EQ(health.status, 200u);
  EXPECT_EQ(health.json(), json(R"({"status":"ok"})"));
  ASSERT_TRUE(health.header("Content-Type"));
  EXPECT_THAT(to_lower(*health.header("Content-Type")), HasSubstr("application/json"));
  const auto ready = c.get("/readyz");
  EXPECT_EQ(ready.status, 200u);
  EXPECT_EQ(ready.json(), json(R"({"status":"ready"})"));
}

TEST_F(http_protocol, a_query_string_does_not_change_the_route) {
  EXPECT_EQ(client().get("/healthz?probe=1").status, 200u);
}

TEST_F(http_protocol, every_response_has_a_distinct_request_id) {
  auto c = client();
  const http_response responses[] = {c.get("/healthz"), c.get("/nope"), c.get("/auth/me"),
                                     c.request("DELETE", "/auth/me")};
  std::set<std::string> ids;
  for (const auto& response : responses) {
    const auto id = response.header("X-Request-Id");
    ASSERT_TRUE(id && !id->empty()) << ::testing::PrintToString(response);
    ids.insert(*id);
  }
  EXPECT_EQ(ids.size(), std::size(responses));
}

TEST_F(http_protocol, an_unknown_path_is_404) {
  auto c = client();
  for (const char* target : {"/", "/nope", "/auth", "/AUTH/ME", "/auth/me/../me", "/auth/mex"}) {
    EXPECT_TRUE(has_detail(c.get(target), 404, "Not Found")) << target;
  }
}

TEST_F(http_protocol, auth_paths_are_never_cached) {
  auto c = client();
  const http_response responses[] = {c.get("/auth/me"), c.get("/auth/nope"), c.request("DELETE", "/auth/me")};
  for (const auto& response : responses) {
    EXPECT_EQ(response.header("Cache-Control"), "no-store") << ::testing::PrintToString(response);
    EXPECT_EQ(response.header("X-Content-Type-Options"), "nosniff") << ::testing::PrintToString(response);
  }
}

TEST_F(http_protocol, a_wrong_method_is_405_with_allow) {
  auto c = client();
  const auto delete_me = c.request("DELETE", "/auth/me");
  EXPECT_TRUE(has_detail(delete_me, 405, "Method Not Allowed"));
  EXPECT_THAT(allowed(delete_me), Contains("GET"));
  EXPECT_THAT(allowed(delete_me), Not(Contains("DELETE")));

  const auto get_register = c.get("/auth/register");
  EXPECT_TRUE(has_detail(get_register, 405, "Method Not Allowed"));
  EXPECT_THAT(allowed(get_register), Contains("POST"));

  const auto get_login = c.get("/auth/login");
  EXPECT_TRUE(has_detail(get_login, 405, "Method Not Allowed"));
  EXPECT_THAT(allowed(get_login), Contains("POST"));

  const auto put_logout = c.request("PUT", "/auth/logout", "{}", {{"Content-Type", "application/json"}});
  EXPECT_TRUE(has_detail(put_logout, 405, "Method Not Allowed"));
  EXPECT_THAT(allowed(put_logout), Contains("GET"));
  EXPECT_THAT(allowed(put_logout), Contains("POST"));
}

TEST_F(http_protocol, keep_alive_serves_several_requests_on_one_connection) {
  auto c = client();
  EXPECT_EQ(register_user(c, alice()).status, 201u);
  EXPECT_EQ(c.get("/auth/me").status, 200u);
  EXPECT_EQ(c.get("/healthz").status, 200u);
  EXPECT_EQ(c.post_json("/auth/logout", boost::json::object{}).status, 204u);
  EXPECT_EQ(c.get("/auth/me").status, 401u);
  EXPECT_EQ(c.connections_opened(), 1);
}

TEST_F(http_protocol, pipelined_requests_are_answered_in_order) {
  raw_connection connection(server().port());
  // The slow one (a password check) first, so answering in completion order would show.
  connection.send(
      post_json_request("/auth/login", R"({"email":"nobody@example.com","password":"long enough pw"})") +
      get_request("/healthz") + get_request("/does-not-exist"));
  const auto first = connection.read_response();
  const auto second = connection.read_response();
  const auto third = connection.read_response();
  ASSERT_TRUE(first && second && third);
  EXPECT_TRUE(has_detail(*first, 401, "Invalid credentials"));
  EXPECT_EQ(second->status, 200u);
  EXPECT_EQ(second->json(), json(R"({"status":"ok"})"));
  EXPECT_TRUE(has_detail(*third, 404, "Not Found"));
}

TEST_F(http_protocol, pipelined_registrations_are_answered_in_order) {
  raw_connection connection(server().port());
  const std::string body = boost::json::serialize(register_body(alice()));
  connection.send(post_json_request("/auth/register", body) + post_json_request("/auth/register", body) +
                  get_request("/readyz"));
  const auto first = connection.read_response();
  const auto second = connection.read_response();
  const auto third = connection.read_response();
  ASSERT_TRUE(first && second && third);
  EXPECT_EQ(first->status, 201u) << ::testing::PrintToString(*first);
  EXPECT_TRUE(has_detail(*second, 400, "User already exists"));
  EXPECT_EQ(third->status, 200u);
}

TEST_F(http_protocol, connection_close_is_honoured) {
  raw_connection connection(server().port());
  const auto response = connection.send_and_read(get_request("/healthz", "Connection: close\r\n"));
  ASSERT_TRUE(response);
  EXPECT_EQ(response->status, 200u);
  EXPECT_FALSE(response->keep_alive);
  EXPECT_TRUE(connection.closed_by_peer());
}

TEST_F(http_protocol, http_1_0_is_answered_and_closed) {
  raw_connection connection(server().port());
  const auto response = connection.send_and_read("GET /healthz HTTP/1.0\r\n\r\n");
  ASSERT_TRUE(response);
  EXPECT_EQ(response->status, 200u);
  EXPECT_TRUE(connection.closed_by_peer());
}

TEST_F(http_protocol, a_malformed_request_is_400_and_closes) {
  for (const std::string& garbage :
       {std::string("GARBAGE\r\n\r\n"), std::string("HELLO WORLD\r\n\r\n"),
        std::string("GET / HTTP/1.1 extra\r\nHost: x\r\n\r\n"),
        std::string("GET /healthz HTTP/1.1\r\nNo colon here\r\n\r\n"),
        std::string("\x16\x03\x01\x00\xa5\x01\x00\x00\xa1\x03\x03", 11) + "\r\n\r\n"}) {
    raw_connection connection(server().port());
    const auto response = connection.send_and_read(garbage);
    ASSERT_TRUE(response) << "closed without an answer: " << printable(garbage);
    EXPECT_EQ(response->status, 400u) << printable(garbage);
    EXPECT_TRUE(response->header("X-Request-Id")) << printable(garbage);
    EXPECT_TRUE(connection.closed_by_peer()) << printable(garbage);
  }
  EXPECT_TRUE(serving(server().port()));
}

TEST_F(http_protocol, a_malformed_request_after_a_good_one_still_gets_the_good_answer_first) {
  raw_connection connection(server().port());
  connection.send(get_request("/healthz") + "GARBAGE\r\n\r\n");
  const auto good = connection.read_response();
  ASSERT_TRUE(good);
  EXPECT_EQ(good->status, 200u);
  const auto bad = connection.read_response();
  ASSERT_TRUE(bad);
  EXPECT_EQ(bad->status, 400u);
  EXPECT_TRUE(connection.closed_by_peer());
}

TEST_F(http_protocol, a_request_head_over_8_kib_is_431) {
  raw_connection connection(server().port());
  const auto response =
      connection.send_and_read(get_request("/healthz", "X-Filler: " + std::string(9 * 1024, 'f') + "\r\n"));
  ASSERT_TRUE(response) << "closed without an answer";
  EXPECT_EQ(response->status, 431u);
  EXPECT_TRUE(response->header("X-Request-Id"));
  EXPECT_TRUE(serving(server().port()));
}

TEST_F(http_protocol, many_small_headers_over_8_kib_are_431) {
  std::string headers;
  for (int i = 0; i < 400; ++i) headers += "X-H" + std::to_string(i) + ": abcdefghijklmnop\r\n";
  raw_connection connection(server().port());
  const auto response = connection.send_and_read(get_request("/healthz", headers));
  ASSERT_TRUE(response) << "closed without an answer";
  EXPECT_EQ(response->status, 431u);
}

TEST_F(http_protocol, a_long_target_is_431) {
  raw_connection connection(server().port());
  const auto response = connection.send_and_read(get_request("/" + std::string(9 * 1024, 'p')));
  ASSERT_TRUE(response) << "closed without an answer";
  EXPECT_EQ(response->status, 431u);
}

TEST_F(http_protocol, a_body_over_64_kib_is_413_and_64_kib_is_not) {
  auto c = client();
  // A JSON object padded with whitespace to exactly the limit, then one byte more.
  const std::string at_limit = "{}" + std::string(64 * 1024 - 2, ' ');
  const auto accepted = c.post_json_text("/auth/register", at_limit);
  EXPECT_EQ(accepted.status, 422u) << "64 KiB is allowed; the fields are missing";
  const auto refused = c.post_json_text("/auth/register", at_limit + " ");
  EXPECT_TRUE(has_detail(refused, 413, "Request Entity Too Large"));
  EXPECT_TRUE(refused.header("X-Request-Id"));
  EXPECT_TRUE(serving(server().port()));
}

}  // namespace
}  // namespace authd::itest
