// The HTTP/1.1 server: accepts on one endpoint, runs a connection per socket, stops gracefully.
#pragma once

#include <atomic>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <chrono>
#include <cstddef>
#include <memory>

#include "http/dispatch.hpp"
#include "http/router.hpp"
#include "obs/metrics.hpp"

namespace authd::http {

struct server_limits {
  std::size_t max_header_bytes = 8 * 1024;    // beyond: 431 and close
  std::size_t max_body_bytes = 64 * 1024;     // beyond: 413 and close
  std::chrono::seconds read_timeout{15};      // a request must arrive whole within this
  std::chrono::seconds idle_timeout{60};      // keep-alive connections idle longer are closed
  std::size_t max_connections = 10000;        // beyond: 503 and close
  std::chrono::seconds shutdown_timeout{10};  // in-flight requests get this long on SIGTERM
};

class server {
 public:
  // Binds and listens immediately (throws boost::system::system_error on failure) so that the
  // caller knows the port is taken before serving. Port 0 picks a free port.
  server(boost::asio::io_context& io, const router& routes, server_limits limits,
         const boost::asio::ip::tcp::endpoint& endpoint, request_policy policy = {});
  ~server();

  boost::asio::ip::tcp::endpoint local_endpoint() const;

  // Starts accepting on `io`.
  void start();

  // Graceful stop: close the listener, close idle connections, let in-flight requests finish and
  // send their answers with `Connection: close`; connections still busy after shutdown_timeout are
  // cut. `done` is called (on the io_context) when no connection is left. Thread-safe.
  void shutdown(std::function<void()> done);

  std::size_t open_connections() const;

  // Adds the request counts and latencies, and the open connections, to `r`.
  void register_metrics(obs::registry& r) const;

 private:
  struct state;
  std::shared_ptr<state> state_;
};

}  // namespace authd::http
