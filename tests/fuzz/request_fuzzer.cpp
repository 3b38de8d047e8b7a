// Fuzz target: whole requests through authd's real routes. The bytes are read by Beast's request
// parser under the server's header and body limits (several pipelined requests in a row, like a
// connection reads them), routed and answered as src/http/connection.cpp does, by the auth, health,
// OpenAPI and docs routes over the embedded SQLite store. Every answer must be well-formed HTTP with
// a status its route declares, never a 500, with the bodies the contract promises.
//
// So that the fuzzer can reach the authenticated paths, "@TOKEN@" in the input becomes a genuine
// token of a fresh session of a known user (fuzz@example.com, password "fuzzing correct horse"),
// "@LAST@" the token issued last (to use a session after ending it), and "@EXPIRED@" a genuine but
// expired one.
#include <spdlog/spdlog.h>
#include <stdlib.h>

#include <algorithm>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/beast/http/parser.hpp>
#include <boost/beast/http/read.hpp>
#include <boost/beast/http/write.hpp>
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <exception>
#include <filesystem>
#include <functional>
#include <memory>
#include <optional>
#include <sstream>
#include <string>
#include <string_view>
#include <system_error>
#include <vector>

#include "api/auth_routes.hpp"
#include "api/cookies.hpp"
#include "api/cross_origin_scope.hpp"
#include "api/docs_pages.hpp"
#include "api/health_routes.hpp"
#include "api/openapi_routes.hpp"
#include "auth/auth_service.hpp"
#include "auth/ids.hpp"
#include "auth/token_codec.hpp"
#include "fuzz_check.hpp"
#include "http/connection.hpp"
#include "http/dispatch.hpp"
#include "http/request_id.hpp"
#include "http/responses.hpp"
#include "http/router.hpp"
#include "http/server.hpp"
#include "store/sqlite/sqlite_migrations.hpp"
#include "store/sqlite/sqlite_store.hpp"
#include "token_signing.hpp"
#include "unit/store/run_sync.hpp"

namespace {

using namespace authd;
namespace bhttp = boost::beast::http;

constexpr std::size_t max_requests_per_input = 8;
constexpr std::string_view known_email = "fuzz@example.com";
constexpr std::string_view known_password = "fuzzing correct horse";

// Each on an io_context of its own: the handler runs to completion before the next input.
template <class T>
T run(boost::asio::awaitable<T> work) {
  boost::asio::io_context io;
  return store::test_support::run_sync(io, std::move(work));
}

// Under $TMPDIR when set (run-fuzzer points it at a directory it removes, whatever happens to the
// fuzzer), else in memory when possible: the store syncs every commit.
std::filesystem::path make_temp_dir() {
  std::error_code ec;
  const std::filesystem::path base =
      std::getenv("TMPDIR") == nullptr && std::filesystem::is_directory("/dev/shm", ec)
          ? "/dev/shm"
          : std::filesystem::temp_directory_path();
  std::string pattern = (base / "authd-fuzz-XXXXXX").string();
  if (::mkdtemp(pattern.data()) == nullptr) std::abort();
  return pattern;
}

// Removed at exit, and also when an invariant breaks (FUZZ_CHECK aborts, which skips destructors).
struct temp_dir {
  inline static std::filesystem::path current;
  std::filesystem::path path = make_temp_dir();
  temp_dir() {
    current = path;
    fuzz::before_abort = [] {
      std::error_code ignored;
      std::filesystem::remove_all(current, ignored);
    };
  }
  ~temp_dir() {
    fuzz::before_abort = nullptr;
    std::error_code ignored;
    std::filesystem::remove_all(path, ignored);
  }
};

std::unique_ptr<store::sqlite::sqlite_store> open_store(const std::filesystem::path& file) {
  auto migrator = store::sqlite::migrator::open(file);
  FUZZ_CHECK(migrator && migrator->up(), "cannot create the fuzzing database");
  auto opened = store::sqlite::sqlite_store::open({.file = file, .connections = 1});
  FUZZ_CHECK(opened.has_value(), "cannot open the fuzzing database");
  return std::move(*opened);
}

// What src/app/application.cpp wires, on a fresh SQLite database, with Argon2 at the cheapest cost
// the settings allow (AUTHD_ARGON2_MEMORY_KIB=1024, AUTHD_ARGON2_ITERATIONS=1).
struct service_under_test {
  temp_dir dir;
  std::unique_ptr<store::sqlite::sqlite_store> store = open_store(dir.path / "authd.db");
  auth::password_hasher hasher{{.memory_kib = 1024, .iterations = 1}};
  auth::hash_pool pool{1, 16};
  auth::token_codec tokens{std::string(fuzz::token_secret)};
  auth::auth_service service{*store, hasher, pool, tokens, {}};
  api::auth_routes auth{service, {}};
  http::router router;
  http::server_limits limits;
  // As a deployment behind a proxy with a browser front end: X-Forwarded-For from the fuzzer's
  // peer address is read, and one other origin may call with credentials.
  http::request_policy policy{.proxies = *http::trusted_proxies::parse({"127.0.0.1"}),
                              .cross_origin = http::cross_origin_policy(
                                  api::cross_origin_scope({"https://app.example.com"}, "token"))};
  std::string known_user_id;

