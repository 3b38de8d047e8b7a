// Request and response bodies of the auth routes: JSON <-> domain types, with the 422 list.
#pragma once

#include <boost/system/result.hpp>
#include <string>
#include <string_view>
#include <vector>

#include "api/validation_errors.hpp"
#include "auth/email_policy.hpp"
#include "auth/password_policy.hpp"
#include "store/store.hpp"

namespace authd::api {

struct register_request {
  std::string name;
  auth::normalized_email email;
  std::string password;
};

struct login_request {
  auth::normalized_email email;
  std::string password;
};

struct password_change_request {
  std::string current_password;
  std::string new_password;
};

template <class T>
using parsed = boost::system::result<T, validation_errors>;

// Every problem is reported, fields in the model's order (name, email, password).
parsed<register_request> parse_register(std::string_view body, const auth::password_limits& limits);

// Login checks only what it must: an email and a password no longer than the maximum (accounts
// from the original service may have passwords shorter than today's minimum).
parsed<login_request> parse_login(std::string_view body, const auth::password_limits& limits);

// {"current_password", "new_password"}: the new one by the rules of registration; the current one
// only as long as login allows.
parsed<password_change_request> parse_password_change(std::string_view body,
                                                      const auth::password_limits& limits);

// [{"id", "created", "last_used", "user_agent", "address", "current"}, ...] in the given order.
std::string render_sessions(const std::vector<store::session_record>& sessions, std::string_view current_id);

// {"id": "..."}
std::string render_registered(const store::user_record& user);
// {"id", "name", "email"}
std::string render_logged_in(const store::user_record& user);
// {"id", "name", "email", "created"}
std::string render_me(const store::user_record& user);

// ISO-8601 UTC as pydantic writes datetimes: 2024-01-02T03:04:05.123456Z, no fraction when zero.
std::string format_timestamp(store::micros t);

}  // namespace authd::api
