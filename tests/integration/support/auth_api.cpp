#include "support/auth_api.hpp"

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>
#include <exception>
#include <regex>

#include "support/text.hpp"

namespace authd::itest {

user alice() {
  return {"Alice Example", "alice@example.com", "correct horse battery staple 71"};
}
user bob() {
  return {"Bob Example", "bob@example.org", "Tr0ub4dor&3-but-longer-and-rarer"};
}

boost::json::object register_body(const user& u) {
  return {{"name", u.name}, {"email", u.email}, {"password", u.password}};
}

boost::json::object login_body(std::string_view email, std::string_view password) {
  return {{"email", email}, {"password", password}};
}

http_response register_user(http_client& client, const user& u) {
  return client.post_json("/auth/register", register_body(u));
}

http_response login(http_client& client, const user& u) {
  return client.post_json("/auth/login", login_body(u.email, u.password));
}

header_list bearer(std::string_view token) {
  return {{"Authorization", "Bearer " + std::string(token)}};
}

boost::json::value json(std::string_view text) {
  return boost::json::parse(text);
}

::testing::AssertionResult has_detail(const http_response& response, unsigned status, std::string_view text) {
  boost::system::error_code ec;
  const auto body = boost::json::parse(response.body, ec);
  if (response.status == status && !ec && body == detail(text)) return ::testing::AssertionSuccess();
  return ::testing::AssertionFailure() << "expected " << status << " " << boost::json::serialize(detail(text))
                                       << ", got " << response.status << " " << printable(response.body);
}

::testing::AssertionResult serving(std::uint16_t port) {
  try {
    http_client client(port);
    const auto response = client.get("/healthz");
    if (response.status == 200 && response.json() == json(R"({"status":"ok"})"))
      return ::testing::AssertionSuccess();
    return ::testing::AssertionFailure()
           << "GET /healthz answered " << response.status << " " << printable(response.body);
  } catch (const std::exception& e) {
    return ::testing::AssertionFailure() << "GET /healthz failed: " << e.what();
  }
}

bool is_lowercase_uuid_v4(std::string_view text) {
  static const std::regex uuid("[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}");
  return std::regex_match(text.begin(), text.end(), uuid);
}

}  // namespace authd::itest
