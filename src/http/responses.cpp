#include "http/responses.hpp"

#include <boost/json/serialize.hpp>
#include <utility>

namespace authd::http {

response json_response(bhttp::status status, std::string body) {
  response res{status, 11};
  // FastAPI sends plain application/json; clients compare the header byte for byte.
  res.set(bhttp::field::content_type, "application/json");
  res.body() = std::move(body);
  return res;
}

response detail_response(bhttp::status status, std::string_view detail) {
  std::string body = "{\"detail\":";
  body += boost::json::serialize(detail);
  body += '}';
  return json_response(status, std::move(body));
}

response empty_response(bhttp::status status) {
  return response{status, 11};
}

}  // namespace authd::http
