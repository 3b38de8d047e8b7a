// Which of authd's routes the CSRF check guards: one answer for the composition root and the OpenAPI test.
#pragma once

#include <string>
#include <utility>
#include <vector>

#include "http/cross_origin.hpp"

namespace authd::api {

// Every unsafe request under /auth/, and GET /auth/logout, which the original service's contract
// makes a GET although it ends the session.
inline http::cross_origin_settings cross_origin_scope(std::vector<std::string> allowed_origins,
                                                      std::string session_cookie) {
  return {.allowed_origins = std::move(allowed_origins),
          .guarded_prefix = "/auth/",
          .state_changing_get_paths = {"/auth/logout"},
          .session_cookie = std::move(session_cookie)};
}

}  // namespace authd::api
