// A blocking HTTP test client on a plain socket whose reads and writes give up after a while, so a
// misbehaving server fails a test instead of hanging it.
#pragma once

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <unistd.h>

#include <boost/asio/buffer.hpp>
#include <boost/asio/error.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/http/read.hpp>
#include <boost/beast/http/string_body.hpp>
#include <boost/system/error_code.hpp>
#include <cerrno>
#include <cstddef>
#include <stdexcept>
#include <string>
#include <string_view>

namespace authd::http::test_support {

class test_client {
 public:
  // Generous: only a broken server ever waits this long.
  static constexpr int io_timeout_seconds = 10;

  explicit test_client(unsigned short port) : fd_(::socket(AF_INET, SOCK_STREAM, 0)) {
    if (fd_ < 0) throw std::runtime_error("socket() failed");
    timeval timeout{io_timeout_seconds, 0};
    ::setsockopt(fd_, SOL_SOCKET, SO_RCVTIMEO, &timeout, sizeof timeout);
    ::setsockopt(fd_, SOL_SOCKET, SO_SNDTIMEO, &timeout, sizeof timeout);
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_port = htons(port);
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (::connect(fd_, reinterpret_cast<const sockaddr*>(&address), sizeof address) != 0) {
      ::close(fd_);
      throw std::runtime_error("connect() failed");
    }
  }
  ~test_client() { ::close(fd_); }
  test_client(const test_client&) = delete;
  test_client& operator=(const test_client&) = delete;

  void send(std::string_view bytes) {
    while (!bytes.empty()) {
      const auto n = ::send(fd_, bytes.data(), bytes.size(), MSG_NOSIGNAL);
      if (n <= 0) throw std::runtime_error("send() failed");
      bytes.remove_prefix(static_cast<std::size_t>(n));
    }
  }

  // Reads one response; `head` says it answers a HEAD request (no body follows).
  boost::beast::http::response<boost::beast::http::string_body> read_response(bool head = false) {
    boost::beast::http::response_parser<boost::beast::http::string_body> parser;
    parser.body_limit(16 * 1024 * 1024);
    parser.skip(head);
    boost::beast::http::read(*this, buffer_, parser);
    return parser.release();
  }

  // True once the server has closed the connection (end of stream or reset, no bytes left unread).
  bool closed_by_peer() {
    if (buffer_.size() != 0) return false;
    char byte = 0;
    const auto n = ::recv(fd_, &byte, 1, 0);
    return n == 0 || (n < 0 && errno == ECONNRESET);
  }

  // SyncReadStream, for boost::beast::http::read.
  template <class MutableBuffers>
  std::size_t read_some(const MutableBuffers& buffers, boost::system::error_code& ec) {
    ec = {};
    for (auto it = boost::asio::buffer_sequence_begin(buffers);
         it != boost::asio::buffer_sequence_end(buffers); ++it) {
      boost::asio::mutable_buffer b = *it;
      if (b.size() == 0) continue;
      const auto n = ::recv(fd_, b.data(), b.size(), 0);
      if (n > 0) return static_cast<std::size_t>(n);
      if (n == 0)
        ec = boost::asio::error::eof;
      else if (errno == EAGAIN || errno == EWOULDBLOCK)
        ec = boost::asio::error::timed_out;
      else
        ec = boost::system::error_code(errno, boost::system::system_category());
      return 0;
    }
    return 0;
  }
  template <class MutableBuffers>
  std::size_t read_some(const MutableBuffers& buffers) {
    boost::system::error_code ec;
    const auto n = read_some(buffers, ec);
    if (ec) throw boost::system::system_error(ec);
    return n;
  }

 private:
  int fd_;
  boost::beast::flat_buffer buffer_;
};

}  // namespace authd::http::test_support
