// GET /openapi.json: the API description (src/api/openapi.json, compiled into the binary).
#pragma once

#include <string_view>

#include "http/router.hpp"

namespace authd::api {

// Registers GET /openapi.json, answering the document with `info.version` set to `version`, an
// ETag, and 304 to a matching If-None-Match. Throws when the embedded document is not JSON.
void install_openapi_route(http::router& router, std::string_view version);

}  // namespace authd::api
