#include "support/cookies.hpp"

#include <charconv>

#include "support/text.hpp"

namespace authd::itest {

std::optional<std::string> set_cookie::attribute(std::string_view wanted) const {
  for (const auto& [key, text] : attributes) {
    if (iequals(key, wanted)) return text;
  }
  return std::nullopt;
}

std::optional<set_cookie> parse_set_cookie(std::string_view header) {
  const auto parts = split_trimmed(header, ';');
  const auto equals = parts.front().find('=');
  if (equals == std::string::npos || equals == 0) return std::nullopt;
  set_cookie cookie;
  cookie.name = std::string(trim(std::string_view(parts.front()).substr(0, equals)));
  cookie.value = std::string(trim(std::string_view(parts.front()).substr(equals + 1)));
  for (std::size_t i = 1; i < parts.size(); ++i) {
    if (parts[i].empty()) continue;
    const std::string_view part = parts[i];
    const auto at = part.find('=');
    if (at == std::string_view::npos) {
      cookie.attributes.emplace_back(to_lower(part), "");
    } else {
      cookie.attributes.emplace_back(to_lower(trim(part.substr(0, at))), trim(part.substr(at + 1)));
    }
  }
  return cookie;
}

std::optional<set_cookie> find_set_cookie(const http_response& response, std::string_view name) {
  std::optional<set_cookie> found;
  for (const auto& header : response.headers_named("Set-Cookie")) {
    auto cookie = parse_set_cookie(header);
    if (cookie && cookie->name == name) found = std::move(cookie);
  }
  return found;
}

void cookie_jar::update(const http_response& response) {
  const auto cookie = find_set_cookie(response, session_cookie);
  if (!cookie) return;
  bool expired = cookie->value.empty();
  if (const auto max_age = cookie->attribute("max-age")) {
    long long seconds = 0;
    const auto [end, ec] = std::from_chars(max_age->data(), max_age->data() + max_age->size(), seconds);
    if (ec == std::errc{} && end == max_age->data() + max_age->size() && seconds <= 0) expired = true;
  }
  if (expired) {
    token_.reset();
  } else {
    token_ = cookie->value;
  }
}

std::optional<std::string> cookie_jar::cookie_header() const {
  if (!token_) return std::nullopt;
  return std::string(session_cookie) + "=" + *token_;
}

}  // namespace authd::itest
