// AUTHD_LOG_FORMAT=json on a running server: every line of its log is one JSON object with time,
// level and message; each request's access line and audit line carry the request id that the
// response's X-Request-Id header had, with the event's fields as keys.
#include <boost/json/parse.hpp>
#include <sstream>

#include "support/auth_api.hpp"
#include "support/server_test.hpp"

namespace authd::itest {
namespace {

class json_logs : public server_test {
 protected:
  env_map extra_env() const override { return {{"AUTHD_LOG_FORMAT", "json"}, {"AUTHD_LOG_LEVEL", "debug"}}; }

  std::vector<boost::json::object> lines() {
    std::vector<boost::json::object> out;
    std::istringstream in(server().log_text());
    for (std::string line; std::getline(in, line);) {
      boost::system::error_code ec;
      auto v = boost::json::parse(line, ec);
      EXPECT_FALSE(ec) << "not JSON: " << line;
      EXPECT_TRUE(ec || v.is_object()) << "not an object: " << line;
      if (ec || !v.is_object()) continue;
      const auto& o = v.as_object();
      EXPECT_TRUE(o.contains("time") && o.contains("level") && o.contains("message")) << line;
      out.push_back(o);
    }
    return out;
  }
};

// The lines whose `key` is `value`.
std::vector<boost::json::object> with(const std::vector<boost::json::object>& all, std::string_view key,
                                      std::string_view value) {
  std::vector<boost::json::object> out;
  for (const auto& o : all)
    if (const auto* v = o.if_contains(key); v != nullptr && v->is_string() && v->as_string() == value)
      out.push_back(o);
  return out;
}

TEST_F(json_logs, every_line_is_an_object_and_requests_carry_their_id) {
  auto c = client();
  const auto registered = register_user(c, alice());
  ASSERT_EQ(registered.status, 201u);
  const auto failed = c.post_json("/auth/login", login_body(alice().email, "not-the-password"));
  ASSERT_EQ(failed.status, 401u);
  // An id the client chose is kept (when well-formed) and logged as such.
  const auto me = c.get("/auth/me", {{"X-Request-Id", "client-chosen-id-42"}});
  ASSERT_EQ(me.status, 200u);
  ASSERT_EQ(server().stop_with(SIGTERM), 0);  // flushes the log

  const auto all = lines();
  ASSERT_FALSE(with(all, "message", "stopped").empty()) << "the log is complete";
  ASSERT_FALSE(all.empty());

  struct expected {
    const http_response& res;
    std::string_view method, path;
    std::int64_t status;
    std::string_view audit;  // the audit event of the request, if any
  };
  for (const expected& e : {expected{registered, "POST", "/auth/register", 201, "registered"},
                            expected{failed, "POST", "/auth/login", 401, "login_failed"},
                            expected{me, "GET", "/auth/me", 200, ""}}) {
    ASSERT_TRUE(e.res.header("X-Request-Id"));
    const std::string id = *e.res.header("X-Request-Id");
    const auto of_request = with(all, "request_id", id);
    const auto access = with(of_request, "message", "access");
    ASSERT_EQ(access.size(), 1u) << id;
    EXPECT_EQ(access[0].at("level"), "info");
    EXPECT_EQ(access[0].at("method").as_string(), e.method);
    EXPECT_EQ(access[0].at("path").as_string(), e.path);
    EXPECT_EQ(access[0].at("status"), e.status);
    EXPECT_TRUE(access[0].at("duration_ms").is_number());
    if (!e.audit.empty()) {
      const auto audit = with(of_request, "message", "audit");
      ASSERT_EQ(audit.size(), 1u) << id;
      EXPECT_EQ(audit[0].at("event").as_string(), e.audit);
      EXPECT_EQ(audit[0].at("address"), "127.0.0.1");
    }
  }
  EXPECT_EQ(*me.header("X-Request-Id"), "client-chosen-id-42");
}

}  // namespace
}  // namespace authd::itest
