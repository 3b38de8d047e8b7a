// The OpenAPI document served at /openapi.json, held to the routes authd really registers: every
// documented route is in it with exactly the statuses it can answer, and nothing else is; and the
// document keeps its own promises (references, security, the headers every response carries).
#include <gtest/gtest.h>

#include <algorithm>
#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>
#include <cctype>
#include <iterator>
#include <map>
#include <set>
#include <string>
#include <tuple>
#include <vector>

#include "api/cross_origin_scope.hpp"
#include "auth/name_policy.hpp"
#include "auth/password_policy.hpp"
#include "installed_routes.hpp"

namespace authd::api {
namespace {

namespace json = boost::json;
using http::bhttp::verb;

constexpr std::string_view test_version = "9.8.7-openapi-test";

// Answered by the server itself, for any request on any route (src/http/connection.cpp and
// server.cpp): 400 a request that is not valid HTTP/1.1 or not origin-form, 413 a body over the
// limit, 431 a head over the limit, 500 a handler that threw, 503 the connection limit. The
// document lists them on every operation, on top of the statuses of the route's own handler.
const std::set<unsigned> server_statuses{400, 413, 431, 500, 503};

// Answered by the server to the operations its CSRF check guards (src/http/cross_origin.cpp, with
// the scope the composition root installs): 403 a cross-site browser request, and on unsafe methods
// 415 a body that is not JSON sent with the session cookie.
std::set<unsigned> guard_statuses(const std::string& path, const std::string& method) {
  const http::cross_origin_policy policy(cross_origin_scope({}, "token"));
  std::string upper = method;
  std::transform(upper.begin(), upper.end(), upper.begin(), [](unsigned char c) { return std::toupper(c); });
  const auto m = http::bhttp::string_to_verb(upper);
  if (!policy.guards(m, path)) return {};
  if (m == verb::get || m == verb::head) return {403};
  return {403, 415};
}

// 404 (unknown path) and 405 (known path, other method) belong to no operation; the document has
// them as components, named in info.description.
const std::set<std::string> path_level_responses{"NotFound", "MethodNotAllowed"};

const std::set<std::string> http_methods{"get", "put", "post", "delete", "options", "head", "patch", "trace"};

std::string lower(std::string_view s) {
  std::string out(s);
  std::transform(out.begin(), out.end(), out.begin(), [](unsigned char c) { return std::tolower(c); });
  return out;
}

std::string join(const std::set<std::string>& items) {
  std::string out;
  for (const auto& item : items) out += (out.empty() ? "" : ", ") + item;
  return out.empty() ? "(none)" : out;
}

std::string join(const std::set<unsigned>& items) {
  std::set<std::string> text;
  for (unsigned s : items) text.insert(std::to_string(s));
  return join(text);
}

// "#/components/schemas/Me" -> the value there; nullptr when it does not resolve.
const json::value* resolve_pointer(const json::value& doc, std::string_view ref) {
  if (!ref.starts_with("#/")) return nullptr;
  boost::system::error_code ec;
  const json::value* found = doc.find_pointer(ref.substr(1), ec);
  return ec ? nullptr : found;
}

class openapi_document : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    routes_ = new testing::installed_routes(test_version);
    http::request req{verb::get, "/openapi.json", 11};
    auto res = testing::call(routes_->router, req);
    ASSERT_TRUE(res.has_value()) << "GET /openapi.json is not routed";
    ASSERT_EQ(res->result_int(), 200u);
    body_ = new std::string(res->body());
  }
  static void TearDownTestSuite() {
    delete routes_;
    delete body_;
  }

  // The served document, parsed; a parse failure fails the test that asked.
  static json::value doc() {
    if (body_ == nullptr) {
      ADD_FAILURE() << "GET /openapi.json gave no document (see the suite's set-up)";
      return json::object{};
    }
    boost::system::error_code ec;
    json::value v = json::parse(*body_, ec);
    EXPECT_FALSE(ec) << "/openapi.json is not JSON: " << ec.message();
    return v;
  }

