#include "http/connection.hpp"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <boost/asio/as_tuple.hpp>
#include <boost/asio/bind_cancellation_slot.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/core/read_size.hpp>
#include <boost/beast/core/string.hpp>
#include <boost/beast/http/read.hpp>
#include <boost/beast/http/write.hpp>
#include <cstdint>
#include <exception>
#include <limits>
#include <tuple>
#include <utility>

#include "http/request_id.hpp"
#include "http/responses.hpp"
#include "http/security_headers.hpp"
#include "obs/logging.hpp"

namespace authd::http::detail {

namespace asio = boost::asio;
namespace beast = boost::beast;
using boost::system::error_code;
using tcp = asio::ip::tcp;

namespace {

constexpr auto use_nothrow = asio::as_tuple(asio::use_awaitable);

constexpr std::size_t initial_buffer_capacity = 4 * 1024;
// A connection that once carried a large body gives the memory back rather than keep it idle.
constexpr std::size_t kept_buffer_capacity = 16 * 1024;
// After an error answer to a request that was not read whole, the rest is drained for a while:
// closing with unread bytes makes the kernel send RST, which can destroy the answer before the
// client has read it.
constexpr std::chrono::seconds max_linger{5};
constexpr std::size_t max_linger_bytes = 4 * 1024 * 1024;
constexpr std::size_t max_graceful_drain_bytes = 64 * 1024;
constexpr std::chrono::seconds reject_write_timeout{1};
constexpr std::chrono::milliseconds reject_linger{500};
constexpr std::size_t reject_linger_bytes = 16 * 1024;
constexpr std::size_t max_logged_method = 32;
constexpr std::size_t max_logged_path = 256;

constexpr std::string_view request_id_field = "X-Request-Id";
constexpr std::string_view continue_line = "HTTP/1.1 100 Continue\r\n\r\n";

const boost::system::error_category& http_error_category() {
  static const auto& category = bhttp::make_error_code(bhttp::error::end_of_stream).category();
  return category;
}

// What a failed read deserves: nothing (the peer left, was too slow, or the socket was closed on
// purpose) or an error answer.
std::optional<bhttp::status> answer_for(const error_code& ec) {
  if (ec == bhttp::error::header_limit) return bhttp::status::request_header_fields_too_large;
  if (ec == bhttp::error::body_limit) return bhttp::status::payload_too_large;
  if (ec == bhttp::error::end_of_stream || ec == bhttp::error::partial_message) return std::nullopt;
  if (ec.category() == http_error_category()) return bhttp::status::bad_request;
  return std::nullopt;
}

std::string_view detail_text(bhttp::status status) {
  switch (status) {
    case bhttp::status::request_header_fields_too_large:
      return "Request Header Fields Too Large";
    case bhttp::status::payload_too_large:
      return "Request Entity Too Large";
    default:
      return "Bad Request";
  }
}

std::string_view path_of(std::string_view target) {
  return target.substr(0, target.find('?'));
}

// Logs the access line and counts the answer; `path_index` is the route that matched (router::no_path
// for none).
void account(request_metrics& metrics, std::size_t path_index, bhttp::verb verb, std::string_view method,
             std::string_view path, unsigned status, std::chrono::steady_clock::time_point started,
             std::string_view request_id) {
  const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  metrics.record(path_index, verb, status, seconds);
  obs::log_event(obs::log_level::info, "access",
                 {{"method", method.substr(0, max_logged_method)},
                  {"path", path.substr(0, max_logged_path)},
                  {"status", static_cast<std::int64_t>(status)},
                  {"duration_ms", seconds * 1000},
                  {"request_id", request_id}});
}

std::string peer_address(const tcp::socket& socket) {
  error_code ec;
  auto address = socket.remote_endpoint(ec).address();
  if (ec) return {};
  if (address.is_v6() && address.to_v6().is_v4_mapped())
    return asio::ip::make_address_v4(asio::ip::v4_mapped, address.to_v6()).to_string();
  return address.to_string();
}

// Sends FIN, then reads and discards what the peer still sends until it closes, `limit` passes or
// `max_bytes` were read, then closes.
asio::awaitable<void> drain_and_close(beast::tcp_stream& stream, beast::flat_buffer& scratch,
                                      std::chrono::steady_clock::duration limit, std::size_t max_bytes) {
  error_code ec;
  stream.socket().shutdown(tcp::socket::shutdown_send, ec);
  stream.expires_after(limit);
  std::size_t drained = 0;
  while (!ec && drained < max_bytes) {
    scratch.clear();
    std::size_t n = 0;
    std::tie(ec, n) =
        co_await stream.async_read_some(scratch.prepare(beast::read_size(scratch, 64 * 1024)), use_nothrow);
    drained += n;
  }
  scratch.clear();
  stream.close();
}

asio::awaitable<void> reject(tcp::socket socket, std::shared_ptr<server_core> core) {
  const auto started = std::chrono::steady_clock::now();
  beast::tcp_stream stream(std::move(socket));
  auto res = detail_response(bhttp::status::service_unavailable, "Service Unavailable");
  res.set(bhttp::field::retry_after, "1");
  finalize_response(res, 11, new_request_id(), true, false);
  core->metrics.record(router::no_path, bhttp::verb::unknown, res.result_int(),
                       std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count());
  stream.expires_after(reject_write_timeout);
  auto [ec, n] = co_await bhttp::async_write(stream, res, use_nothrow);
  if (ec) co_return;
  beast::flat_buffer scratch;
  co_await drain_and_close(stream, scratch, reject_linger, reject_linger_bytes);
}

}  // namespace

void finalize_response(response& res, unsigned version, std::string_view request_id, bool closing,
                       bool head) {
  res.version(version);
  res.set(request_id_field, request_id);
  add_security_headers(res);
  if (closing)
    res.set(bhttp::field::connection, "close");
  else if (version < 11)
    res.set(bhttp::field::connection, "keep-alive");
  else
    res.erase(bhttp::field::connection);
  const unsigned code = res.result_int();
  if (code / 100 == 1 || code == 204 || code == 304) {
    // No body can follow these; 1xx and 204 must not even announce a length (RFC 9110 8.6), and a
    // 304's Content-Length, if any, describes the cached representation, so it is left to the handler.
    res.body().clear();
    if (code != 304) {
      res.erase(bhttp::field::content_length);
      res.erase(bhttp::field::transfer_encoding);
    }
    return;
  }
  res.prepare_payload();
  if (head) res.body().clear();
}

void reject_over_capacity(tcp::socket socket, std::shared_ptr<server_core> core) {
  auto executor = socket.get_executor();
  asio::co_spawn(executor, reject(std::move(socket), std::move(core)), asio::detached);
}

connection::connection(std::shared_ptr<server_core> core, tcp::socket socket)
    : core_(std::move(core)), stream_(std::move(socket)) {
  error_code ec;
  // Answers are written in one piece; Nagle would only delay them.
  stream_.socket().set_option(tcp::no_delay(true), ec);
  client_address_ = peer_address(stream_.socket());
  buffer_.reserve(initial_buffer_capacity);
}

connection::~connection() {
  core_->remove(this);
}

void connection::start() {
  asio::co_spawn(stream_.get_executor(), run(shared_from_this()),
                 asio::bind_cancellation_slot(cancel_.slot(), asio::detached));
  core_->add(this);
}

void connection::close_if_idle() {
  asio::post(stream_.get_executor(), [self = shared_from_this()] {
    if (self->phase_ == phase::idle || self->phase_ == phase::lingering) self->stream_.close();
  });
}

void connection::cut() {
  asio::post(stream_.get_executor(), [self = shared_from_this()] {
    self->stream_.close();
    // Also interrupts a handler waiting on something other than this socket.
    self->cancel_.emit(asio::cancellation_type::terminal);
  });
}

asio::awaitable<void> connection::run(std::shared_ptr<connection> self) {
  try {
    co_await self->serve();
  } catch (const std::exception& e) {
    // Cancellation by a shutdown ends up here; nothing is left to answer.
    spdlog::debug("connection ended: {}", e.what());
  }
  self->stream_.close();
}

asio::awaitable<void> connection::serve() {
  const server_limits& limits = core_->limits;
  bool first = true;
  for (;;) {
    if (buffer_.size() == 0) {
      if (core_->stopping.load()) co_return;
      // The first request must arrive whole within read_timeout of the accept; a later one may wait
      // idle_timeout for its first byte, then has read_timeout from there.
      stream_.expires_after(first ? limits.read_timeout : limits.idle_timeout);
      phase_ = phase::idle;
      auto [ec, n] = co_await stream_.async_read_some(buffer_.prepare(beast::read_size(buffer_, 64 * 1024)),
                                                      use_nothrow);
      phase_ = phase::busy;
      if (ec) co_return;
      buffer_.commit(n);
    }
    if (!first) stream_.expires_after(limits.read_timeout);
    first = false;
    if (!co_await serve_one()) co_return;
    if (buffer_.capacity() > kept_buffer_capacity && buffer_.size() < initial_buffer_capacity) {
      buffer_.shrink_to_fit();
      buffer_.reserve(initial_buffer_capacity);
    }
  }
}

asio::awaitable<bool> connection::serve_one() {
  const auto started = clock::now();
  const server_limits& limits = core_->limits;
  auto& parser = parser_.emplace();
  parser.header_limit(static_cast<std::uint32_t>(
      std::min<std::size_t>(limits.max_header_bytes, std::numeric_limits<std::uint32_t>::max())));
  parser.body_limit(limits.max_body_bytes);

  // Beast's header_limit only bounds the bytes not yet parsed after each read, so a head that
  // arrives in several reads is measured whole here.
  error_code ec;
  std::size_t n = 0;
  for (std::size_t head_bytes = 0; !ec && !parser.is_header_done();) {
    std::tie(ec, n) = co_await bhttp::async_read_some(stream_, buffer_, parser, use_nothrow);
    head_bytes += n;
    if (!ec && head_bytes > limits.max_header_bytes) ec = bhttp::error::header_limit;
  }
  if (!ec && !parser.is_done()) {
    // The body is only asked for once its declared size is known to be acceptable.
    if (parser.get().version() >= 11 && beast::iequals(parser.get()[bhttp::field::expect], "100-continue"))
      co_await asio::async_write(stream_, asio::buffer(continue_line), use_nothrow);
    std::tie(ec, n) = co_await bhttp::async_read(stream_, buffer_, parser, use_nothrow);
  }
  if (ec) {
    co_await answer_read_error(ec, started);
    co_return false;
  }

  const request& req = parser.get();
  const std::string request_id = accept_or_new_request_id(req[request_id_field]);
  const std::string_view target = req.target();
  const std::string_view path = path_of(target);
  // Only origin-form targets are served: absolute-form, authority-form and '*' are refused.
  const bool origin_form = !target.empty() && target.front() == '/';
  response res;
  std::size_t path_index = router::no_path;
  if (origin_form)
    res = co_await dispatch(core_->routes, core_->policy, req, path,
                            target.substr(std::min(target.size(), path.size() + 1)), request_id,
                            client_address_, path_index);
  else
    res = detail_response(bhttp::status::bad_request, "Bad Request");
  core_->routes.apply_prefix_headers(path, res);
  core_->policy.cross_origin.decorate(req, res);
  const bool closing = !origin_form || !req.keep_alive() || core_->stopping.load();
  finalize_response(res, req.version(), request_id, closing, req.method() == bhttp::verb::head);

  // Counted before the write, so that a client which got its answer and then scrapes sees it.
  account(core_->metrics, path_index, req.method(), req.method_string(), path, res.result_int(), started,
          request_id);
  stream_.expires_after(limits.read_timeout);
  auto [write_ec, written] = co_await bhttp::async_write(stream_, res, use_nothrow);
  if (write_ec) co_return false;
  if (closing) {
    close_gracefully();
    co_return false;
  }
  co_return true;
}

asio::awaitable<void> connection::answer_read_error(error_code ec, clock::time_point started) {
  const auto status = answer_for(ec);
  if (!status) co_return;
  // Past a body_limit error the head was parsed whole, so its fields can be trusted for the log.
  const bool head_parsed = ec == bhttp::error::body_limit;
  const request& req = parser_->get();
  const std::string request_id =
      head_parsed ? accept_or_new_request_id(req[request_id_field]) : new_request_id();
  auto res = detail_response(*status, detail_text(*status));
  finalize_response(res, head_parsed ? req.version() : 11, request_id, true, false);
  account(core_->metrics, router::no_path, head_parsed ? req.method() : bhttp::verb::unknown,
          head_parsed ? req.method_string() : "-", head_parsed ? path_of(req.target()) : "-",
          res.result_int(), started, request_id);
  stream_.expires_after(core_->limits.read_timeout);
  auto [write_ec, n] = co_await bhttp::async_write(stream_, res, use_nothrow);
  if (!write_ec) co_await linger_close();
}

void connection::close_gracefully() {
  // The request was read whole, so more input is unlikely: what already arrived is discarded
  // without waiting, which avoids the RST that unread bytes would cause, and the socket is closed.
  error_code ec;
  auto& socket = stream_.socket();
  socket.shutdown(tcp::socket::shutdown_send, ec);
  socket.non_blocking(true, ec);
  std::size_t drained = 0;
  while (!ec && drained < max_graceful_drain_bytes) {
    buffer_.clear();
    drained += socket.read_some(buffer_.prepare(beast::read_size(buffer_, 64 * 1024)), ec);
  }
  buffer_.clear();
  stream_.close();
}

asio::awaitable<void> connection::linger_close() {
  phase_ = phase::lingering;
  co_await drain_and_close(
      stream_, buffer_, std::min<clock::duration>(core_->limits.read_timeout, max_linger), max_linger_bytes);
}

}  // namespace authd::http::detail