  service_under_test() {
    auth.install(router);
    api::install_health_routes(router, *store);
    api::install_docs_pages(router);
    api::install_openapi_route(router, "0.0.0-fuzz");

    auto email = auth::normalize_email(known_email);
    FUZZ_CHECK(email.has_value(), "the known user's email");
    auth::new_account account{"Fuzz", std::move(*email), std::string(known_password)};
    auth::client_info client{};
    auto registered = run(service.register_account(std::move(account), std::move(client)));
    FUZZ_CHECK(registered.has_value(), "cannot register the known user");
    known_user_id = registered->user.id;
  }

  // A genuine token of a new session of the known user, expiring `lifetime` from now (negative:
  // already expired).
  std::string new_token(std::chrono::seconds lifetime) {
    const auto now = auth::system_now();
    store::session_record session{.id = auth::random_uuid(),
                                  .user_id = known_user_id,
                                  .created = now,
                                  .expires = now + std::chrono::microseconds(lifetime).count(),
                                  .revoked = std::nullopt,
                                  .user_agent = "fuzz",
                                  .client_address = "127.0.0.1",
                                  .last_used = now};
    FUZZ_CHECK(run(store->create_session(session)).has_value(), "cannot create a session");
    const auto seconds = now / 1'000'000;
    return tokens.issue({.subject = known_user_id,
                         .session_id = session.id,
                         .issued_at = seconds,
                         .expires_at = seconds + lifetime.count()});
  }
};

service_under_test& sut() {
  static service_under_test instance;
  return instance;
}

void replace_all(std::string& text, std::string_view from, const std::function<std::string()>& to) {
  for (auto at = text.find(from); at != std::string::npos; at = text.find(from, at)) {
    const std::string replacement = to();
    text.replace(at, from.size(), replacement);
    at += replacement.size();
  }
}

// The statuses `method` on `path` declares (a HEAD is answered by the GET route).
std::vector<unsigned> declared_statuses(const http::router& router, bhttp::verb method,
                                        std::string_view path) {
  const bhttp::verb as = method == bhttp::verb::head ? bhttp::verb::get : method;
  // A route whose last segment is "{name}" matches one non-empty segment (http/router.hpp).
  auto matches = [path](std::string_view pattern) {
    if (pattern.ends_with('}')) {
      const auto prefix = pattern.substr(0, pattern.rfind('/') + 1);
      const auto rest = path.substr(std::min(path.size(), prefix.size()));
      return path.starts_with(prefix) && !rest.empty() && rest.find('/') == std::string_view::npos;
    }
    return pattern == path;
  };
  for (const auto& route : router.routes())
    if (matches(route.path) && (route.method == method || route.method == as)) return route.doc.statuses;
  return {};
}

// serve_one, minus the socket: http::dispatch, as the connection calls it.
http::response answer(service_under_test& s, const http::request& req, const std::string& request_id) {
  const std::string_view target = req.target();
  const std::string_view path = target.substr(0, target.find('?'));
  if (target.empty() || target.front() != '/')
    return http::detail_response(bhttp::status::bad_request, "Bad Request");
  const std::string_view query = target.substr(std::min(target.size(), path.size() + 1));
  std::size_t path_index = 0;
  auto res = run(http::dispatch(s.router, s.policy, req, path, query, request_id, "127.0.0.1", path_index));
  s.policy.cross_origin.decorate(req, res);
  return res;
}

void check_answer(service_under_test& s, const http::request& req, http::response& res) {
  const std::string_view target = req.target();
  const std::string_view path = target.substr(0, target.find('?'));
  const unsigned status = res.result_int();
  const std::string what = std::string(req.method_string()) + " " + std::string(target) + " -> " +
                           std::to_string(status) + " " + res.body();

  FUZZ_CHECK(status != 500, what);
  const bool routed = !target.empty() && target.front() == '/';
  const auto declared = declared_statuses(s.router, req.method(), path);
  if (!routed)
    FUZZ_CHECK(status == 400, what);
  else if (declared.empty() || s.router.find(req.method(), path).found == nullptr)
    // 204 / 403: a CORS preflight (OPTIONS) answered where a 405 would be.
    FUZZ_CHECK(status == 404 || status == 405 ||
                   (req.method() == bhttp::verb::options && (status == 204 || status == 403)),
               what);
  else if (s.policy.cross_origin.guards(req.method(), path) && (status == 403 || status == 415))
    FUZZ_CHECK(fuzz::parse_json(res.body()).has_value(), what);  // refused before the handler
  else
    FUZZ_CHECK(std::find(declared.begin(), declared.end(), status) != declared.end(), what);
  if (status == 405) FUZZ_CHECK(!res[bhttp::field::allow].empty(), what);

  const bool head = req.method() == bhttp::verb::head;
  const std::string_view content_type = res[bhttp::field::content_type];
  const bool has_body = !head && status != 204 && status != 304;
  if (content_type.starts_with("application/json") && has_body) {
    FUZZ_CHECK(fuzz::parse_json(res.body()).has_value(), what);
    if (status == 422)
      fuzz::check_validation_body(res.body());
    else if (status >= 400)
      fuzz::check_detail_body(res.body());
  } else if (status >= 400 && has_body) {
    FUZZ_CHECK(false, what + " (an error answer that is not JSON)");
  }
  if (path.starts_with("/auth/")) FUZZ_CHECK(res[bhttp::field::cache_control] == "no-store", what);

  // A new session: its cookie holds a token that the service accepts.
  if ((status == 200 || status == 201) && (path == "/auth/login" || path == "/auth/register")) {
    http::request echo{bhttp::verb::get, "/auth/me", 11};
    echo.set(bhttp::field::cookie, res[bhttp::field::set_cookie]);
    const auto token = api::find_cookie(echo, "token");
    FUZZ_CHECK(token && s.tokens.verify(*token, auth::system_now() / 1'000'000).has_value(), what);
  }
  // The success bodies of the contract (DESIGN.md section 1), field for field.
  const auto has_strings = [&](std::initializer_list<std::string_view> names) {
    const auto body = fuzz::parse_json(res.body());
    FUZZ_CHECK(body && body->is_object() && body->as_object().size() == names.size(), what);
    for (const auto name : names) {
      const auto* field = body->as_object().if_contains(name);
      FUZZ_CHECK(field != nullptr && field->is_string(), what);
    }
    return *body;
  };
  if (!head && status == 201 && path == "/auth/register")
    FUZZ_CHECK(auth::is_uuid(has_strings({"id"}).at("id").as_string()), what);
  if (!head && status == 200 && path == "/auth/login") has_strings({"id", "name", "email"});
  if (!head && status == 200 && path == "/auth/me")
    FUZZ_CHECK(has_strings({"id", "name", "email", "created"}).at("created").as_string().ends_with("Z"),
               what);
  if (!head && status == 401 && path == "/auth/me") {
    const auto body = fuzz::parse_json(res.body());
    const std::string_view detail = body->at("detail").as_string();
    FUZZ_CHECK(detail == "Not authenticated" || detail == "Invalid token" || detail == "Expired token" ||
                   detail == "User not found",
               what);
  }
  // Logout (the default scope) never fails; only a cross-site one is refused before it runs.
  if (path == "/auth/logout" && status == 204) FUZZ_CHECK(res.body().empty(), what);
  if (path == "/auth/logout" && req.method() == bhttp::verb::get)
    FUZZ_CHECK(status == 204 || status == 403, what);

  // What goes on the wire reads back as one well-formed response with the same status and body.
  std::ostringstream wire;
  wire << res;
  const std::string bytes = wire.str();
  bhttp::response_parser<bhttp::string_body> parser;
  parser.skip(head);
  parser.eager(true);
  parser.body_limit(std::uint64_t{64} * 1024 * 1024);  // the docs pages serve megabytes of script
  boost::system::error_code ec;
  parser.put(boost::asio::buffer(bytes), ec);
  if (!ec && !parser.is_done() && !head) parser.put_eof(ec);
  FUZZ_CHECK(!ec && parser.is_done(), bytes);
  FUZZ_CHECK(parser.get().result_int() == status, bytes);
  FUZZ_CHECK(parser.get().body() == res.body(), bytes);
  FUZZ_CHECK(!parser.get()["X-Request-Id"].empty(), bytes);
}

}  // namespace

