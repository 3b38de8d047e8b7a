// Two authd processes on one database behind nginx running docs/nginx/authd.conf (TLS aside): the
// API through the proxy, both instances answering, logout seen by both, the real client address in
// the audit trail, and an instance killed mid-run without losing an answered request.
#include <gmock/gmock.h>

#include <atomic>
#include <boost/json/serialize.hpp>
#include <csignal>
#include <exception>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "postgres/postgres_test.hpp"
#include "support/audit_lines.hpp"
#include "support/auth_api.hpp"
#include "support/http_client.hpp"
#include "support/nginx_proxy.hpp"
#include "support/test_database.hpp"
#include "support/test_server.hpp"

namespace authd::itest {
namespace {

using ::testing::Each;
using ::testing::SizeIs;

// The test client's own loopback address: nginx connects to authd from 127.0.0.1, so an audited
// 127.0.0.2 can only have come from X-Forwarded-For.
constexpr const char* client_address = "127.0.0.2";

env_map behind_proxy(const test_database& database) {
  return {{"DATABASE_URL", database.url()},
          {"AUTHD_MIGRATE_ON_START", "true"},
          {"JWT_SECRET", shared_jwt_secret},
          {"AUTHD_TRUSTED_PROXIES", "127.0.0.1"},
          // Every registration here comes from one address; the limit is not what is tested.
          {"AUTHD_THROTTLE_ADDRESS_REGISTRATIONS", "0"}};
}

class behind_nginx : public postgres_test {
 protected:
  void SetUp() override {
    postgres_test::SetUp();
    if (HasFatalFailure()) return;
    database_.emplace();
    a_.emplace(behind_proxy(*database_));
    b_.emplace(behind_proxy(*database_));
    nginx_.emplace(a_->port(), b_->port());
  }

  test_server& a() { return *a_; }
  test_server& b() { return *b_; }
  nginx_proxy& nginx() { return *nginx_; }
  http_client through_nginx() { return http_client(nginx_->port(), client_address); }

  // Which instance logged the access line of the request with `request_id` ("a", "b", or "" when
  // neither did within the polling deadline). Log lines reach the file within a few milliseconds.
  std::string answered_by(const std::string& request_id) {
    const std::string needle = "request_id=" + request_id;
    std::string who;
    eventually([&] {
      if (a_->running() && a_->log_text().find(needle) != std::string::npos) who = "a";
      if (b_->log_text().find(needle) != std::string::npos) who += "b";
      return !who.empty();
    });
    return who;
  }