  // Follows a {"$ref": ...} (several, if chained) to what it names.
  static const json::value& deref(const json::value& doc, const json::value& v) {
    const json::value* at = &v;
    for (int hops = 0; hops < 8 && at->is_object() && at->as_object().contains("$ref"); ++hops) {
      const json::value* next = resolve_pointer(doc, at->as_object().at("$ref").as_string());
      if (next == nullptr) return *at;
      at = next;
    }
    return *at;
  }

  struct operation {
    std::string path, method;  // method lowercase, as the document spells it
    const json::object* op;
  };
  static std::vector<operation> operations(const json::value& doc) {
    std::vector<operation> out;
    for (const auto& [path, item] : doc.at("paths").as_object())
      for (const auto& [method, op] : item.as_object())
        if (http_methods.contains(std::string(method)))
          out.push_back({std::string(path), std::string(method), &op.as_object()});
    return out;
  }

  // (path, method) -> statuses, for the routes the document must describe.
  static std::map<std::pair<std::string, std::string>, std::set<unsigned>> documented_routes() {
    std::map<std::pair<std::string, std::string>, std::set<unsigned>> out;
    for (const auto& r : routes_->router.routes()) {
      // HEAD is served by GET wherever GET is, and not described on its own.
      if (!r.doc.documented || r.method == verb::head) continue;
      out[{r.path, lower(http::bhttp::to_string(r.method))}] =
          std::set<unsigned>(r.doc.statuses.begin(), r.doc.statuses.end());
    }
    return out;
  }

  static std::string name(const operation& o) { return lower(o.method) + " " + o.path; }

  static testing::installed_routes* routes_;
  static std::string* body_;
};

testing::installed_routes* openapi_document::routes_ = nullptr;
std::string* openapi_document::body_ = nullptr;

TEST_F(openapi_document, is_openapi_3_1_with_the_running_version) {
  const auto d = doc();
  ASSERT_TRUE(d.is_object());
  EXPECT_EQ(d.at("openapi"), "3.1.0");
  EXPECT_EQ(d.at("info").at("title"), "authd");
  EXPECT_EQ(d.at("info").at("version"), json::string(test_version))
      << "info.version must be what install_openapi_route got";
}

TEST_F(openapi_document, describes_every_documented_route_and_nothing_else) {
  const auto d = doc();
  const auto routes = documented_routes();
  std::set<std::string> undocumented, unrouted;
  for (const auto& [key, statuses] : routes) {
    const auto* item = d.at("paths").as_object().if_contains(key.first);
    if (item == nullptr || !item->as_object().contains(key.second))
      undocumented.insert(key.second + " " + key.first);
  }
  for (const auto& o : operations(d))
    if (!routes.contains({o.path, o.method})) unrouted.insert(name(o));
  EXPECT_TRUE(undocumented.empty()) << "routes missing from src/api/openapi.json: " << join(undocumented);
  EXPECT_TRUE(unrouted.empty()) << "operations in src/api/openapi.json that no route serves: "
                                << join(unrouted);
}

TEST_F(openapi_document, each_operation_lists_its_routes_statuses_and_the_servers) {
  const auto d = doc();
  const auto routes = documented_routes();
  for (const auto& o : operations(d)) {
    const auto route = routes.find({o.path, o.method});
    if (route == routes.end()) continue;  // reported by the test above
    std::set<unsigned> expected = route->second;
    expected.insert(server_statuses.begin(), server_statuses.end());
    const auto guarded = guard_statuses(o.path, o.method);
    expected.insert(guarded.begin(), guarded.end());
    std::set<unsigned> documented;
    for (const auto& [key, response] : o.op->at("responses").as_object()) {
      const std::string code(key);
      const bool numeric = code.size() == 3 &&
                           std::all_of(code.begin(), code.end(), [](char c) { return c >= '0' && c <= '9'; });
      if (numeric)
        documented.insert(static_cast<unsigned>(std::stoul(code)));
      else
        ADD_FAILURE() << name(o) << ": response " << code << " is not one status (no ranges, no default)";
    }
    std::set<unsigned> missing, extra;
    std::set_difference(expected.begin(), expected.end(), documented.begin(), documented.end(),
                        std::inserter(missing, missing.end()));
    std::set_difference(documented.begin(), documented.end(), expected.begin(), expected.end(),
                        std::inserter(extra, extra.end()));
    EXPECT_TRUE(missing.empty()) << name(o)
                                 << ": statuses the route or the server answers but the document lacks: "
                                 << join(missing);
    EXPECT_TRUE(extra.empty()) << name(o)
                               << ": statuses in the document that neither the route's route_doc nor "
                               << "the server answers: " << join(extra);
  }
}

