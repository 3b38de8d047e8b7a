#include "support/raw_connection.hpp"

#include <boost/asio/connect.hpp>
#include <boost/asio/ip/address.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/http/read.hpp>
#include <boost/beast/http/string_body.hpp>
#include <boost/system/system_error.hpp>

namespace authd::itest {

namespace asio = boost::asio;
namespace bhttp = boost::beast::http;
using boost::system::error_code;
using response_parser = bhttp::response_parser<bhttp::string_body>;

namespace {

void configure(response_parser& parser) {
  parser.header_limit(64 * 1024);
  parser.body_limit(16 * 1024 * 1024);
}

http_response to_response(const bhttp::response<bhttp::string_body>& message) {
  http_response out;
  out.status = message.result_int();
  for (const auto& field : message) out.headers.emplace_back(field.name_string(), field.value());
  out.body = message.body();
  out.keep_alive = message.keep_alive();
  return out;
}

bool is_close(const error_code& ec) {
  return ec == bhttp::error::end_of_stream || ec == asio::error::eof || ec == asio::error::connection_reset ||
         ec == asio::error::broken_pipe;
}

// A response, nullopt for a close before any byte of one, or an exception for anything else.
std::optional<http_response> finish_read(const error_code& ec, response_parser& parser) {
  if (!ec) return to_response(parser.get());
  if (is_close(ec) && !parser.got_some()) return std::nullopt;
  throw boost::system::system_error(ec, "reading a response from authd");
}

}  // namespace

raw_connection::raw_connection(std::uint16_t port, const std::string& source_address) : stream_(io_) {
  if (!source_address.empty()) {
    auto& socket = stream_.socket();
    socket.open(asio::ip::tcp::v4());
    socket.bind(asio::ip::tcp::endpoint(asio::ip::make_address(source_address), 0));
  }
  stream_.expires_after(io_timeout);
  stream_.connect(asio::ip::tcp::endpoint(asio::ip::make_address("127.0.0.1"), port));
  stream_.expires_never();
}

void raw_connection::run() {
  io_.restart();
  io_.run();
}

void raw_connection::send(std::string_view bytes) {
  error_code write_ec;
  stream_.expires_after(io_timeout);
  asio::async_write(stream_, asio::buffer(bytes), [&](error_code ec, std::size_t) { write_ec = ec; });
  run();
  if (write_ec) throw boost::system::system_error(write_ec, "sending to authd");
}

std::optional<http_response> raw_connection::send_and_read(std::string_view bytes) {
  response_parser parser;
  configure(parser);
  bool write_done = false;
  bool read_done = false;
  error_code read_ec;
  stream_.expires_after(io_timeout);
  asio::async_write(stream_, asio::buffer(bytes), [&](error_code, std::size_t) { write_done = true; });
  bhttp::async_read(stream_, buffer_, parser, [&](error_code ec, std::size_t) {
    read_done = true;
    read_ec = ec;
  });
  io_.restart();
  while (!read_done && io_.run_one() > 0) {
  }
  if (!write_done) {
    // The server answered without reading everything: the rest of the request is unwanted, and the
    // connection is no longer in a known state.
    stream_.close();
    open_ = false;
  }
  run();
  if (read_ec) open_ = false;
  return finish_read(read_ec, parser);
}

std::optional<http_response> raw_connection::read_response() {
  response_parser parser;
  configure(parser);
  error_code read_ec;
  stream_.expires_after(io_timeout);
  bhttp::async_read(stream_, buffer_, parser, [&](error_code ec, std::size_t) { read_ec = ec; });
  run();
  if (read_ec) open_ = false;
  return finish_read(read_ec, parser);
}

bool raw_connection::closed_by_peer() {
  if (buffer_.size() > 0) return false;
  char byte = 0;
  error_code read_ec;
  std::size_t got = 0;
  stream_.expires_after(io_timeout);
  stream_.async_read_some(asio::buffer(&byte, 1), [&](error_code ec, std::size_t n) {
    read_ec = ec;
    got = n;
  });
  run();
  if (got > 0) return false;
  open_ = false;
  return is_close(read_ec);
}

}  // namespace authd::itest
