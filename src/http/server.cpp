#include "http/server.hpp"

#include <spdlog/spdlog.h>

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <utility>
#include <vector>

#include "http/connection.hpp"

namespace authd::http {

namespace asio = boost::asio;
using boost::system::error_code;
using tcp = asio::ip::tcp;

struct server::state : detail::server_core {
  using server_core::server_core;
};

namespace detail {

server_core::server_core(asio::io_context& io_context, const router& r, const server_limits& l,
                         request_policy p)
    : io(io_context),
      routes(r),
      limits(l),
      policy(std::move(p)),
      metrics(routes.paths()),
      strand(asio::make_strand(io_context)),
      acceptor(strand),
      shutdown_timer(strand) {}

void server_core::add(connection* c) {
  std::lock_guard lock(mutex_);
  connections_.insert(c);
}

void server_core::remove(connection* c) {
  {
    std::lock_guard lock(mutex_);
    connections_.erase(c);
  }
  if (open.fetch_sub(1) == 1 && stopping.load()) finish();
}

template <class F>
void server_core::for_each_connection(F f) {
  std::vector<std::shared_ptr<connection>> alive;
  {
    std::lock_guard lock(mutex_);
    alive.reserve(connections_.size());
    // A connection whose count already dropped to zero is in its destructor, waiting for mutex_.
    for (connection* c : connections_)
      if (auto p = c->weak_from_this().lock()) alive.push_back(std::move(p));
  }
  // Outside the lock: dropping the last reference here runs ~connection, which takes mutex_.
  for (auto& c : alive) f(*c);
}

void server_core::begin_shutdown(std::function<void()> done) {
  {
    std::lock_guard lock(mutex_);
    if (finished_) {
      if (done) asio::post(io, std::move(done));
      return;
    }
    if (done && done_)
      done_ = [first = std::move(done_), second = std::move(done)] {
        first();
        second();
      };
    else if (done)
      done_ = std::move(done);
  }
  if (stopping.exchange(true)) return;

  asio::post(strand, [self = shared_from_this()] {
    error_code ec;
    self->acceptor.close(ec);
    if (self->open.load() == 0) {
      self->finish();
      return;
    }
    {
      std::lock_guard lock(self->mutex_);
      if (self->finished_) return;
    }
    self->shutdown_timer.expires_after(self->limits.shutdown_timeout);
    self->shutdown_timer.async_wait([self](error_code wait_ec) {
      if (wait_ec) return;
      spdlog::warn("shutdown timeout reached: cutting {} connection(s)", self->open.load());
      self->cut_all();
      self->finish();
    });
  });
  for_each_connection([](connection& c) { c.close_if_idle(); });
}

void server_core::cut_all() {
  for_each_connection([](connection& c) { c.cut(); });
}

void server_core::finish() {
  std::function<void()> done;
  {
    std::lock_guard lock(mutex_);
    if (finished_) return;
    finished_ = true;
    done = std::move(done_);
  }
  asio::post(strand, [self = shared_from_this()] { self->shutdown_timer.cancel(); });
  if (done) asio::post(io, std::move(done));
}

}  // namespace detail

namespace {

bool out_of_resources(const error_code& ec) {
  return ec == asio::error::no_descriptors || ec == asio::error::no_buffer_space ||
         ec == asio::error::no_memory || ec == boost::system::errc::too_many_files_open_in_system;
}

asio::awaitable<void> accept_loop(std::shared_ptr<detail::server_core> core) {
  constexpr auto use_nothrow = asio::as_tuple(asio::use_awaitable);
  auto last_overload_warning = std::chrono::steady_clock::time_point{};
  for (;;) {
    // Each connection gets its own strand, so it is safe on an io_context run by several threads.
    auto [ec, socket] = co_await core->acceptor.async_accept(asio::make_strand(core->io), use_nothrow);
    if (core->stopping.load() || ec == asio::error::operation_aborted) co_return;
    if (ec) {
      if (!out_of_resources(ec)) {
        spdlog::debug("accept failed: {}", ec.message());
        continue;
      }
      spdlog::warn("accept failed: {}", ec.message());
      // Retrying at once would spin while the process is out of descriptors or memory.
      asio::steady_timer pause(core->strand, std::chrono::milliseconds(100));
      co_await pause.async_wait(use_nothrow);
      continue;
    }
    if (core->open.load() >= core->limits.max_connections) {
      const auto now = std::chrono::steady_clock::now();
      if (now - last_overload_warning >= std::chrono::seconds(1)) {
        spdlog::warn("connection limit of {} reached: answering 503", core->limits.max_connections);
        last_overload_warning = now;
      }
      detail::reject_over_capacity(std::move(socket), core);
      continue;
    }
    core->open.fetch_add(1);
    std::make_shared<detail::connection>(core, std::move(socket))->start();
  }
}

}  // namespace

server::server(asio::io_context& io, const router& routes, server_limits limits,
               const tcp::endpoint& endpoint, request_policy policy)
    : state_(std::make_shared<state>(io, routes, limits, std::move(policy))) {
  auto& acceptor = state_->acceptor;
  acceptor.open(endpoint.protocol());
  acceptor.set_option(asio::socket_base::reuse_address(true));
  acceptor.bind(endpoint);
  acceptor.listen(asio::socket_base::max_listen_connections);
  state_->local_endpoint = acceptor.local_endpoint();
}

// Without an earlier shutdown() the listener would keep accepting for as long as the io_context runs.
server::~server() {
  state_->begin_shutdown(nullptr);
}

tcp::endpoint server::local_endpoint() const {
  return state_->local_endpoint;
}

void server::start() {
  if (state_->stopping.load()) return;
  asio::co_spawn(state_->strand, accept_loop(state_), asio::detached);
}

void server::shutdown(std::function<void()> done) {
  state_->begin_shutdown(std::move(done));
}

std::size_t server::open_connections() const {
  return state_->open.load();
}

void server::register_metrics(obs::registry& r) const {
  state_->metrics.register_with(r);
  r.add_gauge("authd_http_open_connections", "Client connections open now.",
              [state = state_] { return static_cast<double>(state->open.load()); });
}

}  // namespace authd::http
