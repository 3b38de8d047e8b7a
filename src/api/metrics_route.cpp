#include "api/metrics_route.hpp"

#include "http/responses.hpp"

namespace authd::api {

void install_metrics_route(http::router& router, const obs::registry& metrics) {
  router.add(http::bhttp::verb::get, "/metrics",
             [&metrics](http::request_context&) -> boost::asio::awaitable<http::response> {
               http::response res{http::bhttp::status::ok, 11};
               res.set(http::bhttp::field::content_type, obs::exposition_content_type);
               // Scrapers must see every scrape's numbers, never a cached copy.
               res.set(http::bhttp::field::cache_control, "no-store");
               res.body() = metrics.render();
               co_return res;
             },
             {.statuses = {200}});
}

}  // namespace authd::api
