// Private to the server: the state the listener shares with its connections, and the per-socket session.
#pragma once

#include <atomic>
#include <boost/asio/awaitable.hpp>
#include <boost/asio/cancellation_signal.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/strand.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/http/parser.hpp>
#include <chrono>
#include <cstddef>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_set>

#include "http/message.hpp"
#include "http/request_metrics.hpp"
#include "http/router.hpp"
#include "http/server.hpp"

namespace authd::http::detail {

class connection;

// Connections hold this through a shared_ptr, so it outlives the server object if need be.
struct server_core : std::enable_shared_from_this<server_core> {
  server_core(boost::asio::io_context& io_context, const router& r, const server_limits& l, request_policy p);

  boost::asio::io_context& io;
  // A copy, so that no connection depends on the caller's router object staying alive.
  const router routes;
  const server_limits limits;
  const request_policy policy;
  request_metrics metrics;  // every answer, including the 503s of reject_over_capacity
  // Serializes the acceptor and the shutdown timer; shutdown() may be called from any thread.
  boost::asio::strand<boost::asio::io_context::executor_type> strand;
  boost::asio::ip::tcp::acceptor acceptor;
  boost::asio::steady_timer shutdown_timer;
  boost::asio::ip::tcp::endpoint local_endpoint;

  std::atomic<std::size_t> open{0};
  std::atomic<bool> stopping{false};

  void add(connection* c);
  // From ~connection: the last connection to go during a shutdown completes it.
  void remove(connection* c);
  void begin_shutdown(std::function<void()> done);

 private:
  void cut_all();
  void finish();
  template <class F>
  void for_each_connection(F f);

  std::mutex mutex_;
  std::unordered_set<connection*> connections_;  // guarded by mutex_
  std::function<void()> done_;                   // guarded by mutex_
  bool finished_ = false;                        // guarded by mutex_
};

class connection : public std::enable_shared_from_this<connection> {
 public:
  // The socket's executor must be a strand of its own: everything below runs on it.
  connection(std::shared_ptr<server_core> core, boost::asio::ip::tcp::socket socket);
  ~connection();
  connection(const connection&) = delete;
  connection& operator=(const connection&) = delete;

  void start();
  // Both thread-safe. close_if_idle spares a connection in the middle of a request.
  void close_if_idle();
  void cut();

 private:
  enum class phase { idle, busy, lingering };
  using clock = std::chrono::steady_clock;

  static boost::asio::awaitable<void> run(std::shared_ptr<connection> self);
  boost::asio::awaitable<void> serve();
  // Reads, answers and logs one request; false when the connection is to be closed.
  boost::asio::awaitable<bool> serve_one();
  boost::asio::awaitable<void> answer_read_error(boost::system::error_code ec, clock::time_point started);
  // After an answer to a request that was not read whole: drains the rest for a while first.
  boost::asio::awaitable<void> linger_close();
  void close_gracefully();

  std::shared_ptr<server_core> core_;
  boost::beast::tcp_stream stream_;
  boost::beast::flat_buffer buffer_;  // kept across requests: pipelined bytes wait here
  std::optional<bhttp::request_parser<bhttp::string_body>> parser_;
  std::string client_address_;
  boost::asio::cancellation_signal cancel_;
  phase phase_ = phase::idle;
};

// Answers 503 with Retry-After to a socket beyond the connection cap, then closes it.
void reject_over_capacity(boost::asio::ip::tcp::socket socket, std::shared_ptr<server_core> core);

// The headers every response carries (request id, security headers), Connection, and a
// Content-Length that matches the body (kept for HEAD, whose body is then dropped).
void finalize_response(response& res, unsigned version, std::string_view request_id, bool closing, bool head);

}  // namespace authd::http::detail
