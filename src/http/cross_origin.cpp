#include "http/cross_origin.hpp"

#include <algorithm>
#include <array>
#include <boost/beast/core/string.hpp>
#include <utility>

#include "http/responses.hpp"

namespace authd::http {

namespace beast = boost::beast;
using field = bhttp::field;
using verb = bhttp::verb;

namespace {

// The request headers a cross-origin page may send (Authorization for the Bearer token).
constexpr std::array<std::string_view, 3> allowed_request_headers{"content-type", "authorization",
                                                                  "x-request-id"};
constexpr std::string_view allow_headers_value = "Content-Type, Authorization, X-Request-Id";
constexpr std::string_view expose_headers_value = "X-Request-Id, Retry-After";
// Browsers cap it anyway (Chromium at 2 hours, Firefox at 24); 10 minutes lets a change of
// AUTHD_ALLOWED_ORIGINS reach open pages soon.
constexpr std::string_view preflight_max_age = "600";

std::string_view trimmed(std::string_view text) {
  while (!text.empty() && (text.front() == ' ' || text.front() == '\t')) text.remove_prefix(1);
  while (!text.empty() && (text.back() == ' ' || text.back() == '\t')) text.remove_suffix(1);
  return text;
}

// Calls f(element) for each non-empty element of a comma-separated list, trimmed.
template <class F>
void for_each_element(std::string_view list, F f) {
  while (!list.empty()) {
    const auto comma = list.find(',');
    const auto element = trimmed(list.substr(0, comma));
    if (!element.empty()) f(element);
    if (comma == std::string_view::npos) break;
    list.remove_prefix(comma + 1);
  }
}

// host[:port] without the port when it is the scheme's default, lowercase.
std::string without_default_port(std::string_view scheme, std::string_view authority) {
  const std::string_view default_port = beast::iequals(scheme, "https")  ? ":443"
                                        : beast::iequals(scheme, "http") ? ":80"
                                                                         : "";
  if (!default_port.empty() && authority.ends_with(default_port))
    authority = authority.substr(0, authority.size() - default_port.size());
  std::string out;
  out.reserve(authority.size());
  for (char c : authority) out += (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c;
  return out;
}

// The page's own origin: Origin's host[:port] is the Host this request was sent to.
bool same_origin(std::string_view origin, std::string_view host) {
  const auto separator = origin.find("://");
  if (separator == std::string_view::npos || separator == 0) return false;
  const std::string_view scheme = origin.substr(0, separator);
  const std::string_view authority = origin.substr(separator + 3);
  host = trimmed(host);
  if (authority.empty() || host.empty() || authority.find_first_of("/?#@") != std::string_view::npos)
    return false;
  return without_default_port(scheme, authority) == without_default_port(scheme, host);
}

bool carries_cookie(const request& req, std::string_view name) {
  auto [first, last] = req.equal_range(field::cookie);
  for (auto it = first; it != last; ++it) {
    std::string_view pairs = it->value();
    while (!pairs.empty()) {
      const auto semicolon = pairs.find(';');
      const auto pair = trimmed(pairs.substr(0, semicolon));
      if (trimmed(pair.substr(0, pair.find('='))) == name) return true;
      if (semicolon == std::string_view::npos) break;
      pairs.remove_prefix(semicolon + 1);
    }
  }
  return false;
}

// application/json, parameters (charset) allowed, case-insensitive, as the handlers accept it.
bool is_json(std::string_view content_type) {
  return beast::iequals(trimmed(content_type.substr(0, content_type.find(';'))), "application/json");
}

bool is_unsafe(verb method) {
  return method == verb::post || method == verb::put || method == verb::patch || method == verb::delete_;
}

void add_vary_origin(response& res) {
  const std::string_view vary = res[field::vary];
  bool present = false;
  for_each_element(vary, [&](std::string_view element) {
    present = present || beast::iequals(element, "Origin") || element == "*";
  });
  if (present) return;
  res.set(field::vary, vary.empty() ? std::string("Origin") : std::string(vary) + ", Origin");
}

}  // namespace

cross_origin_policy::cross_origin_policy(cross_origin_settings settings) : settings_(std::move(settings)) {}

bool cross_origin_policy::unsafe_guarded(verb method, std::string_view path) const {
  return is_unsafe(method) && !settings_.guarded_prefix.empty() && path.starts_with(settings_.guarded_prefix);
}

bool cross_origin_policy::state_changing_get(verb method, std::string_view path) const {
  // HEAD runs the GET handler, so it changes the same state.
  if (method != verb::get && method != verb::head) return false;
  const auto& paths = settings_.state_changing_get_paths;
  return std::find(paths.begin(), paths.end(), path) != paths.end();
}

bool cross_origin_policy::guards(verb method, std::string_view path) const {
  return unsafe_guarded(method, path) || state_changing_get(method, path);
}

bool cross_origin_policy::origin_allowed(std::string_view origin) const {
  return std::any_of(settings_.allowed_origins.begin(), settings_.allowed_origins.end(),
                     [origin](const std::string& allowed) { return beast::iequals(allowed, origin); });
}

cross_origin_policy::verdict cross_origin_policy::check(const request& req, std::string_view path) const {
  const bool unsafe = unsafe_guarded(req.method(), path);
  const bool navigation = !unsafe && state_changing_get(req.method(), path);
  if (!unsafe && !navigation) return verdict::allowed;

  if (auto origin = req.find(field::origin); origin != req.end()) {
    // "null" comes from sandboxed frames, data: URLs and cross-origin redirects: never trusted.
    const std::string_view value = trimmed(origin->value());
    if (value == "null" || !(origin_allowed(value) || same_origin(value, req[field::host])))
      return verdict::cross_site;
  } else if (auto site = req.find("Sec-Fetch-Site"); site != req.end()) {
    // Without Origin a browser still says where the request comes from. A top-level navigation
    // (a link to GET /auth/logout) carries no Origin, and from a sibling subdomain it is same-site.
    const std::string_view value = trimmed(site->value());
    const bool ok = beast::iequals(value, "same-origin") || beast::iequals(value, "none") ||
                    (navigation && beast::iequals(value, "same-site"));
    if (!ok) return verdict::cross_site;
  }
  // Neither header: not a browser, so no ambient cookie to abuse.

  // A cross-site form can only send form or text bodies, and always sends a Content-Type; JSON
  // needs a preflight. A bodiless request without Content-Type (POST /auth/logout from fetch or
  // curl) cannot come from a form, so it passes.
  if (unsafe && !settings_.session_cookie.empty() && carries_cookie(req, settings_.session_cookie)) {
    const auto type = req.find(field::content_type);
    const bool has_type = type != req.end();
    if ((has_type || !req.body().empty()) && !(has_type && is_json(type->value()))) return verdict::not_json;
  }
  return verdict::allowed;
}

bool cross_origin_policy::is_preflight(const request& req) {
  return req.method() == verb::options && req.find(field::access_control_request_method) != req.end();
}

response cross_origin_policy::preflight(const request& req, std::string_view path,
                                        const router& routes) const {
  const std::string_view origin = trimmed(req[field::origin]);
  const verb method = bhttp::string_to_verb(trimmed(req[field::access_control_request_method]));
  bool allowed = !origin.empty() && origin_allowed(origin) && method != verb::unknown &&
                 routes.find(method, path).found != nullptr;
  for_each_element(req[field::access_control_request_headers], [&](std::string_view name) {
    allowed = allowed && std::any_of(allowed_request_headers.begin(), allowed_request_headers.end(),
                                     [name](std::string_view ok) { return beast::iequals(ok, name); });
  });
  if (!allowed) return detail_response(bhttp::status::forbidden, cors_refused);

  auto res = empty_response(bhttp::status::no_content);
  res.set(field::access_control_allow_origin, origin);
  res.set(field::access_control_allow_credentials, "true");
  // No route has the method `unknown`, so the router answers with every method of the path.
  res.set(field::access_control_allow_methods, routes.find(verb::unknown, path).allow);
  res.set(field::access_control_allow_headers, allow_headers_value);
  res.set(field::access_control_max_age, preflight_max_age);
  add_vary_origin(res);
  return res;
}

void cross_origin_policy::decorate(const request& req, response& res) const {
  if (settings_.allowed_origins.empty()) return;
  add_vary_origin(res);
  // A preflight's answer carries its own grants, or none when refused.
  if (is_preflight(req)) return;
  const std::string_view origin = trimmed(req[field::origin]);
  if (origin.empty() || !origin_allowed(origin)) return;
  res.set(field::access_control_allow_origin, origin);
  res.set(field::access_control_allow_credentials, "true");
  res.set(field::access_control_expose_headers, expose_headers_value);
}

}  // namespace authd::http
