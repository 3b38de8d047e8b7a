#include "api/content_etag.hpp"

#include <sodium.h>

#include <array>

#include "auth/sodium_init.hpp"

namespace authd::api {

std::string content_etag(std::string_view body) {
  auth::ensure_sodium_initialized();
  std::array<unsigned char, 16> hash{};
  crypto_generichash(hash.data(), hash.size(), reinterpret_cast<const unsigned char*>(body.data()),
                     body.size(), nullptr, 0);
  std::array<char, 2 * hash.size() + 1> hex{};
  sodium_bin2hex(hex.data(), hex.size(), hash.data(), hash.size());
  return "\"" + std::string(hex.data(), 2 * hash.size()) + "\"";
}

}  // namespace authd::api
