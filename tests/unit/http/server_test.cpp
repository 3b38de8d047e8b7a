// Black-box tests of the server over real loopback sockets.
#include "http/server.hpp"

#include <gtest/gtest.h>
#include <spdlog/sinks/ringbuffer_sink.h>
#include <spdlog/spdlog.h>

#include <atomic>
#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <chrono>
#include <future>
#include <memory>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

#include "http/responses.hpp"
#include "unit/http/test_client.hpp"

namespace authd::http {
namespace {

namespace asio = boost::asio;
using test_support::test_client;
using namespace std::chrono_literals;

bool is_generated_id(std::string_view id) {
  return id.size() == 16 && id.find_first_not_of("0123456789abcdef") == std::string_view::npos;
}

// Waits (by polling) for a condition the server reaches on its own threads; the cap only turns a
// hang into a failure.
template <class Condition>
bool eventually(Condition condition) {
  for (int i = 0; i < 1000; ++i) {
    if (condition()) return true;
    std::this_thread::sleep_for(10ms);
  }
  return condition();
}

class server_test : public ::testing::Test {
 protected:
  static server_limits test_limits() {
    server_limits limits;
    // Longer than test_client::io_timeout_seconds: a connection the server should have closed
    // on purpose must not pass a test by timing out instead.
    limits.read_timeout = 30s;
    limits.idle_timeout = 30s;
    limits.shutdown_timeout = 5s;
    limits.max_connections = 100;
    return limits;
  }

  router make_router() {
    router r;
    r.add(bhttp::verb::get, "/hello", [](request_context&) -> asio::awaitable<response> {
      response res{bhttp::status::ok, 11};
      res.set(bhttp::field::content_type, "text/plain");
      res.body() = "hello";
      co_return res;
    });
    r.add(bhttp::verb::post, "/hello", [](request_context&) -> asio::awaitable<response> {
      co_return empty_response(bhttp::status::no_content);
    });
    r.add(bhttp::verb::post, "/echo", [](request_context& context) -> asio::awaitable<response> {
      response res{bhttp::status::ok, 11};
      res.body() = context.req.body();
      co_return res;
    });
    r.add(bhttp::verb::get, "/info", [](request_context& context) -> asio::awaitable<response> {
      response res{bhttp::status::ok, 11};
      res.body() = "path=" + std::string(context.path) + ";query=" + std::string(context.query) +
                   ";client=" + context.client_address;
      co_return res;
    });
    r.add(bhttp::verb::get, "/boom", [](request_context&) -> asio::awaitable<response> {
      throw std::runtime_error("internal detail 42");
      co_return response{};
    });
    r.add(bhttp::verb::get, "/slow", [this](request_context&) -> asio::awaitable<response> {
      slow_entered_ = true;
      asio::steady_timer timer(co_await asio::this_coro::executor);
      while (!release_slow_) {
        timer.expires_after(5ms);
        co_await timer.async_wait(asio::use_awaitable);
      }
      response res{bhttp::status::ok, 11};
      res.body() = "slow done";
      co_return res;
    });
    return r;
  }

  void start(server_limits limits = test_limits()) {
    server_ = std::make_unique<server>(io_, make_router(), limits,
                                       asio::ip::tcp::endpoint(asio::ip::make_address("127.0.0.1"), 0));
    server_->start();
    for (int i = 0; i < 2; ++i) threads_.emplace_back([this] { io_.run(); });
  }

  unsigned short port() const { return server_->local_endpoint().port(); }

  // Shuts the server down and returns whether `done` ran.
  bool stop() {
    auto done = std::make_shared<std::promise<void>>();
    server_->shutdown([done] { done->set_value(); });
    const bool finished = done->get_future().wait_for(20s) == std::future_status::ready;
    io_.stop();
    for (auto& t : threads_) t.join();
    threads_.clear();
    server_.reset();
    return finished;
  }

  void TearDown() override {
    release_slow_ = true;
    if (server_) {
      EXPECT_TRUE(stop());
    }
  }

