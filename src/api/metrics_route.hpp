// GET /metrics: the registry's exposition in the Prometheus text format.
#pragma once

#include "http/router.hpp"
#include "obs/metrics.hpp"

namespace authd::api {

// `metrics` must outlive the router's use.
void install_metrics_route(http::router& router, const obs::registry& metrics);

}  // namespace authd::api
