#include "api/auth_routes.hpp"

#include <algorithm>
#include <cstdint>
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
  if (ua != ctx.req.end()) client.user_agent = std::string(ua->value().substr(0, 512));
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
    case auth::auth_error::busy:
    case auth::auth_error::unavailable:
      return unavailable();
    case auth::auth_error::internal:
      break;
  }
  return http::detail_response(status::internal_server_error, "Internal Server Error");
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
  router.add(verb::post, "/auth/logout", [this](http::request_context& ctx) { return logout(ctx); },
             {.statuses = {204}});
}

boost::asio::awaitable<http::response> auth_routes::register_account(http::request_context& ctx) {
  if (!is_json(ctx.req))
    co_return http::detail_response(status::unsupported_media_type, "Unsupported Media Type");
  auto input = parse_register(ctx.req.body(), options_.passwords);
  if (!input) co_return http::json_response(status::unprocessable_entity, input.error().to_json());

  // Named arguments, not temporaries, in co_await expressions (see auth_service.cpp).
  auth::new_account account{std::move(input->name), std::move(input->email), std::move(input->password)};
  auth::client_info client = client_of(ctx);
  auto done = co_await service_.register_account(std::move(account), std::move(client));
  if (!done) co_return failure(done.error());

  auto res = http::json_response(status::created, render_registered(done->user));
  res.insert(field::set_cookie, session_cookie(options_.cookie, done->token));
  co_return res;
}

boost::asio::awaitable<http::response> auth_routes::login(http::request_context& ctx) {
  if (!is_json(ctx.req))
    co_return http::detail_response(status::unsupported_media_type, "Unsupported Media Type");
  auto input = parse_login(ctx.req.body(), options_.passwords);
  if (!input) co_return http::json_response(status::unprocessable_entity, input.error().to_json());

  auth::client_info client = client_of(ctx);
  auto done = co_await service_.login(std::move(input->email), std::move(input->password), std::move(client));
  if (!done) co_return failure(done.error());

  auto res = http::json_response(status::ok, render_logged_in(done->user));
  res.insert(field::set_cookie, session_cookie(options_.cookie, done->token));
  co_return res;
}

boost::asio::awaitable<http::response> auth_routes::me(http::request_context& ctx) {
  auto token = find_token(ctx.req, options_.cookie);
  if (!token) co_return http::detail_response(status::unauthorized, "Not authenticated");

  auto user = co_await service_.authenticate(*token);
  if (!user) {
    switch (user.error()) {
      case auth::token_failure::invalid:
        co_return http::detail_response(status::unauthorized, "Invalid token");
      case auth::token_failure::expired:
        co_return http::detail_response(status::unauthorized, "Expired token");
      case auth::token_failure::user_not_found:
        co_return http::detail_response(status::unauthorized, "User not found");
      case auth::token_failure::unavailable:
        co_return unavailable();
      case auth::token_failure::internal:
        break;
    }
    co_return http::detail_response(status::internal_server_error, "Internal Server Error");
  }
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

}  // namespace authd::api
