// The session cookie: reading it from requests, writing and clearing it in responses, and the
// Bearer alternative.
#pragma once

#include <chrono>
#include <optional>
#include <string>
#include <string_view>

#include "http/message.hpp"

namespace authd::api {

struct cookie_options {
  std::string name = "token";
  bool secure = false;
  std::chrono::seconds max_age{1800};
};

// The value of cookie `name` in the request's Cookie header(s), if present and non-empty.
std::optional<std::string_view> find_cookie(const http::request& req, std::string_view name);

// The token from `Authorization: Bearer <token>` (scheme case-insensitive), if present.
std::optional<std::string_view> find_bearer(const http::request& req);

// The session token of a request: the cookie, else the Bearer header.
std::optional<std::string_view> find_token(const http::request& req, const cookie_options& options);

// Set-Cookie value that stores `token` for max_age.
std::string session_cookie(const cookie_options& options, std::string_view token);

// Set-Cookie value that deletes the cookie (Max-Age=0 and an Expires in the past).
std::string cleared_cookie(const cookie_options& options);

}  // namespace authd::api
