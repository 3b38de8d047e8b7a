// Request ids: accepted from the client's X-Request-Id when safe to log, else generated.
#pragma once

#include <string>
#include <string_view>

namespace authd::http {

// A new random id: 16 lowercase hex characters.
std::string new_request_id();

// `incoming` when it is 1..64 characters of [A-Za-z0-9._-] (so it cannot forge log lines),
// otherwise a new id.
std::string accept_or_new_request_id(std::string_view incoming);

}  // namespace authd::http