extern "C" int LLVMFuzzerInitialize(int*, char***) {
  spdlog::set_level(spdlog::level::off);  // the access and audit lines would drown the fuzzer's
  sut();
  return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  auto& s = sut();
  std::string input(reinterpret_cast<const char*>(data), size);
  std::string last;
  replace_all(input, "@TOKEN@", [&] { return last = s.new_token(std::chrono::minutes(30)); });
  replace_all(input, "@LAST@", [&] { return last; });
  replace_all(input, "@EXPIRED@", [&] { return s.new_token(std::chrono::seconds(-60)); });

  std::string_view rest = input;
  for (std::size_t n = 0; n < max_requests_per_input && !rest.empty(); ++n) {
    bhttp::request_parser<http::request::body_type> parser;
    parser.header_limit(static_cast<std::uint32_t>(s.limits.max_header_bytes));
    parser.body_limit(s.limits.max_body_bytes);
    parser.eager(true);
    boost::system::error_code ec;
    while (!ec && !parser.is_done() && !rest.empty()) {
      const std::size_t used = parser.put(boost::asio::buffer(rest.data(), rest.size()), ec);
      rest.remove_prefix(used);
      if (used == 0 && !ec) break;
    }
    // Refused by the parser (the server answers 400, 413 or 431 and closes), or incomplete (the
    // server would wait for the rest): nothing reaches a handler.
    if (ec || !parser.is_done()) return 0;

    const http::request& req = parser.get();
    const std::string request_id = http::accept_or_new_request_id(req["X-Request-Id"]);
    http::response res = answer(s, req, request_id);
    s.router.apply_prefix_headers(req.target().substr(0, req.target().find('?')), res);
    http::detail::finalize_response(res, req.version(), request_id, !req.keep_alive(),
                                    req.method() == bhttp::verb::head);
    check_answer(s, req, res);
    if (!req.keep_alive()) return 0;
  }
  return 0;
}
