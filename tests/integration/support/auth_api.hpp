// The contract's calls and checks, shared by the test files: sample users, register/login,
// the {"detail": ...} check, the "still serving" probe.
#pragma once

#include <gtest/gtest.h>

#include <boost/json/object.hpp>
#include <boost/json/value.hpp>
#include <cstdint>
#include <string>
#include <string_view>

#include "support/http_client.hpp"
#include "support/http_response.hpp"

namespace authd::itest {

struct user {
  std::string name;
  std::string email;
  std::string password;
};

// Valid, distinct users (their passwords are long and not common).
user alice();
user bob();

boost::json::object register_body(const user& u);
boost::json::object login_body(std::string_view email, std::string_view password);

http_response register_user(http_client& client, const user& u);
http_response login(http_client& client, const user& u);

header_list bearer(std::string_view token);

// boost::json::parse, shorter, for expected bodies written as JSON text.
boost::json::value json(std::string_view text);

// status == `status` and body == {"detail": text}.
::testing::AssertionResult has_detail(const http_response& response, unsigned status, std::string_view text);

// GET /healthz on a new connection answers 200 {"status":"ok"}.
::testing::AssertionResult serving(std::uint16_t port);

bool is_lowercase_uuid_v4(std::string_view text);

}  // namespace authd::itest
