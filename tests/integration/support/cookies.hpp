// Set-Cookie parsing and a one-cookie jar that carries the session cookie like a browser would.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "support/http_response.hpp"

namespace authd::itest {

inline constexpr std::string_view session_cookie = "token";

struct set_cookie {
  std::string name;
  std::string value;
  // Attribute names lowercased, values as sent ("" for flags such as HttpOnly), in sent order.
  std::vector<std::pair<std::string, std::string>> attributes;

  bool has(std::string_view attribute) const { return this->attribute(attribute).has_value(); }
  std::optional<std::string> attribute(std::string_view attribute) const;
};

// nullopt when the header has no name=value pair.
std::optional<set_cookie> parse_set_cookie(std::string_view header);

// The last Set-Cookie of `response` for `name` (the one a browser would keep), if any.
std::optional<set_cookie> find_set_cookie(const http_response& response, std::string_view name);

class cookie_jar {
 public:
  // Keeps the session cookie a response sets; Max-Age <= 0 or an empty value deletes it.
  void update(const http_response& response);

  const std::optional<std::string>& token() const { return token_; }
  void set_token(std::string token) { token_ = std::move(token); }
  void clear() { token_.reset(); }

  // The Cookie request header value, when there is a cookie to send.
  std::optional<std::string> cookie_header() const;

 private:
  std::optional<std::string> token_;
};

}  // namespace authd::itest
