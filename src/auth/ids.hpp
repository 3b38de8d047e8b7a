// Random identifiers from libsodium's CSPRNG.
#pragma once

#include <string>
#include <string_view>

namespace authd::auth {

// A random (version 4) UUID in canonical lowercase form.
std::string random_uuid();

// True for a canonical UUID string (8-4-4-4-12 hex digits, any case).
bool is_uuid(std::string_view text);

}  // namespace authd::auth
