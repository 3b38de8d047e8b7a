#include "api/schemas.hpp"

#include <boost/json/array.hpp>
#include <boost/json/object.hpp>
#include <boost/json/serialize.hpp>
#include <boost/json/stream_parser.hpp>
#include <cstdio>
#include <ctime>
#include <optional>

#include "auth/name_policy.hpp"

namespace authd::api {

namespace {

constexpr std::string_view name_field = "name";
constexpr std::string_view email_field = "email";
constexpr std::string_view password_field = "password";
constexpr std::string_view current_password_field = "current_password";
constexpr std::string_view new_password_field = "new_password";

// The body as a JSON object, or the errors that say why it is not one.
parsed<boost::json::object> parse_object(std::string_view body) {
  validation_errors errors;
  if (body.empty()) {
    errors.body_missing();
    return errors;
  }
  boost::json::parse_options options;
  options.max_depth = 32;  // deep nesting is refused, never recursed into
  boost::json::stream_parser parser({}, options);
  boost::system::error_code ec;
  std::size_t consumed = parser.write_some(body.data(), body.size(), ec);
  if (!ec) parser.finish(ec);
  if (ec) {
    errors.json_invalid(consumed, ec.message());
    return errors;
  }
  boost::json::value value = parser.release();
  if (!value.is_object()) {
    errors.not_an_object(value);
    return errors;
  }
  return std::move(value.as_object());
}

// The field as a string, or a missing / string_type error.
std::optional<std::string> string_field(const boost::json::object& body, std::string_view field,
                                        validation_errors& errors) {
  auto it = body.find(field);
  if (it == body.end()) {
    errors.missing(field, body);
    return std::nullopt;
  }
  if (!it->value().is_string()) {
    errors.not_a_string(field, it->value());
    return std::nullopt;
  }
  const auto& s = it->value().get_string();
  return std::string(s.data(), s.size());
}

std::optional<auth::normalized_email> email_field_value(const boost::json::object& body,
                                                        validation_errors& errors) {
  auto text = string_field(body, email_field, errors);
  if (!text) return std::nullopt;
  auto email = auth::normalize_email(*text);
  if (!email) {
    errors.invalid_email(email_field, body.at(email_field), email.error());
    return std::nullopt;
  }
  return std::move(*email);
}

void check_name(const boost::json::object& body, const std::string& name, validation_errors& errors) {
  const auto& input = body.at(name_field);
  auto problem = auth::check_name(name);
  if (!problem) return;
  switch (*problem) {
    case auth::name_problem::too_short:
      errors.too_short(name_field, input, auth::name_min_length);
      break;
    case auth::name_problem::too_long:
      errors.too_long(name_field, input, auth::name_max_length);
      break;
    case auth::name_problem::invalid_utf8:
      errors.value_error(name_field, input, "name must be valid UTF-8");
      break;
    case auth::name_problem::control_character:
      errors.value_error(name_field, input, "name must not contain control characters");
      break;
  }
}

void check_password(const boost::json::object& body, std::string_view field, const std::string& password,
                    const auth::password_limits& limits, validation_errors& errors) {
  const auto& input = body.at(field);
  auto problem = auth::check_new_password(password, limits);
  if (!problem) return;
  switch (*problem) {
    case auth::password_problem::too_short:
      errors.too_short(field, input, limits.min_length);
      break;
    case auth::password_problem::too_long:
      errors.too_long(field, input, limits.max_length);
      break;
    case auth::password_problem::too_common:
      errors.value_error(field, input, "password is too common");
      break;
  }
}

}  // namespace

parsed<register_request> parse_register(std::string_view body, const auth::password_limits& limits) {
  auto object = parse_object(body);
  if (!object) return object.error();
  validation_errors errors;
  auto name = string_field(*object, name_field, errors);
  if (name) check_name(*object, *name, errors);
  auto email = email_field_value(*object, errors);
  auto password = string_field(*object, password_field, errors);
  if (password) check_password(*object, password_field, *password, limits, errors);
  if (!errors.empty()) return errors;
  return register_request{std::move(*name), std::move(*email), std::move(*password)};
}

parsed<login_request> parse_login(std::string_view body, const auth::password_limits& limits) {
  auto object = parse_object(body);
  if (!object) return object.error();
  validation_errors errors;
  auto email = email_field_value(*object, errors);
  auto password = string_field(*object, password_field, errors);
  if (password && auth::code_point_count(*password) > limits.max_length)
    errors.too_long(password_field, object->at(password_field), limits.max_length);
  if (!errors.empty()) return errors;
  return login_request{std::move(*email), std::move(*password)};
}

parsed<password_change_request> parse_password_change(std::string_view body,
                                                      const auth::password_limits& limits) {
  auto object = parse_object(body);
  if (!object) return object.error();
  validation_errors errors;
  auto current = string_field(*object, current_password_field, errors);
  if (current && auth::code_point_count(*current) > limits.max_length)
    errors.too_long(current_password_field, object->at(current_password_field), limits.max_length);
  auto next = string_field(*object, new_password_field, errors);
  if (next) check_password(*object, new_password_field, *next, limits, errors);
  if (!errors.empty()) return errors;
  return password_change_request{std::move(*current), std::move(*next)};
}

std::string render_sessions(const std::vector<store::session_record>& sessions, std::string_view current_id) {
  boost::json::array out;
  out.reserve(sessions.size());
  for (const auto& s : sessions) {
    out.emplace_back(boost::json::object{{"id", s.id},
                                         {"created", format_timestamp(s.created)},
                                         {"last_used", format_timestamp(s.last_used)},
                                         {"user_agent", valid_utf8(s.user_agent)},
                                         {"address", valid_utf8(s.client_address)},
                                         {"current", s.id == current_id}});
  }
  return boost::json::serialize(out);
}

std::string format_timestamp(store::micros t) {
  std::int64_t seconds = t / 1'000'000;
  std::int64_t fraction = t % 1'000'000;
  if (fraction < 0) {
    fraction += 1'000'000;
    seconds -= 1;
  }
  std::time_t tt = static_cast<std::time_t>(seconds);
  std::tm tm{};
  gmtime_r(&tt, &tm);
  char buf[40];
  int n = std::snprintf(buf, sizeof buf, "%04d-%02d-%02dT%02d:%02d:%02d", tm.tm_year + 1900, tm.tm_mon + 1,
                        tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec);
  std::string out(buf, static_cast<std::size_t>(n));
  if (fraction != 0) {
    std::snprintf(buf, sizeof buf, ".%06lld", static_cast<long long>(fraction));
    out += buf;
  }
  out += 'Z';
  return out;
}

std::string render_registered(const store::user_record& user) {
  return boost::json::serialize(boost::json::object{{"id", user.id}});
}

std::string render_logged_in(const store::user_record& user) {
  return boost::json::serialize(
      boost::json::object{{"id", user.id}, {"name", user.name}, {"email", user.email}});
}

std::string render_me(const store::user_record& user) {
  return boost::json::serialize(boost::json::object{{"id", user.id},
                                                    {"name", user.name},
                                                    {"email", user.email},
                                                    {"created", format_timestamp(user.created)}});
}

}  // namespace authd::api
