// GET /openapi.json on a real server: the document, with the version `authd version` prints, an
// ETag that revalidates to 304, and HEAD.
#include "support/child_process.hpp"
#include "support/raw_connection.hpp"
#include "support/server_test.hpp"

namespace authd::itest {
namespace {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace bhttp = beast::http;

using openapi = server_test;

// What `authd version` prints after "authd " on its first line (the second says how it was built).
std::string binary_version() {
  const auto result = run_authd({"version"}, {});
  EXPECT_EQ(result.exit_code, 0) << result.output;
  std::string text = result.output.substr(0, result.output.find('\n'));
  while (!text.empty() && text.back() == '\r') text.pop_back();
  constexpr std::string_view prefix = "authd ";
  EXPECT_TRUE(text.starts_with(prefix)) << text;
  return text.starts_with(prefix) ? text.substr(prefix.size()) : text;
}

// HEAD, read with a parser told that no body follows (the client helpers expect one).
bhttp::response<bhttp::string_body> head(std::uint16_t port, std::string_view target) {
  asio::io_context io;
  beast::tcp_stream stream(io);
  stream.expires_after(io_timeout);
  stream.connect(asio::ip::tcp::endpoint(asio::ip::make_address("127.0.0.1"), port));
  bhttp::request<bhttp::empty_body> req{bhttp::verb::head, target, 11};
  req.set(bhttp::field::host, "127.0.0.1");
  bhttp::write(stream, req);
  bhttp::response_parser<bhttp::string_body> parser;
  parser.skip(true);
  beast::flat_buffer buffer;
  bhttp::read(stream, buffer, parser);
  return parser.release();
}

TEST_F(openapi, serves_the_document_with_the_binarys_version) {
  auto c = client();
  const auto response = c.get("/openapi.json");
  ASSERT_EQ(response.status, 200u) << ::testing::PrintToString(response);
  EXPECT_EQ(response.header("Content-Type"), "application/json");
  EXPECT_EQ(response.header("Cache-Control"), "no-cache");
  EXPECT_TRUE(response.header("X-Request-Id"));
  const auto doc = response.json();
  EXPECT_EQ(doc.at("openapi"), "3.1.0");
  EXPECT_EQ(doc.at("info").at("title"), "authd");
  EXPECT_EQ(doc.at("info").at("version"), boost::json::string(binary_version()));
  EXPECT_TRUE(doc.at("paths").as_object().contains("/auth/login"));
}

TEST_F(openapi, revalidates_with_the_etag) {
  auto c = client();
  const auto first = c.get("/openapi.json");
  ASSERT_EQ(first.status, 200u);
  const auto etag = first.header("ETag");
  ASSERT_TRUE(etag) << ::testing::PrintToString(first);

  const auto again = c.get("/openapi.json", {{"If-None-Match", *etag}});
  EXPECT_EQ(again.status, 304u) << ::testing::PrintToString(again);
  EXPECT_TRUE(again.body.empty());
  EXPECT_EQ(again.header("ETag"), etag);
  EXPECT_TRUE(again.header("X-Request-Id"));
  EXPECT_TRUE(again.keep_alive) << "a 304 keeps the connection";

  const auto stale = c.get("/openapi.json", {{"If-None-Match", "\"stale\""}});
  EXPECT_EQ(stale.status, 200u);
  EXPECT_EQ(stale.body, first.body);
}

TEST_F(openapi, head_answers_the_headers_without_the_body) {
  const auto get = client().get("/openapi.json");
  ASSERT_EQ(get.status, 200u);
  const auto res = head(server().port(), "/openapi.json");
  EXPECT_EQ(res.result_int(), 200u);
  EXPECT_EQ(res[bhttp::field::content_type], "application/json");
  EXPECT_EQ(res[bhttp::field::content_length], std::to_string(get.body.size()));
  EXPECT_EQ(std::string(res[bhttp::field::etag]), get.header("ETag").value_or(""));
  EXPECT_TRUE(res.body().empty());
}

TEST_F(openapi, other_methods_are_405) {
  auto c = client();
  const auto response = c.post_json_text("/openapi.json", "{}");
  EXPECT_EQ(response.status, 405u);
  EXPECT_EQ(response.header("Allow"), "GET, HEAD");
}

}  // namespace
}  // namespace authd::itest