TEST_F(openapi_document, every_reference_resolves) {
  const auto d = doc();
  std::vector<std::string> broken;
  // Depth first over every value; the document is small.
  std::vector<std::pair<const json::value*, std::string>> todo{{&d, ""}};
  std::size_t refs = 0;
  while (!todo.empty()) {
    auto [v, where] = todo.back();
    todo.pop_back();
    if (v->is_array()) {
      for (std::size_t i = 0; i < v->as_array().size(); ++i)
        todo.emplace_back(&v->as_array()[i], where + "/" + std::to_string(i));
    } else if (v->is_object()) {
      for (const auto& [k, child] : v->as_object()) {
        if (k == "$ref" && child.is_string()) {
          ++refs;
          if (resolve_pointer(d, child.as_string()) == nullptr)
            broken.push_back(where + ": " + std::string(child.as_string()));
        } else {
          todo.emplace_back(&child, where + "/" + std::string(k));
        }
      }
    }
  }
  EXPECT_GT(refs, 0u);
  for (const auto& b : broken) ADD_FAILURE() << "unresolved $ref at " << b;
}

TEST_F(openapi_document, has_the_cookie_and_bearer_schemes_and_me_requires_one) {
  const auto d = doc();
  const auto* schemes = d.at("components").as_object().if_contains("securitySchemes");
  ASSERT_NE(schemes, nullptr) << "components.securitySchemes is missing";
  const auto* cookie = schemes->as_object().if_contains("cookieAuth");
  ASSERT_NE(cookie, nullptr) << "securitySchemes.cookieAuth is missing";
  EXPECT_EQ(cookie->at("type"), "apiKey");
  EXPECT_EQ(cookie->at("in"), "cookie");
  EXPECT_EQ(cookie->at("name"), "token") << "the default AUTHD_COOKIE_NAME";
  const auto* bearer = schemes->as_object().if_contains("bearerAuth");
  ASSERT_NE(bearer, nullptr) << "securitySchemes.bearerAuth is missing";
  EXPECT_EQ(bearer->at("type"), "http");
  EXPECT_EQ(bearer->at("scheme"), "bearer");
  EXPECT_EQ(bearer->at("bearerFormat"), "JWT");

  const auto& me = d.at("paths").at("/auth/me").at("get").as_object();
  ASSERT_TRUE(me.contains("security")) << "GET /auth/me has no security requirement";
  const auto& security = me.at("security").as_array();
  const json::value cookie_only = json::object{{"cookieAuth", json::array{}}};
  const json::value bearer_only = json::object{{"bearerAuth", json::array{}}};
  EXPECT_NE(std::find(security.begin(), security.end(), cookie_only), security.end())
      << "GET /auth/me does not accept the cookie: " << json::serialize(security);
  EXPECT_NE(std::find(security.begin(), security.end(), bearer_only), security.end())
      << "GET /auth/me does not accept a Bearer token: " << json::serialize(security);
  EXPECT_EQ(std::find(security.begin(), security.end(), json::value(json::object{})), security.end())
      << "GET /auth/me must not be documented as callable without a token";

  // Every requirement anywhere names a scheme that exists.
  for (const auto& o : operations(d)) {
    const auto* reqs = o.op->if_contains("security");
    if (reqs == nullptr) continue;
    for (const auto& req : reqs->as_array())
      for (const auto& [scheme, scopes] : req.as_object())
        EXPECT_TRUE(schemes->as_object().contains(scheme))
            << name(o) << ": unknown security scheme " << scheme;
  }
}

