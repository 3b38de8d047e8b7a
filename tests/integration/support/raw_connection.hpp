// A TCP connection to the server that sends arbitrary bytes and reads HTTP responses, for
// keep-alive, pipelining and malformed requests. Every operation has a deadline, so a server that
// never answers fails the test instead of hanging it.
#pragma once

#include <boost/asio/io_context.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "support/http_response.hpp"

namespace authd::itest {

// Generous, because the server may run under AddressSanitizer on a busy machine; a deadline is
// a hang guard, never a speed assertion.
inline constexpr std::chrono::seconds io_timeout{60};

class raw_connection {
 public:
  // Connects to 127.0.0.1:port, from `source_address` when given (any 127.x address: the server
  // then sees a client other than itself or a proxy on 127.0.0.1); throws
  // boost::system::system_error when that fails.
  explicit raw_connection(std::uint16_t port, const std::string& source_address = {});
  raw_connection(const raw_connection&) = delete;
  raw_connection& operator=(const raw_connection&) = delete;

  // Writes all of `bytes`; throws on failure.
  void send(std::string_view bytes);

  // Writes `bytes` while already reading the answer: a server may answer (413, 431, 400) and close
  // before it has read a request whole, and a write cut short by that is not a failure. nullopt
  // when the server closed without answering.
  std::optional<http_response> send_and_read(std::string_view bytes);

  // The next response on the connection (pipelined ones are buffered); nullopt when the server
  // closed before sending one. Throws on a timeout or a malformed response.
  std::optional<http_response> read_response();

  // True when the server closes the connection (end of stream or reset) without sending more.
  bool closed_by_peer();

  bool is_open() const { return open_; }

 private:
  void run();

  boost::asio::io_context io_;
  boost::beast::tcp_stream stream_;
  boost::beast::flat_buffer buffer_;
  bool open_ = true;
};

}  // namespace authd::itest
