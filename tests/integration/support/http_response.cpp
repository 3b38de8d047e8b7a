#include "support/http_response.hpp"

#include <boost/json/parse.hpp>
#include <ostream>
#include <stdexcept>

#include "support/text.hpp"

namespace authd::itest {

std::optional<std::string> http_response::header(std::string_view name) const {
  for (const auto& [key, value] : headers) {
    if (iequals(key, name)) return value;
  }
  return std::nullopt;
}

std::vector<std::string> http_response::headers_named(std::string_view name) const {
  std::vector<std::string> found;
  for (const auto& [key, value] : headers) {
    if (iequals(key, name)) found.push_back(value);
  }
  return found;
}

boost::json::value http_response::json() const {
  boost::system::error_code ec;
  auto value = boost::json::parse(body, ec);
  if (ec) throw std::runtime_error("response body is not JSON (" + ec.message() + "): " + printable(body));
  return value;
}

boost::json::value detail(std::string_view text) {
  return boost::json::object{{"detail", boost::json::string(text)}};
}

void PrintTo(const http_response& r, std::ostream* os) {
  *os << "HTTP " << r.status;
  for (const auto& [key, value] : r.headers) *os << "\n  " << key << ": " << value;
  *os << "\n  body: " << printable(r.body);
}

}  // namespace authd::itest
