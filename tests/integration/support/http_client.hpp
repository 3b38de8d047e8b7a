// A keep-alive HTTP/1.1 client for 127.0.0.1:port with a cookie jar for the session cookie.
#pragma once

#include <boost/json/value.hpp>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <utility>

#include "support/cookies.hpp"
#include "support/http_response.hpp"
#include "support/raw_connection.hpp"

namespace authd::itest {

class http_client {
 public:
  explicit http_client(std::uint16_t port) : port_(port) {}
  // Connecting from `source_address` (e.g. "127.0.0.2"; see raw_connection).
  http_client(std::uint16_t port, std::string source_address)
      : port_(port), source_address_(std::move(source_address)) {}

  // Sends one request on the open connection (a new one when there is none, or the last response
  // closed it). The jar's cookie is sent unless `headers` has a Cookie; the response's Set-Cookie
  // updates the jar. Throws when the server closes or times out without answering.
  http_response request(std::string_view method, std::string_view target, std::string_view body = {},
                        const header_list& headers = {});

  http_response get(std::string_view target, const header_list& headers = {}) {
    return request("GET", target, {}, headers);
  }
  // POSTs `body` serialized, with Content-Type: application/json.
  http_response post_json(std::string_view target, const boost::json::value& body,
                          const header_list& headers = {});
  // POSTs `body` as given, with Content-Type: application/json.
  http_response post_json_text(std::string_view target, std::string_view body,
                               const header_list& headers = {});

  cookie_jar& cookies() { return cookies_; }
  std::uint16_t port() const { return port_; }
  // How many TCP connections this client has opened so far (keep-alive checks).
  int connections_opened() const { return connections_opened_; }

 private:
  std::uint16_t port_;
  std::string source_address_;  // empty: the system's choice (127.0.0.1)
  std::unique_ptr<raw_connection> connection_;
  cookie_jar cookies_;
  int connections_opened_ = 0;
};

}  // namespace authd::itest
