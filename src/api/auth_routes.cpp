#include "api/auth_routes.hpp"

#include <algorithm>
#include <cstdint>
#include <optional>
#include <string>

#include "api/schemas.hpp"
#include "http/responses.hpp"

namespace authd::api {

namespace {

using http::bhttp::field;
using http::bhttp::status;
using http::bhttp::verb;

http::response unavailable() {
  auto res = http::detail_response(status::service_unavailable, "Service Unavailable");
  res.set(field::retry_after, "1");
  return res;
}

// JSON bodies only: application/json, parameters (charset) allowed, case-insensitive.
bool is_json(const http::request& req) {
  auto it = req.find(field::content_type);
  if (it == req.end()) return false;
  std::string_view type = it->value();
  type = type.substr(0, type.find(';'));
  while (!type.empty() && (type.back() == ' ' || type.back() == '\t')) type.remove_suffix(1);
  while (!type.empty() && (type.front() == ' ' || type.front() == '\t')) type.remove_prefix(1);
  constexpr std::string_view json = "application/json";
  if (type.size() != json.size()) return false;
  for (std::size_t i = 0; i < json.size(); ++i) {
    char c = type[i];
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
    if (c != json[i]) return false;
  }
  return true;
}

auth::client_info client_of(const http::request_context& ctx) {
  auth::client_info client;
  auto ua = ctx.req.find(field::user_agent);
  // Stored for the user's session list; capped so a client cannot bloat the row.
  // (Made valid UTF-8: the cut may split a character, and it is written as JSON to the audit log.)
  if (ua != ctx.req.end()) client.user_agent = valid_utf8(ua->value().substr(0, 512));
  client.address = ctx.client_address;
  client.request_id = std::string(ctx.request_id);
  return client;
}

http::response failure(const auth::auth_failure& e) {
  switch (e.code) {
    case auth::auth_error::throttled: {
      // The same answer whatever the password: nothing was checked.
      auto res = http::detail_response(status::too_many_requests, "Too many attempts, try again later");
      res.set(field::retry_after, std::to_string(std::max<std::int64_t>(1, e.retry_after_seconds)));
      return res;
    }
    case auth::auth_error::user_exists:
      return http::detail_response(status::bad_request, "User already exists");
    case auth::auth_error::invalid_credentials:
      return http::detail_response(status::unauthorized, "Invalid credentials");
    case auth::auth_error::wrong_password:
      return http::detail_response(status::bad_request, "Invalid current password");
    case auth::auth_error::session_ended:
      return http::detail_response(status::unauthorized, "Invalid token");
    case auth::auth_error::busy:
    case auth::auth_error::unavailable:
      return unavailable();
    case auth::auth_error::internal:
      break;
  }
  return http::detail_response(status::internal_server_error, "Internal Server Error");
}

// The 401s of GET /auth/me, shared by every route that needs a session.
http::response failure(auth::token_failure e) {
  switch (e) {
    case auth::token_failure::invalid:
      return http::detail_response(status::unauthorized, "Invalid token");
    case auth::token_failure::expired:
      return http::detail_response(status::unauthorized, "Expired token");
    case auth::token_failure::user_not_found:
      return http::detail_response(status::unauthorized, "User not found");
    case auth::token_failure::unavailable:
      return unavailable();
    case auth::token_failure::internal:
      break;
  }
  return http::detail_response(status::internal_server_error, "Internal Server Error");
}

int hex_digit(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

// Form-style decoding as Starlette does it ('+' is a space; a bad escape stays as it is).
std::string decode_query_component(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (std::size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (c == '+') {
      out += ' ';
    } else if (c == '%' && i + 2 < text.size() && hex_digit(text[i + 1]) >= 0 &&
               hex_digit(text[i + 2]) >= 0) {
      out += static_cast<char>(hex_digit(text[i + 1]) * 16 + hex_digit(text[i + 2]));
      i += 2;
    } else {
      out += c;
    }
  }
  return out;
}

// The last value of query parameter `name` (as Starlette's QueryParams.get), if present.
std::optional<std::string> query_parameter(std::string_view query, std::string_view name) {
  std::optional<std::string> found;
  while (!query.empty()) {
    const auto amp = query.find('&');
    const std::string_view pair = query.substr(0, amp);
    query = amp == std::string_view::npos ? std::string_view() : query.substr(amp + 1);
    if (pair.empty()) continue;
    const auto eq = pair.find('=');
    if (decode_query_component(pair.substr(0, eq)) != name) continue;
    found = eq == std::string_view::npos ? std::string() : decode_query_component(pair.substr(eq + 1));
  }
  return found;
}

}  // namespace

auth_routes::auth_routes(auth::auth_service& service, auth_routes_options options)
    : service_(service), options_(std::move(options)) {}

void auth_routes::install(http::router& router) {
  // Everything under /auth/ is personal: never cached, not even its errors.
  router.add_prefix_header("/auth/", "Cache-Control", "no-store");
  // The statuses each handler answers itself (src/api/openapi.json documents them; a test compares).
  router.add(verb::post, "/auth/register",
             [this](http::request_context& ctx) { return register_account(ctx); },
             {.statuses = {201, 400, 415, 422, 429, 500, 503}});
  router.add(verb::post, "/auth/login", [this](http::request_context& ctx) { return login(ctx); },
             {.statuses = {200, 401, 415, 422, 429, 500, 503}});
  router.add(verb::get, "/auth/me", [this](http::request_context& ctx) { return me(ctx); },
             {.statuses = {200, 401, 500, 503}});
  // Logout never fails: a store error is logged, and the client is logged out all the same.
  router.add(verb::get, "/auth/logout", [this](http::request_context& ctx) { return logout(ctx); },
             {.statuses = {204}});
  // POST only takes ?scope=current|others|all; GET stays the original service's plain logout (a
  // GET that ends every session would be one link away from a cross-site request).
  router.add(verb::post, "/auth/logout",
             [this](http::request_context& ctx) { return logout_with_scope(ctx); },
             {.statuses = {204, 401, 422, 500, 503}});
  router.add(verb::get, "/auth/sessions", [this](http::request_context& ctx) { return list_sessions(ctx); },
             {.statuses = {200, 401, 500, 503}});
  router.add(verb::delete_, "/auth/sessions/{id}",
             [this](http::request_context& ctx) { return end_session(ctx); },
             {.statuses = {204, 401, 404, 500, 503}});
  router.add(verb::post, "/auth/password",
             [this](http::request_context& ctx) { return change_password(ctx); },
             {.statuses = {204, 400, 401, 415, 422, 429, 500, 503}});
}

boost::asio::awaitable<auth_routes::caller_or_refusal> auth_routes::caller_of(
    const http::request_context& ctx) {
  caller_or_refusal out;
  auto token = find_token(ctx.req, options_.cookie);
  if (!token) {
    out.refusal = http::detail_response(status::unauthorized, "Not authenticated");
    co_return out;
  }
  auto caller = co_await service_.authenticate_session(*token);
  if (!caller) {
    out.refusal = failure(caller.error());
    co_return out;
  }
  out.caller = std::move(*caller);
  co_return out;
}

boost::asio::awaitable<http::response> auth_routes::register_account(http::request_context& ctx) {
  if (!is_json(ctx.req)) {
    outcomes_.registration(auth_outcome::invalid_input);
    co_return http::detail_response(status::unsupported_media_type, "Unsupported Media Type");
  }
  auto input = parse_register(ctx.req.body(), options_.passwords);
  if (!input) {
    outcomes_.registration(auth_outcome::invalid_input);
    co_return http::json_response(status::unprocessable_entity, input.error().to_json());
  }

  // Named arguments, not temporaries, in co_await expressions (see auth_service.cpp).
  auth::new_account account{std::move(input->name), std::move(input->email), std::move(input->password)};
  auth::client_info client = client_of(ctx);
  auto done = co_await service_.register_account(std::move(account), std::move(client));
  outcomes_.registration(done ? auth_outcome::success : outcome_of(done.error().code));
  if (!done) co_return failure(done.error());

  auto res = http::json_response(status::created, render_registered(done->user));
  res.insert(field::set_cookie, session_cookie(options_.cookie, done->token));
  co_return res;
}

boost::asio::awaitable<http::response> auth_routes::login(http::request_context& ctx) {
  if (!is_json(ctx.req)) {
    outcomes_.login(auth_outcome::invalid_input);
    co_return http::detail_response(status::unsupported_media_type, "Unsupported Media Type");
  }
  auto input = parse_login(ctx.req.body(), options_.passwords);
  if (!input) {
    outcomes_.login(auth_outcome::invalid_input);
    co_return http::json_response(status::unprocessable_entity, input.error().to_json());
  }

  auth::client_info client = client_of(ctx);
  auto done = co_await service_.login(std::move(input->email), std::move(input->password), std::move(client));
  outcomes_.login(done ? auth_outcome::success : outcome_of(done.error().code));
  if (!done) co_return failure(done.error());

  auto res = http::json_response(status::ok, render_logged_in(done->user));
  res.insert(field::set_cookie, session_cookie(options_.cookie, done->token));
  co_return res;
}

boost::asio::awaitable<http::response> auth_routes::me(http::request_context& ctx) {
  auto token = find_token(ctx.req, options_.cookie);
  if (!token) co_return http::detail_response(status::unauthorized, "Not authenticated");

  auto user = co_await service_.authenticate(*token);
  if (!user) co_return failure(user.error());
  co_return http::json_response(status::ok, render_me(*user));
}

boost::asio::awaitable<http::response> auth_routes::logout(http::request_context& ctx) {
  if (auto token = find_token(ctx.req, options_.cookie)) {
    const auth::client_info client = client_of(ctx);
    co_await service_.logout(*token, client);
  }
  auto res = http::empty_response(status::no_content);
  res.insert(field::set_cookie, cleared_cookie(options_.cookie));
  co_return res;
}

boost::asio::awaitable<http::response> auth_routes::logout_with_scope(http::request_context& ctx) {
  const auto scope = query_parameter(ctx.query, "scope");
  if (!scope || *scope == "current") co_return co_await logout(ctx);
  if (*scope != "others" && *scope != "all") {
    validation_errors errors;
    errors.not_in_enum("scope", *scope, {"current", "others", "all"});
    co_return http::json_response(status::unprocessable_entity, errors.to_json());
  }
  const auth::logout_scope what = *scope == "all" ? auth::logout_scope::all : auth::logout_scope::others;

  auto who = co_await caller_of(ctx);
  if (!who.caller) co_return std::move(who.refusal);
  const auto& caller = who.caller;

  const auth::client_info client = client_of(ctx);
  auto ended = co_await service_.end_sessions(*caller, what, client);
  if (!ended) co_return failure(ended.error());
  auto res = http::empty_response(status::no_content);
  if (what == auth::logout_scope::all) res.insert(field::set_cookie, cleared_cookie(options_.cookie));
  co_return res;
}

boost::asio::awaitable<http::response> auth_routes::list_sessions(http::request_context& ctx) {
  auto who = co_await caller_of(ctx);
  if (!who.caller) co_return std::move(who.refusal);
  const auto& caller = who.caller;

  auto sessions = co_await service_.list_sessions(*caller);
  if (!sessions) co_return failure(sessions.error());
  co_return http::json_response(status::ok, render_sessions(*sessions, caller->session.id));
}

boost::asio::awaitable<http::response> auth_routes::end_session(http::request_context& ctx) {
  auto who = co_await caller_of(ctx);
  if (!who.caller) co_return std::move(who.refusal);
  const auto& caller = who.caller;

  const std::string_view id = ctx.path_parameter;
  const auth::client_info client = client_of(ctx);
  auto ended = co_await service_.end_session(*caller, id, client);
  if (!ended) co_return failure(ended.error());
  // Whether the id is malformed, another user's or already ended, the answer is the same.
  if (!*ended) co_return http::detail_response(status::not_found, "Session not found");
  auto res = http::empty_response(status::no_content);
  if (id == caller->session.id) res.insert(field::set_cookie, cleared_cookie(options_.cookie));
  co_return res;
}

boost::asio::awaitable<http::response> auth_routes::change_password(http::request_context& ctx) {
  // Who is asking comes first: an anonymous caller learns nothing of the body's rules.
  auto who = co_await caller_of(ctx);
  if (!who.caller) co_return std::move(who.refusal);
  const auto& caller = who.caller;

  if (!is_json(ctx.req))
    co_return http::detail_response(status::unsupported_media_type, "Unsupported Media Type");
  auto input = parse_password_change(ctx.req.body(), options_.passwords);
  if (!input) co_return http::json_response(status::unprocessable_entity, input.error().to_json());

  auth::client_info client = client_of(ctx);
  auto done = co_await service_.change_password(*caller, std::move(input->current_password),
                                                std::move(input->new_password), std::move(client));
  if (!done) co_return failure(done.error());
  auto res = http::empty_response(status::no_content);
  res.insert(field::set_cookie, session_cookie(options_.cookie, done->token));
  co_return res;
}

}  // namespace authd::api
