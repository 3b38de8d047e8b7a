// /healthz (the process answers) and /readyz (the store answers too).
#pragma once

#include "http/router.hpp"
#include "store/store.hpp"

namespace authd::api {

// Registers GET /healthz and GET /readyz.
void install_health_routes(http::router& router, store::store& store);

}  // namespace authd::api
