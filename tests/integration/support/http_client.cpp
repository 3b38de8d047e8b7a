#include "support/http_client.hpp"

#include <boost/beast/http/message.hpp>
#include <boost/beast/http/string_body.hpp>
#include <boost/beast/http/write.hpp>
#include <boost/json/serialize.hpp>
#include <sstream>
#include <stdexcept>

#include "support/log_archive.hpp"
#include "support/text.hpp"

namespace authd::itest {

namespace bhttp = boost::beast::http;

namespace {

bool has_header(const header_list& headers, std::string_view name) {
  for (const auto& header : headers) {
    if (iequals(header.first, name)) return true;
  }
  return false;
}

std::string serialize_request(std::uint16_t port, std::string_view method, std::string_view target,
                              std::string_view body, const header_list& headers,
                              const std::optional<std::string>& cookie) {
  bhttp::request<bhttp::string_body> req;
  req.version(11);
  req.method_string(method);
  req.target(target);
  req.set(bhttp::field::host, "127.0.0.1:" + std::to_string(port));
  // A test's own User-Agent replaces the default (the session list shows it).
  if (!has_header(headers, "User-Agent")) req.set(bhttp::field::user_agent, "authd-integration-tests");
  for (const auto& [name, value] : headers) req.insert(name, value);
  if (cookie && !has_header(headers, "Cookie")) req.set(bhttp::field::cookie, *cookie);
  req.body() = std::string(body);
  if (!body.empty() || method == "POST" || method == "PUT" || method == "PATCH")
    req.content_length(body.size());
  std::ostringstream out;
  out << req;
  return out.str();
}

}  // namespace

http_response http_client::request(std::string_view method, std::string_view target, std::string_view body,
                                   const header_list& headers) {
  if (!connection_ || !connection_->is_open()) {
    connection_ = std::make_unique<raw_connection>(port_, source_address_);
    ++connections_opened_;
  }
  note_request_secrets(body);
  std::optional<http_response> response;
  try {
    response = connection_->send_and_read(
        serialize_request(port_, method, target, body, headers, cookies_.cookie_header()));
  } catch (...) {
    connection_.reset();  // in an unknown state: the next request starts afresh
    throw;
  }
  if (!response) {
    connection_.reset();
    throw std::runtime_error("authd closed the connection without answering " + std::string(method) + " " +
                             std::string(target));
  }
  if (!response->keep_alive) connection_.reset();
  for (const auto& set_cookie : response->headers_named("Set-Cookie")) note_set_cookie(set_cookie);
  cookies_.update(*response);
  return *std::move(response);
}

http_response http_client::post_json(std::string_view target, const boost::json::value& body,
                                     const header_list& headers) {
  return post_json_text(target, boost::json::serialize(body), headers);
}

http_response http_client::post_json_text(std::string_view target, std::string_view body,
                                          const header_list& headers) {
  header_list all = headers;
  if (!has_header(all, "Content-Type")) all.emplace_back("Content-Type", "application/json");
  return request("POST", target, body, all);
}

}  // namespace authd::itest
