// Conditional requests (RFC 9110 13.1.2): whether a request's If-None-Match names the current
// entity tag, so that the answer can be 304 without a body.
#pragma once

#include <string_view>

#include "http/message.hpp"

namespace authd::http {

// True when an If-None-Match header holds "*" or a tag that matches `etag` weakly (a W/ prefix on
// either side does not matter). Several headers count as one list.
bool if_none_match_hits(const request& req, std::string_view etag);

}  // namespace authd::http
