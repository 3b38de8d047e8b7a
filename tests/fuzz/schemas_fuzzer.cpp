// Fuzz target: every request-body schema (src/api/schemas.hpp) on the same arbitrary bytes. A
// schema either accepts the body, with values that satisfy its own rules, or answers a 422 list in
// pydantic's shape; and the answer never depends on anything but the bytes.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "api/schemas.hpp"
#include "auth/name_policy.hpp"
#include "auth/password_policy.hpp"
#include "fuzz_check.hpp"

namespace {

using namespace authd;

const auth::password_limits limits{};

// A normalized address is a fixed point: normalizing it again changes nothing, so that what the
// user is shown logs them in.
void check_email(const auth::normalized_email& email, std::string_view body) {
  FUZZ_CHECK(!email.email.empty() && !email.key.empty(), body);
  const auto again = auth::normalize_email(email.email);
  FUZZ_CHECK(again.has_value(), email.email);
  FUZZ_CHECK(again->email == email.email && again->key == email.key, email.email);
}

// Runs `parse` twice (the same answer both times), then checks a refusal's 422 body, or hands the
// accepted value to `accepted`.
template <class Parse, class Accepted>
void check_schema(std::string_view body, Parse parse, Accepted accepted) {
  const auto first = parse(body);
  const auto second = parse(body);
  FUZZ_CHECK(first.has_value() == second.has_value(), body);
  if (!first) {
    const std::string json = first.error().to_json();
    FUZZ_CHECK(json == second.error().to_json(), body);
    FUZZ_CHECK(!first.error().empty(), body);
    authd::fuzz::check_validation_body(json);
    return;
  }
  accepted(*first, body);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view body(reinterpret_cast<const char*>(data), size);

  // One entry per schema; a new schema is one more call here.
  bool registered = false;
  check_schema(
      body, [](std::string_view b) { return api::parse_register(b, limits); },
      [&](const api::register_request& r, std::string_view b) {
        registered = true;
        FUZZ_CHECK(!auth::check_name(r.name), b);
        FUZZ_CHECK(!auth::check_new_password(r.password, limits), b);
        check_email(r.email, b);
      });
  check_schema(
      body, [](std::string_view b) { return api::parse_login(b, limits); },
      [&](const api::login_request& r, std::string_view b) {
        FUZZ_CHECK(auth::code_point_count(r.password) <= limits.max_length, b);
        check_email(r.email, b);
      });

  check_schema(
      body, [](std::string_view b) { return api::parse_password_change(b, limits); },
      [&](const api::password_change_request& r, std::string_view b) {
        FUZZ_CHECK(auth::code_point_count(r.current_password) <= limits.max_length, b);
        FUZZ_CHECK(!auth::check_new_password(r.new_password, limits), b);
      });

  // Whatever registers can log in: login asks less of a body than registration does.
  if (registered) {
    const auto as_registration = api::parse_register(body, limits);
    const auto as_login = api::parse_login(body, limits);
    FUZZ_CHECK(as_login.has_value(), body);
    FUZZ_CHECK(as_login->email.key == as_registration->email.key, body);
    FUZZ_CHECK(as_login->password == as_registration->password, body);
  }
  return 0;
}