  asio::io_context io_;
  // Keeps the threads running once the server has no work left, so that a late `done` still runs.
  asio::executor_work_guard<asio::io_context::executor_type> work_ = asio::make_work_guard(io_);
  std::unique_ptr<server> server_;
  std::vector<std::thread> threads_;
  std::atomic<bool> slow_entered_{false};
  std::atomic<bool> release_slow_{false};
};

constexpr std::string_view get_hello = "GET /hello HTTP/1.1\r\nHost: x\r\n\r\n";

std::string post_echo(std::string_view body, std::string_view extra_headers = "") {
  return "POST /echo HTTP/1.1\r\nHost: x\r\n" + std::string(extra_headers) +
         "Content-Length: " + std::to_string(body.size()) + "\r\n\r\n" + std::string(body);
}

TEST_F(server_test, answers_with_request_id_nosniff_and_length) {
  start();
  test_client client(port());
  client.send(get_hello);
  const auto res = client.read_response();
  EXPECT_EQ(res.result(), bhttp::status::ok);
  EXPECT_EQ(res.body(), "hello");
  EXPECT_EQ(res[bhttp::field::content_length], "5");
  EXPECT_TRUE(is_generated_id(res["X-Request-Id"])) << res["X-Request-Id"];
  EXPECT_EQ(res["X-Content-Type-Options"], "nosniff");
  EXPECT_TRUE(res.keep_alive());
}

TEST_F(server_test, echoes_a_safe_request_id_and_replaces_an_unsafe_one) {
  start();
  test_client client(port());
  client.send("GET /hello HTTP/1.1\r\nHost: x\r\nX-Request-Id: trace-42.a_b\r\n\r\n");
  EXPECT_EQ(client.read_response()["X-Request-Id"], "trace-42.a_b");
  client.send("GET /hello HTTP/1.1\r\nHost: x\r\nX-Request-Id: evil=1\"\r\n\r\n");
  EXPECT_TRUE(is_generated_id(client.read_response()["X-Request-Id"]));
}

TEST_F(server_test, keeps_the_connection_alive) {
  start();
  test_client client(port());
  client.send(get_hello);
  EXPECT_EQ(client.read_response().body(), "hello");
  client.send(post_echo("second"));
  EXPECT_EQ(client.read_response().body(), "second");
  EXPECT_EQ(server_->open_connections(), 1u);
}

TEST_F(server_test, answers_pipelined_requests_in_order) {
  start();
  test_client client(port());
  client.send(post_echo("one", "X-Request-Id: r1\r\n") + "GET /info?n=2 HTTP/1.1\r\nHost: x\r\n\r\n" +
              post_echo(std::string(1000, 'z'), "X-Request-Id: r3\r\n"));
  const auto first = client.read_response();
  EXPECT_EQ(first.body(), "one");
  EXPECT_EQ(first["X-Request-Id"], "r1");
  EXPECT_EQ(client.read_response().body(), "path=/info;query=n=2;client=127.0.0.1");
  const auto third = client.read_response();
  EXPECT_EQ(third.body(), std::string(1000, 'z'));
  EXPECT_EQ(third["X-Request-Id"], "r3");
}

TEST_F(server_test, routes_on_the_path_without_the_query) {
  start();
  test_client client(port());
  client.send("GET /info HTTP/1.1\r\nHost: x\r\n\r\n");
  EXPECT_EQ(client.read_response().body(), "path=/info;query=;client=127.0.0.1");
  client.send("GET /info?a=1&b=%20 HTTP/1.1\r\nHost: x\r\n\r\n");
  EXPECT_EQ(client.read_response().body(), "path=/info;query=a=1&b=%20;client=127.0.0.1");
}

TEST_F(server_test, unknown_path_is_404) {
  start();
  test_client client(port());
  client.send("GET /nope?x=1 HTTP/1.1\r\nHost: x\r\n\r\n");
  const auto res = client.read_response();
  EXPECT_EQ(res.result(), bhttp::status::not_found);
  EXPECT_EQ(res.body(), R"({"detail":"Not Found"})");
  EXPECT_EQ(res[bhttp::field::content_type], "application/json");
  EXPECT_TRUE(is_generated_id(res["X-Request-Id"]));
  EXPECT_EQ(res["X-Content-Type-Options"], "nosniff");
}

TEST_F(server_test, wrong_method_is_405_with_allow) {
  start();
  test_client client(port());
  client.send("DELETE /hello HTTP/1.1\r\nHost: x\r\n\r\n");
  const auto res = client.read_response();
  EXPECT_EQ(res.result(), bhttp::status::method_not_allowed);
  EXPECT_EQ(res.body(), R"({"detail":"Method Not Allowed"})");
  EXPECT_EQ(res[bhttp::field::allow], "GET, HEAD, POST");
  client.send("GET /echo HTTP/1.1\r\nHost: x\r\n\r\n");
  EXPECT_EQ(client.read_response()[bhttp::field::allow], "POST");
}

TEST_F(server_test, head_keeps_content_length_and_sends_no_body) {
  start();
  test_client client(port());
  client.send("HEAD /hello HTTP/1.1\r\nHost: x\r\n\r\n");
  const auto res = client.read_response(/*head=*/true);
  EXPECT_EQ(res.result(), bhttp::status::ok);
  EXPECT_EQ(res[bhttp::field::content_length], "5");
  // Had the body been sent, its bytes would now be read as the next response's status line.
  client.send(get_hello);
  EXPECT_EQ(client.read_response().body(), "hello");
}

TEST_F(server_test, no_content_has_no_length_or_body) {
  start();
  test_client client(port());
  client.send("POST /hello HTTP/1.1\r\nHost: x\r\nContent-Length: 0\r\n\r\n");
  const auto res = client.read_response();
  EXPECT_EQ(res.result(), bhttp::status::no_content);
  EXPECT_EQ(res.count(bhttp::field::content_length), 0u);
  client.send(get_hello);
  EXPECT_EQ(client.read_response().body(), "hello");
}

TEST_F(server_test, expect_100_continue_is_honoured) {
  start();
  test_client client(port());
  client.send("POST /echo HTTP/1.1\r\nHost: x\r\nExpect: 100-continue\r\nContent-Length: 5\r\n\r\n");
  EXPECT_EQ(client.read_response().result(), bhttp::status::continue_);
  client.send("abcde");
  EXPECT_EQ(client.read_response().body(), "abcde");
}

TEST_F(server_test, oversized_header_is_431_and_closes) {
  start();
  test_client client(port());
  client.send("GET /hello HTTP/1.1\r\nHost: x\r\nX-Big: " + std::string(9 * 1024, 'a') + "\r\n\r\n");
  const auto res = client.read_response();
  EXPECT_EQ(res.result(), bhttp::status::request_header_fields_too_large);
  EXPECT_EQ(res.body(), R"({"detail":"Request Header Fields Too Large"})");
  EXPECT_EQ(res[bhttp::field::connection], "close");
  EXPECT_TRUE(is_generated_id(res["X-Request-Id"]));
  EXPECT_TRUE(client.closed_by_peer());
}

TEST_F(server_test, oversized_content_length_is_413_and_closes) {
  start();
  test_client client(port());
  client.send(post_echo(std::string(70 * 1024, 'b'), "X-Request-Id: big-1\r\n"));
  const auto res = client.read_response();
  EXPECT_EQ(res.result(), bhttp::status::payload_too_large);
  EXPECT_EQ(res.body(), R"({"detail":"Request Entity Too Large"})");
  EXPECT_EQ(res[bhttp::field::connection], "close");
  EXPECT_EQ(res["X-Request-Id"], "big-1");
  EXPECT_TRUE(client.closed_by_peer());
}

TEST_F(server_test, oversized_chunked_body_is_413) {
  start();
  test_client client(port());
  client.send("POST /echo HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n");
  const std::string chunk(16 * 1024, 'c');
  for (int i = 0; i < 5; ++i) client.send("4000\r\n" + chunk + "\r\n");
  client.send("0\r\n\r\n");
  const auto res = client.read_response();
  EXPECT_EQ(res.result(), bhttp::status::payload_too_large);
  EXPECT_EQ(res.body(), R"({"detail":"Request Entity Too Large"})");
  EXPECT_TRUE(client.closed_by_peer());
}

TEST_F(server_test, chunked_body_within_the_limit_is_read) {
  start();
  test_client client(port());
  client.send(
      "POST /echo HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabc\r\n2\r\nde\r\n0\r\n\r\n");
  EXPECT_EQ(client.read_response().body(), "abcde");
}

TEST_F(server_test, garbage_is_400_and_closes) {
  start();
  test_client client(port());
  client.send("HELLO THERE\x01\r\n\r\n");
  const auto res = client.read_response();
  EXPECT_EQ(res.result(), bhttp::status::bad_request);
  EXPECT_EQ(res.body(), R"({"detail":"Bad Request"})");
  EXPECT_EQ(res[bhttp::field::connection], "close");
  EXPECT_TRUE(client.closed_by_peer());
}

TEST_F(server_test, target_not_in_origin_form_is_400) {
  start();
  test_client client(port());
  client.send("GET http://example.com/hello HTTP/1.1\r\nHost: example.com\r\n\r\n");
  const auto res = client.read_response();
  EXPECT_EQ(res.result(), bhttp::status::bad_request);
  EXPECT_EQ(res.body(), R"({"detail":"Bad Request"})");
  EXPECT_TRUE(client.closed_by_peer());
}

TEST_F(server_test, handler_exception_is_a_bare_500) {
  start();
  test_client client(port());
  client.send("GET /boom HTTP/1.1\r\nHost: x\r\n\r\n");
  const auto res = client.read_response();
  EXPECT_EQ(res.result(), bhttp::status::internal_server_error);
  EXPECT_EQ(res.body(), R"({"detail":"Internal Server Error"})");
  EXPECT_EQ(res[bhttp::field::content_type], "application/json");
  // The connection survives a failed handler.
  client.send(get_hello);
  EXPECT_EQ(client.read_response().body(), "hello");
}

TEST_F(server_test, http10_without_keep_alive_closes) {
  start();
  test_client client(port());
  client.send("GET /hello HTTP/1.0\r\n\r\n");
  const auto res = client.read_response();
  EXPECT_EQ(res.body(), "hello");
  EXPECT_EQ(res.version(), 10u);
  EXPECT_TRUE(client.closed_by_peer());
}

TEST_F(server_test, http10_keep_alive_stays_open) {
  start();
  test_client client(port());
  client.send("GET /hello HTTP/1.0\r\nConnection: keep-alive\r\n\r\n");
  EXPECT_EQ(client.read_response()[bhttp::field::connection], "keep-alive");
  client.send("GET /hello HTTP/1.0\r\nConnection: keep-alive\r\n\r\n");
  EXPECT_EQ(client.read_response().body(), "hello");
}

TEST_F(server_test, connection_close_from_the_client_is_honoured) {
  start();
  test_client client(port());
  client.send("GET /hello HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
  EXPECT_EQ(client.read_response()[bhttp::field::connection], "close");
  EXPECT_TRUE(client.closed_by_peer());
}

TEST_F(server_test, connections_over_the_cap_get_503) {
  auto limits = test_limits();
  limits.max_connections = 2;
  start(limits);
  auto first = std::make_unique<test_client>(port());
  test_client second(port());
  // An answer proves the server accepted and counted each connection.
  first->send(get_hello);
  ASSERT_EQ(first->read_response().result(), bhttp::status::ok);
  second.send(get_hello);
  ASSERT_EQ(second.read_response().result(), bhttp::status::ok);

  test_client third(port());
  const auto res = third.read_response();
  EXPECT_EQ(res.result(), bhttp::status::service_unavailable);
  EXPECT_EQ(res.body(), R"({"detail":"Service Unavailable"})");
  EXPECT_EQ(res[bhttp::field::retry_after], "1");
  EXPECT_EQ(res[bhttp::field::connection], "close");
  EXPECT_TRUE(is_generated_id(res["X-Request-Id"]));
  EXPECT_TRUE(third.closed_by_peer());

  first.reset();
  ASSERT_TRUE(eventually([&] { return server_->open_connections() == 1; }));
  test_client fourth(port());
  fourth.send(get_hello);
  EXPECT_EQ(fourth.read_response().result(), bhttp::status::ok);
}

TEST_F(server_test, read_timeout_drops_a_slow_client) {
  auto limits = test_limits();
  limits.read_timeout = 1s;
  start(limits);
  test_client silent(port());
  test_client slow(port());
  slow.send("GET /hello HTTP/1.1\r\nHost: x\r\n");
  // The client gives up only after test_client::io_timeout_seconds, well past the server's 1 s.
  EXPECT_TRUE(silent.closed_by_peer());
  EXPECT_TRUE(slow.closed_by_peer());
}

TEST_F(server_test, idle_keep_alive_connection_is_closed_after_idle_timeout) {
  auto limits = test_limits();
  limits.idle_timeout = 1s;
  start(limits);
  test_client client(port());
  client.send(get_hello);
  ASSERT_EQ(client.read_response().result(), bhttp::status::ok);
  EXPECT_TRUE(client.closed_by_peer());
}

TEST_F(server_test, shutdown_finishes_the_request_in_flight_then_calls_done) {
  start();
  test_client idle(port());
  idle.send(get_hello);
  ASSERT_EQ(idle.read_response().result(), bhttp::status::ok);
  test_client busy(port());
  busy.send("GET /slow HTTP/1.1\r\nHost: x\r\n\r\n");
  ASSERT_TRUE(eventually([&] { return slow_entered_.load(); }));

  std::promise<void> done;
  auto done_future = done.get_future();
  server_->shutdown([&done] { done.set_value(); });
  // The idle connection goes at once; the busy one holds `done` back.
  EXPECT_TRUE(idle.closed_by_peer());
  EXPECT_EQ(done_future.wait_for(0s), std::future_status::timeout);

  release_slow_ = true;
  const auto res = busy.read_response();
  EXPECT_EQ(res.result(), bhttp::status::ok);
  EXPECT_EQ(res.body(), "slow done");
  EXPECT_EQ(res[bhttp::field::connection], "close");
  EXPECT_TRUE(busy.closed_by_peer());
  EXPECT_EQ(done_future.wait_for(20s), std::future_status::ready);
  EXPECT_THROW(test_client refused(port()), std::runtime_error);
}

TEST_F(server_test, shutdown_cuts_what_outlasts_the_timeout) {
  auto limits = test_limits();
  limits.shutdown_timeout = 1s;
  start(limits);
  test_client busy(port());
  busy.send("GET /slow HTTP/1.1\r\nHost: x\r\n\r\n");
  ASSERT_TRUE(eventually([&] { return slow_entered_.load(); }));
  std::promise<void> done;
  server_->shutdown([&done] { done.set_value(); });
  // The handler never finishes on its own; the cut ends it.
  EXPECT_EQ(done.get_future().wait_for(20s), std::future_status::ready);
  EXPECT_TRUE(busy.closed_by_peer());
}

class access_log_test : public server_test {
 protected:
  void SetUp() override {
    previous_ = spdlog::default_logger();
    sink_ = std::make_shared<spdlog::sinks::ringbuffer_sink_mt>(64);
    sink_->set_pattern("%l %v");
    auto logger = std::make_shared<spdlog::logger>("test", sink_);
    logger->set_level(spdlog::level::info);
    spdlog::set_default_logger(logger);
  }
  void TearDown() override {
    server_test::TearDown();
    spdlog::set_default_logger(previous_);
  }
  std::string log_text() const {
    std::string all;
    for (const auto& line : sink_->last_formatted()) all += line;
    return all;
  }

  std::shared_ptr<spdlog::logger> previous_;
  std::shared_ptr<spdlog::sinks::ringbuffer_sink_mt> sink_;
};

TEST_F(access_log_test, one_line_per_request_without_query_or_headers) {
  start();
  test_client client(port());
  client.send(
      "GET /info?token=query-secret HTTP/1.1\r\nHost: x\r\nX-Request-Id: log-1\r\n"
      "Cookie: token=cookie-secret\r\nAuthorization: Bearer bearer-secret\r\n\r\n");
  ASSERT_EQ(client.read_response().result(), bhttp::status::ok);
  // The line for a request is written before the next request on the connection is read.
  client.send(get_hello);
  ASSERT_EQ(client.read_response().result(), bhttp::status::ok);

  const auto text = log_text();
  EXPECT_NE(text.find("info access method=GET path=/info status=200 duration_ms="), std::string::npos)
      << text;
  EXPECT_NE(text.find("request_id=log-1"), std::string::npos) << text;
  for (const auto* secret : {"query-secret", "cookie-secret", "bearer-secret", "token="})
    EXPECT_EQ(text.find(secret), std::string::npos) << secret;
}

TEST_F(access_log_test, handler_failure_is_logged_with_the_request_id) {
  start();
  test_client client(port());
  client.send("GET /boom HTTP/1.1\r\nHost: x\r\nX-Request-Id: boom-1\r\n\r\n");
  const auto res = client.read_response();
  EXPECT_EQ(res.body().find("42"), std::string::npos);
  const auto text = log_text();
  EXPECT_NE(text.find("request_id=boom-1"), std::string::npos) << text;
  EXPECT_NE(text.find("internal detail 42"), std::string::npos) << text;
}

}  // namespace
}  // namespace authd::http
