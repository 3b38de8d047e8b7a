#include "http/dispatch.hpp"

#include <exception>

#include "http/responses.hpp"
#include "obs/logging.hpp"

namespace authd::http {

boost::asio::awaitable<response> dispatch(const router& routes, const request_policy& policy,
                                          const request& req, std::string_view path, std::string_view query,
                                          std::string_view request_id, const std::string& peer_address,
                                          std::size_t& path_index) {
  const auto found = routes.find(req.method(), path);
  path_index = found.path_index;
  if (found.found == nullptr) {
    if (!found.path_known) co_return detail_response(bhttp::status::not_found, "Not Found");
    if (cross_origin_policy::is_preflight(req)) co_return policy.cross_origin.preflight(req, path, routes);
    auto res = detail_response(bhttp::status::method_not_allowed, "Method Not Allowed");
    res.set(bhttp::field::allow, found.allow);
    co_return res;
  }
  // Before the handler runs: a refused cross-site GET /auth/logout must not end the session.
  switch (policy.cross_origin.check(req, path)) {
    case cross_origin_policy::verdict::allowed:
      break;
    case cross_origin_policy::verdict::cross_site:
      co_return detail_response(bhttp::status::forbidden, cross_site_refused);
    case cross_origin_policy::verdict::not_json:
      co_return detail_response(bhttp::status::unsupported_media_type, "Unsupported Media Type");
  }
  request_context context{req, path, query, request_id,
                          policy.proxies.empty()
                              ? peer_address
                              : policy.proxies.client_address(peer_address, forwarded_for(req))};
  context.path_parameter = found.parameter;
  try {
    co_return co_await (*found.found)(context);
  } catch (const std::exception& e) {
    obs::log_event(obs::log_level::error, "handler failed",
                   {{"request_id", request_id}, {"error", e.what()}});
  } catch (...) {
    obs::log_event(obs::log_level::error, "handler failed",
                   {{"request_id", request_id}, {"error", "unknown exception"}});
  }
  co_return detail_response(bhttp::status::internal_server_error, "Internal Server Error");
}

}  // namespace authd::http
