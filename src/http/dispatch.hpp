// Answering one parsed request: the route, the cross-origin checks around it, the client's
// address, and the 404 / 405 / 500 the server makes itself. The connection and the request fuzzer
// both answer through it, so the fuzzer exercises exactly what the server does.
#pragma once

#include <boost/asio/awaitable.hpp>
#include <string>
#include <string_view>

#include "http/cross_origin.hpp"
#include "http/message.hpp"
#include "http/router.hpp"
#include "http/trusted_proxies.hpp"

namespace authd::http {

// What the server decides around every handler, beyond the limits.
struct request_policy {
  trusted_proxies proxies;           // who may say the client's address (X-Forwarded-For)
  cross_origin_policy cross_origin;  // CSRF refusals, CORS preflights and headers
};

// `path` and `query` split from an origin-form target; `peer_address` is the TCP peer's. Sets
// `path_index` to the router's path that matched (router::no_path when none did), for metrics.
boost::asio::awaitable<response> dispatch(const router& routes, const request_policy& policy,
                                          const request& req, std::string_view path, std::string_view query,
                                          std::string_view request_id, const std::string& peer_address,
                                          std::size_t& path_index);

}  // namespace authd::http
