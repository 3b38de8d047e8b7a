// The ETag of a body served whole from memory (the OpenAPI document, the docs pages and assets).
#pragma once

#include <string>
#include <string_view>

namespace authd::api {

// A strong ETag: the quoted BLAKE2b-128 of the content, in hex. Not for security, only to tell
// versions apart; the same bytes give the same tag in every build and every process.
std::string content_etag(std::string_view body);

}  // namespace authd::api