 private:
  // In declaration order: the database outlives the servers, the servers outlive nginx.
  std::optional<test_database> database_;
  std::optional<test_server> a_;
  std::optional<test_server> b_;
  std::optional<nginx_proxy> nginx_;
};

TEST_F(behind_nginx, registers_logs_in_and_answers_who_through_the_proxy) {
  auto c = through_nginx();
  const auto registered = register_user(c, alice());
  ASSERT_EQ(registered.status, 201u) << ::testing::PrintToString(registered);
  const auto logged_in = login(c, alice());
  ASSERT_EQ(logged_in.status, 200u) << ::testing::PrintToString(logged_in);
  const auto me = c.get("/auth/me");
  ASSERT_EQ(me.status, 200u) << ::testing::PrintToString(me);
  EXPECT_EQ(me.json().as_object().at("email").as_string(), alice().email);

  // The documented configuration's own additions: HSTS, and nginx's request id passed to authd.
  EXPECT_EQ(me.header("Strict-Transport-Security"), "max-age=63072000; includeSubDomains");
  ASSERT_TRUE(me.header("X-Request-Id"));
  EXPECT_THAT(*me.header("X-Request-Id"), ::testing::MatchesRegex("[0-9a-f]{32}"));
  // nginx logs a request after answering it.
  const std::string logged = "request_id=" + *me.header("X-Request-Id");
  EXPECT_TRUE(eventually([&] { return nginx().access_log().find(logged) != std::string::npos; }))
      << nginx().access_log();

  // The metrics stay inside: the configuration does not forward them.
  const auto metrics = c.get("/metrics");
  EXPECT_EQ(metrics.status, 404u);
  EXPECT_NE(metrics.header("Content-Type"), "application/json") << "nginx's own 404, not authd's";

  // Plain HTTP only redirects.
  const auto redirected = http_client(nginx().redirect_port(), client_address).get("/auth/me?x=1");
  EXPECT_EQ(redirected.status, 301u);
  EXPECT_EQ(redirected.header("Location"), "https://127.0.0.1/auth/me?x=1");
}

TEST_F(behind_nginx, both_instances_answer_auth_me) {
  auto c = through_nginx();
  ASSERT_EQ(register_user(c, alice()).status, 201u);
  std::vector<std::string> answered;
  for (int i = 0; i < 6; ++i) {
    const auto me = c.get("/auth/me");
    ASSERT_EQ(me.status, 200u) << ::testing::PrintToString(me);
    ASSERT_TRUE(me.header("X-Request-Id"));
    answered.push_back(answered_by(*me.header("X-Request-Id")));
  }
  EXPECT_THAT(answered, ::testing::Contains("a"));
  EXPECT_THAT(answered, ::testing::Contains("b"));
  EXPECT_THAT(answered, Each(::testing::AnyOf("a", "b")));  // each request answered once
}

TEST_F(behind_nginx, a_logout_through_the_proxy_ends_the_session_on_both_instances) {
  auto c = through_nginx();
  ASSERT_EQ(register_user(c, alice()).status, 201u);
  ASSERT_TRUE(c.cookies().token());
  const std::string token = *c.cookies().token();
  ASSERT_EQ(http_client(a().port()).get("/auth/me", bearer(token)).status, 200u);
  ASSERT_EQ(http_client(b().port()).get("/auth/me", bearer(token)).status, 200u);

  const auto logout = c.request("POST", "/auth/logout");
  ASSERT_EQ(logout.status, 204u) << ::testing::PrintToString(logout);
  EXPECT_FALSE(answered_by(*logout.header("X-Request-Id")).empty());

  EXPECT_TRUE(has_detail(http_client(a().port()).get("/auth/me", bearer(token)), 401, "Invalid token"));
  EXPECT_TRUE(has_detail(http_client(b().port()).get("/auth/me", bearer(token)), 401, "Invalid token"));
  EXPECT_TRUE(has_detail(through_nginx().get("/auth/me", bearer(token)), 401, "Invalid token"));
}

TEST_F(behind_nginx, the_audit_trail_has_the_real_client_address_not_a_spoofed_one) {
  const header_list spoofed{{"X-Forwarded-For", "198.51.100.7"}};
  auto c = through_nginx();
  const auto registered = c.post_json("/auth/register", register_body(alice()), spoofed);
  ASSERT_EQ(registered.status, 201u);
  const auto logged_in = c.post_json("/auth/login", login_body(alice().email, alice().password), spoofed);
  ASSERT_EQ(logged_in.status, 200u);

  std::vector<boost::json::object> lines;
  ASSERT_TRUE(eventually([&] {
    lines = audit_lines(a().log_text());
    for (auto& line : audit_lines(b().log_text())) lines.push_back(std::move(line));
    return lines.size() >= 2;
  })) << "expected the registered and login_succeeded audit lines";
  ASSERT_THAT(lines, SizeIs(2));
  for (const auto& line : lines) {
    SCOPED_TRACE(boost::json::serialize(line));
    EXPECT_EQ(line.at("address"), boost::json::value(client_address));
    const std::string id(line.at("request_id").as_string());
    EXPECT_TRUE(id == *registered.header("X-Request-Id") || id == *logged_in.header("X-Request-Id")) << id;
  }
}

// One request of the client running while an instance is killed.
struct outcome {
  std::string email;
  unsigned registered = 0;  // the status of the registration
  unsigned logged_in = 0;   // of the login (0: not tried)
  std::string token;        // from the login answered 200
  bool after_kill = false;  // both requests started once the instance was dead
};

TEST_F(behind_nginx, a_killed_instance_loses_no_answered_request) {
  std::atomic<int> done{0};
  std::atomic<bool> killed{false};
  std::atomic<bool> stop{false};
  std::vector<outcome> outcomes;
  std::string client_error;  // what the client thread threw (a connection closed without answer)
  std::thread client([&] {
    try {
      auto c = through_nginx();
      const std::string password = "a long and uncommon password";
      for (int i = 0; !stop; ++i) {
        outcome o;
        o.after_kill = killed;
        o.email = "user" + std::to_string(i) + "@example.com";
        o.registered = c.post_json("/auth/register", register_body({"User", o.email, password})).status;
        if (o.registered == 201) {
          const auto logged_in = c.post_json("/auth/login", login_body(o.email, password));
          o.logged_in = logged_in.status;
          if (o.logged_in == 200 && c.cookies().token()) o.token = *c.cookies().token();
        }
        outcomes.push_back(o);
        ++done;
      }
    } catch (const std::exception& e) {
      client_error = e.what();
      stop = true;
    }
  });

  eventually([&] { return done >= 10 || stop; });
  EXPECT_EQ(a().stop_with(SIGKILL), 128 + SIGKILL);
  killed = true;
  const int at_kill = done;
  eventually([&] { return done >= at_kill + 20 || stop; });
  stop = true;
  client.join();
  EXPECT_EQ(client_error, "");

  // Nothing answered 2xx is lost: every registration can log in, every token is honoured, on the
  // surviving instance directly.
  int after_kill = 0;
  for (const auto& o : outcomes) {
    SCOPED_TRACE(o.email);
    if (o.registered == 201) {
      http_client direct(b().port());
      EXPECT_EQ(login(direct, {"User", o.email, "a long and uncommon password"}).status, 200u);
    }
    if (o.logged_in == 200) {
      EXPECT_EQ(http_client(b().port()).get("/auth/me", bearer(o.token)).status, 200u);
    }
    // After the kill, the survivor answers everything: nginx sends to it, or retries there a
    // connection the dead instance refused.
    if (o.after_kill) {
      ++after_kill;
      EXPECT_EQ(o.registered, 201u);
      EXPECT_EQ(o.logged_in, 200u);
    }
  }
  EXPECT_GE(after_kill, 20);
}

}  // namespace
}  // namespace authd::itest