TEST_F(openapi_document, every_response_carries_the_request_id_and_nosniff) {
  const auto d = doc();
  for (const auto& o : operations(d)) {
    for (const auto& [code, r] : o.op->at("responses").as_object()) {
      const auto& response = deref(d, r).as_object();
      const auto* headers = response.if_contains("headers");
      const json::value ref_to_request_id = json::object{{"$ref", "#/components/headers/RequestId"}};
      EXPECT_TRUE(headers != nullptr && headers->as_object().if_contains("X-Request-Id") != nullptr &&
                  headers->at("X-Request-Id") == ref_to_request_id)
          << name(o) << " " << code << ": no X-Request-Id header referencing #/components/headers/RequestId";
      EXPECT_TRUE(headers != nullptr && headers->as_object().contains("X-Content-Type-Options"))
          << name(o) << " " << code << ": no X-Content-Type-Options header";
    }
  }
  // 404 and 405 are made for paths and methods outside any operation: components, with the same headers.
  const auto& responses = d.at("components").at("responses").as_object();
  for (const auto& n : path_level_responses) {
    ASSERT_TRUE(responses.contains(n)) << "components.responses." << n << " is missing";
    EXPECT_TRUE(responses.at(n).at("headers").as_object().contains("X-Request-Id")) << n;
  }
  EXPECT_TRUE(responses.at("MethodNotAllowed").at("headers").as_object().contains("Allow"))
      << "the 405 response must document the Allow header";
}

TEST_F(openapi_document, sessions_are_set_and_cleared_with_set_cookie) {
  const auto d = doc();
  const std::vector<std::tuple<std::string, std::string, std::string>> expected{
      {"/auth/register", "post", "201"},        {"/auth/login", "post", "200"},
      {"/auth/logout", "get", "204"},           {"/auth/logout", "post", "204"},
      {"/auth/sessions/{id}", "delete", "204"}, {"/auth/password", "post", "204"}};
  for (const auto& [path, method, code] : expected) {
    const auto* response = d.at("paths").at(path).at(method).at("responses").as_object().if_contains(code);
    ASSERT_NE(response, nullptr) << method << " " << path << " has no " << code;
    const auto* headers = deref(d, *response).as_object().if_contains("headers");
    EXPECT_TRUE(headers != nullptr && headers->as_object().contains("Set-Cookie"))
        << method << " " << path << " " << code << ": no Set-Cookie header";
  }
}

TEST_F(openapi_document, every_503_says_retry_after) {
  const auto d = doc();
  for (const auto& o : operations(d)) {
    const auto* response = o.op->at("responses").as_object().if_contains("503");
    if (response == nullptr) continue;  // the status test reports it
    const auto* headers = deref(d, *response).as_object().if_contains("headers");
    EXPECT_TRUE(headers != nullptr && headers->as_object().contains("Retry-After"))
        << name(o) << " 503: no Retry-After header";
  }
}

TEST_F(openapi_document, auth_handlers_answers_say_no_store) {
  const auto d = doc();
  const auto routes = documented_routes();
  for (const auto& o : operations(d)) {
    if (!o.path.starts_with("/auth/")) continue;
    const auto route = routes.find({o.path, o.method});
    if (route == routes.end()) continue;
    // The handler's own answers pass the /auth/ prefix header; those the server makes before a
    // request is read whole (400, 413, 431, the connection limit's 503) do not.
    for (unsigned status : route->second) {
      const auto* response = o.op->at("responses").as_object().if_contains(std::to_string(status));
      if (response == nullptr) continue;
      const auto* headers = deref(d, *response).as_object().if_contains("headers");
      const auto* cache = headers == nullptr ? nullptr : headers->as_object().if_contains("Cache-Control");
      ASSERT_NE(cache, nullptr) << name(o) << " " << status << ": no Cache-Control header";
      EXPECT_EQ(deref(d, *cache).at("schema").at("const"), "no-store") << name(o) << " " << status;
    }
  }
}

