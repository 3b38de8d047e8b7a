// A router with authd's real routes installed (auth, health, /openapi.json, docs pages) over a store that
// never answers, and a way to call one of its handlers: what the OpenAPI tests hold the document to.
#pragma once

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/io_context.hpp>
#include <exception>
#include <optional>
#include <string>
#include <string_view>

#include "api/auth_routes.hpp"
#include "api/docs_pages.hpp"
#include "api/health_routes.hpp"
#include "api/metrics_route.hpp"
#include "api/openapi_routes.hpp"
#include "auth/auth_service.hpp"
#include "auth/hash_pool.hpp"
#include "auth/password_hasher.hpp"
#include "auth/token_codec.hpp"
#include "http/responses.hpp"
#include "http/router.hpp"
#include "store/store.hpp"

namespace authd::api::testing {

namespace db = authd::store;

// Installing routes calls nothing in the store; a handler that reaches it is told it is down.
class unreachable_store final : public authd::store::store {
 public:
  template <class T>
  using awaitable_result = boost::asio::awaitable<db::result<T>>;

  awaitable_result<void> create_user(const db::user_record&, const db::session_record&) override {
    co_return db::store_error::unavailable;
  }
  awaitable_result<std::optional<db::user_record>> find_user_by_email_key(std::string_view) override {
    co_return db::store_error::unavailable;
  }
  awaitable_result<void> update_password_hash(std::string_view, std::string_view) override {
    co_return db::store_error::unavailable;
  }
  awaitable_result<void> create_session(const db::session_record&) override {
    co_return db::store_error::unavailable;
  }
  awaitable_result<db::user_and_session> find_user_and_session(std::string_view, std::string_view) override {
    co_return db::store_error::unavailable;
  }
  awaitable_result<void> revoke_session(std::string_view, db::micros) override {
    co_return db::store_error::unavailable;
  }
  awaitable_result<void> touch_session(std::string_view, db::micros) override {
    co_return db::store_error::unavailable;
  }
  awaitable_result<std::vector<db::session_record>> list_live_sessions(std::string_view,
                                                                       db::micros) override {
    co_return db::store_error::unavailable;
  }
  awaitable_result<bool> end_session(std::string_view, std::string_view, db::micros) override {
    co_return db::store_error::unavailable;
  }
  awaitable_result<std::uint64_t> end_sessions_except(std::string_view, std::string_view,
                                                      db::micros) override {
    co_return db::store_error::unavailable;
  }
  awaitable_result<void> change_password(std::string_view, std::string_view, const db::session_record&,
                                         db::micros) override {
    co_return db::store_error::unavailable;
  }
  awaitable_result<std::uint64_t> delete_sessions_ended_before(db::micros) override {
    co_return db::store_error::unavailable;
  }
  awaitable_result<std::vector<db::micros>> find_throttle_blocks(const std::vector<std::string>&) override {
    co_return db::store_error::unavailable;
  }
  awaitable_result<std::vector<db::throttle_state>> record_throttle_failures(
      const std::vector<db::throttle_hit>&, db::micros) override {
    co_return db::store_error::unavailable;
  }
  awaitable_result<void> clear_throttle(std::string_view) override { co_return db::store_error::unavailable; }
  awaitable_result<std::uint64_t> delete_idle_throttles(db::micros) override {
    co_return db::store_error::unavailable;
  }
  boost::asio::awaitable<bool> ping() override { co_return false; }
  db::connection_stats connections() const override { return {}; }
};

// Everything the composition root (src/app/application.cpp) wires for the routes.
struct installed_routes {
  explicit installed_routes(std::string_view version) {
    auth.install(router);
    install_health_routes(router, store);
    install_openapi_route(router, version);
    install_docs_pages(router);
    install_metrics_route(router, metrics);
  }

  unreachable_store store;
  auth::password_hasher hasher{{.memory_kib = 8, .iterations = 1}};
  auth::hash_pool pool{1, 1};
  auth::token_codec tokens{std::string(32, 'k')};
  auth::auth_service service{store, hasher, pool, tokens, {}};
  auth_routes auth{service, {}};
  obs::registry metrics;
  http::router router;
};

// Runs the handler of `req`'s method and target to completion; nullopt when no route matches.
inline std::optional<http::response> call(const http::router& router, const http::request& req) {
  const std::string_view target = req.target();
  const std::string_view path = target.substr(0, target.find('?'));
  const auto found = router.find(req.method(), path);
  if (found.found == nullptr) return std::nullopt;
  boost::asio::io_context io;
  http::request_context ctx{req, path, {}, "test-request", "127.0.0.1"};
  std::optional<http::response> out;
  std::exception_ptr failure;
  boost::asio::co_spawn(io, (*found.found)(ctx), [&](std::exception_ptr e, http::response res) {
    failure = e;
    out = std::move(res);
  });
  io.run();
  if (failure) std::rethrow_exception(failure);
  return out;
}

}  // namespace authd::api::testing
