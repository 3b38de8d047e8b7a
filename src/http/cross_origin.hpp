// Cross-origin rules for browsers: which requests may change state (CSRF) and which origins may
// read the answers (CORS). Generic: the paths and the cookie name come from the composition root.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "http/message.hpp"
#include "http/router.hpp"

namespace authd::http {

struct cross_origin_settings {
  // Origins other sites' pages may call from, with credentials: "scheme://host[:port]" exactly as
  // a browser serializes them (lowercase, default port left out). Empty: same-origin only.
  std::vector<std::string> allowed_origins;
  // Requests with an unsafe method (POST, PUT, PATCH, DELETE) on a path under this prefix are
  // checked; empty: none are.
  std::string guarded_prefix;
  // GET (and HEAD) paths that change state anyway, checked like unsafe requests.
  std::vector<std::string> state_changing_get_paths;
  // A guarded unsafe request carrying this cookie with a body or a Content-Type must be JSON.
  // Empty: no such requirement.
  std::string session_cookie;
};

class cross_origin_policy {
 public:
  cross_origin_policy() = default;  // checks nothing, allows no other origin
  explicit cross_origin_policy(cross_origin_settings settings);

  // Whether the CSRF check applies to `method` on `path` (the OpenAPI test asks this too).
  bool guards(bhttp::verb method, std::string_view path) const;

  enum class verdict { allowed, cross_site, not_json };
  // The CSRF decision for a request the router has a handler for.
  verdict check(const request& req, std::string_view path) const;

  // True for a CORS preflight: OPTIONS with Access-Control-Request-Method.
  static bool is_preflight(const request& req);
  // The answer to a preflight on a known path: 204 with the CORS grants, or 403.
  response preflight(const request& req, std::string_view path, const router& routes) const;

  // On the answer to an actual request (not a preflight): the CORS headers when its Origin is
  // allowed, and Vary: Origin whenever origins are configured (the answer then depends on it).
  void decorate(const request& req, response& res) const;

  bool origin_allowed(std::string_view origin) const;

 private:
  bool unsafe_guarded(bhttp::verb method, std::string_view path) const;
  bool state_changing_get(bhttp::verb method, std::string_view path) const;

  cross_origin_settings settings_;
};

// The contract's bodies for a refusal.
inline constexpr std::string_view cross_site_refused = "Cross-site request refused";
inline constexpr std::string_view cors_refused = "CORS request refused";

}  // namespace authd::http
