#include "api/cookies.hpp"

#include <boost/beast/http/field.hpp>

namespace authd::api {

namespace {

std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

bool iequals(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i) {
    char x = a[i], y = b[i];
    if (x >= 'A' && x <= 'Z') x = static_cast<char>(x - 'A' + 'a');
    if (y >= 'A' && y <= 'Z') y = static_cast<char>(y - 'A' + 'a');
    if (x != y) return false;
  }
  return true;
}

std::string attributes(const cookie_options& options) {
  return options.secure ? "; HttpOnly; Path=/; SameSite=Lax; Secure" : "; HttpOnly; Path=/; SameSite=Lax";
}

}  // namespace

std::optional<std::string_view> find_cookie(const http::request& req, std::string_view name) {
  auto [first, last] = req.equal_range(boost::beast::http::field::cookie);
  for (auto field = first; field != last; ++field) {
    std::string_view header = field->value();
    while (!header.empty()) {
      auto end = header.find(';');
      std::string_view pair = trim(header.substr(0, end));
      header = end == std::string_view::npos ? std::string_view{} : header.substr(end + 1);
      auto eq = pair.find('=');
      if (eq == std::string_view::npos || trim(pair.substr(0, eq)) != name) continue;
      std::string_view value = trim(pair.substr(eq + 1));
      // A blank quoted value (`token=" "`) is as absent as `token=`, so the Bearer header still counts.
      if (value.size() >= 2 && value.front() == '"' && value.back() == '"')
        value = trim(value.substr(1, value.size() - 2));
      if (!value.empty()) return value;
    }
  }
  return std::nullopt;
}

std::optional<std::string_view> find_bearer(const http::request& req) {
  auto it = req.find(boost::beast::http::field::authorization);
  if (it == req.end()) return std::nullopt;
  std::string_view value = trim(it->value());
  constexpr std::string_view scheme = "bearer";
  if (value.size() <= scheme.size() || !iequals(value.substr(0, scheme.size()), scheme) ||
      value[scheme.size()] != ' ')
    return std::nullopt;
  std::string_view token = trim(value.substr(scheme.size() + 1));
  if (token.empty()) return std::nullopt;
  return token;
}

std::optional<std::string_view> find_token(const http::request& req, const cookie_options& options) {
  if (auto cookie = find_cookie(req, options.name)) return cookie;
  return find_bearer(req);
}

std::string session_cookie(const cookie_options& options, std::string_view token) {
  std::string out = options.name;
  out += '=';
  out += token;
  out += "; Max-Age=" + std::to_string(options.max_age.count());
  out += attributes(options);
  return out;
}

std::string cleared_cookie(const cookie_options& options) {
  return options.name + "=; Max-Age=0; Expires=Thu, 01 Jan 1970 00:00:00 GMT" + attributes(options);
}

}  // namespace authd::api
