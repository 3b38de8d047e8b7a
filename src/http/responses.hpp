// Building responses: JSON bodies and the contract's {"detail": "..."} errors.
#pragma once

#include <string_view>

#include "http/message.hpp"

namespace authd::http {

// A response with `body` as application/json (the body is already serialized JSON).
response json_response(bhttp::status status, std::string body);

// {"detail": "<text>"} with the text JSON-escaped.
response detail_response(bhttp::status status, std::string_view detail);

// An empty response (e.g. 204).
response empty_response(bhttp::status status);

}  // namespace authd::http