TEST_F(openapi_document, error_bodies_are_detail_or_the_validation_list) {
  const auto d = doc();
  for (const auto& o : operations(d)) {
    for (const auto& [code, r] : o.op->at("responses").as_object()) {
      if (code.size() != 3 || code[0] < '4') continue;
      const auto& response = deref(d, r).as_object();
      const auto* content = response.if_contains("content");
      ASSERT_NE(content, nullptr) << name(o) << " " << code << ": an error without a body";
      const auto* schema = content->as_object().contains("application/json")
                               ? content->at("application/json").as_object().if_contains("schema")
                               : nullptr;
      ASSERT_NE(schema, nullptr) << name(o) << " " << code << ": no application/json schema";
      const char* expected =
          code == "422" ? "#/components/schemas/ValidationError" : "#/components/schemas/Detail";
      EXPECT_EQ(*schema, (json::object{{"$ref", expected}})) << name(o) << " " << code;
    }
  }
}

TEST_F(openapi_document, request_limits_are_the_codes_defaults) {
  const auto d = doc();
  const auth::password_limits defaults;
  const auto& schemas = d.at("components").at("schemas");
  const auto& reg = schemas.at("RegisterRequest").at("properties");
  EXPECT_EQ(reg.at("password").at("minLength"), defaults.min_length);
  EXPECT_EQ(reg.at("password").at("maxLength"), defaults.max_length);
  const auto& name = deref(d, reg.at("name"));
  EXPECT_EQ(name.at("minLength"), auth::name_min_length);
  EXPECT_EQ(name.at("maxLength"), auth::name_max_length);
  EXPECT_EQ(deref(d, reg.at("email")).at("format"), "email");
  const auto required = [&](std::string_view schema) {
    std::set<std::string> out;
    for (const auto& f : schemas.at(schema).at("required").as_array()) out.insert(std::string(f.as_string()));
    return out;
  };
  EXPECT_EQ(required("RegisterRequest"), (std::set<std::string>{"name", "email", "password"}));
  EXPECT_EQ(required("LoginRequest"), (std::set<std::string>{"email", "password"}));
  const auto& login_password = schemas.at("LoginRequest").at("properties").at("password").as_object();
  EXPECT_EQ(login_password.at("maxLength"), defaults.max_length);
  EXPECT_FALSE(login_password.contains("minLength")) << "login checks no minimum (accounts carried over)";
}

TEST_F(openapi_document, validation_examples_use_the_types_the_schema_lists) {
  const auto d = doc();
  const auto& item = d.at("components").at("schemas").at("ValidationErrorItem");
  const auto& types = item.at("properties").at("type").at("enum").as_array();
  for (const auto& o : operations(d)) {
    const auto* response = o.op->at("responses").as_object().if_contains("422");
    if (response == nullptr) continue;
    const auto& examples =
        deref(d, *response).at("content").at("application/json").at("examples").as_object();
    EXPECT_FALSE(examples.empty()) << name(o) << " 422 has no examples";
    for (const auto& [example_name, example] : examples) {
      for (const auto& problem : example.at("value").at("detail").as_array()) {
        const auto& p = problem.as_object();
        for (const char* key : {"type", "loc", "msg", "input"})
          EXPECT_TRUE(p.contains(key)) << name(o) << " example " << example_name << " lacks " << key;
        EXPECT_NE(std::find(types.begin(), types.end(), p.at("type")), types.end())
            << name(o) << " example " << example_name << ": type " << p.at("type") << " is not in the enum";
      }
    }
  }
}

}  // namespace
}  // namespace authd::api
