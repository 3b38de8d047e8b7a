// The /auth/* routes: register, login, me, logout, sessions, password change.
#pragma once

#include <optional>

#include "api/auth_outcomes.hpp"
#include "api/cookies.hpp"
#include "auth/auth_service.hpp"
#include "auth/password_policy.hpp"
#include "http/router.hpp"

namespace authd::api {

struct auth_routes_options {
  cookie_options cookie;
  auth::password_limits passwords;
};

class auth_routes {
 public:
  auth_routes(auth::auth_service& service, auth_routes_options options);

  // Registers POST /auth/register, POST /auth/login, GET /auth/me, GET and POST /auth/logout,
  // GET /auth/sessions, DELETE /auth/sessions/{id}, POST /auth/password.
  void install(http::router& router);

  // Adds the login and registration outcome counts to `r` (this object must outlive its scrapes).
  void register_metrics(obs::registry& r) const { outcomes_.register_with(r); }

 private:
  // The caller's live session (cookie, else Bearer), or the 401 / 503 to answer instead.
  struct caller_or_refusal {
    std::optional<auth::authenticated> caller;
    http::response refusal;
  };
  boost::asio::awaitable<caller_or_refusal> caller_of(const http::request_context& ctx);

  boost::asio::awaitable<http::response> register_account(http::request_context& ctx);
  boost::asio::awaitable<http::response> login(http::request_context& ctx);
  boost::asio::awaitable<http::response> me(http::request_context& ctx);
  boost::asio::awaitable<http::response> logout(http::request_context& ctx);
  boost::asio::awaitable<http::response> logout_with_scope(http::request_context& ctx);
  boost::asio::awaitable<http::response> list_sessions(http::request_context& ctx);
  boost::asio::awaitable<http::response> end_session(http::request_context& ctx);
  boost::asio::awaitable<http::response> change_password(http::request_context& ctx);

  auth::auth_service& service_;
  auth_routes_options options_;
  auth_outcomes outcomes_;
};

}  // namespace authd::api
