// GET /docs (Swagger UI) and GET /redoc (ReDoc), with their scripts and styles, all from the binary.
#pragma once

#include "http/router.hpp"

namespace authd::api {

// Registers the two pages, /docs/swagger-init.js, and the vendor files under
// /docs/assets/<package>-<version>/ (cached for a year: a new version is a new URL).
void install_docs_pages(http::router& router);

}  // namespace authd::api
