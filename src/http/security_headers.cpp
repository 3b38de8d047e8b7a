#include "http/security_headers.hpp"

namespace authd::http {

void add_security_headers(response& res) {
  res.set("X-Content-Type-Options", "nosniff");
  // Tokens never travel in URLs here, but a page's address should not leak to the sites it links.
  res.set("Referrer-Policy", "no-referrer");
  // JSON rendered by a browser (a mistaken navigation, an old browser sniffing) then runs nothing.
  if (res.find("Content-Security-Policy") == res.end())
    res.set("Content-Security-Policy", strict_content_security_policy);
  if (res.find(bhttp::field::x_frame_options) == res.end()) res.set(bhttp::field::x_frame_options, "DENY");
}

}  // namespace authd::http
