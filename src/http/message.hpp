// The HTTP types every handler sees: Beast string-body messages and the per-request context.
#pragma once

#include <boost/asio/awaitable.hpp>
#include <boost/beast/http/message.hpp>
#include <boost/beast/http/string_body.hpp>
#include <functional>
#include <string>
#include <string_view>

namespace authd::http {

namespace bhttp = boost::beast::http;

using request = bhttp::request<bhttp::string_body>;
using response = bhttp::response<bhttp::string_body>;

struct request_context {
  const request& req;
  std::string_view path;   // target without the query
  std::string_view query;  // after '?', without it; empty when none
  std::string_view request_id;
  std::string client_address;  // the peer's IP address
  // The value of the route's parameter segment ("/auth/sessions/{id}"); empty for exact routes.
  std::string_view path_parameter = {};
};

using handler = std::function<boost::asio::awaitable<response>(request_context&)>;

}  // namespace authd::http
