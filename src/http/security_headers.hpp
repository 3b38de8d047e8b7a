// The security headers every response carries, whatever made it (a handler or the server itself).
#pragma once

#include <string_view>

#include "http/message.hpp"

namespace authd::http {

// The policy for anything that is not a page: load nothing, be framed nowhere.
inline constexpr std::string_view strict_content_security_policy =
    "default-src 'none'; frame-ancestors 'none'";

// X-Content-Type-Options: nosniff and Referrer-Policy: no-referrer always; a Content-Security-Policy
// and X-Frame-Options: DENY unless the handler set its own (the docs pages allow their scripts).
void add_security_headers(response& res);

}  // namespace authd::http
