#include "api/health_routes.hpp"

#include "http/responses.hpp"

namespace authd::api {

using http::bhttp::field;
using http::bhttp::status;
using http::bhttp::verb;

void install_health_routes(http::router& router, store::store& store) {
  router.add(verb::get, "/healthz",
             [](http::request_context&) -> boost::asio::awaitable<http::response> {
               co_return http::json_response(status::ok, R"({"status":"ok"})");
             },
             {.statuses = {200}});
  router.add(verb::get, "/readyz",
             [&store](http::request_context&) -> boost::asio::awaitable<http::response> {
               if (co_await store.ping()) co_return http::json_response(status::ok, R"({"status":"ready"})");
               auto res = http::detail_response(status::service_unavailable, "Database unavailable");
               res.set(field::retry_after, "1");
               co_return res;
             },
             {.statuses = {200, 503}});
}

}  // namespace authd::api
