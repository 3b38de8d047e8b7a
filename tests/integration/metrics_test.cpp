// GET /metrics on a running server: Prometheus text that a strict parser accepts, whose counters
// move with the requests made; and AUTHD_METRICS_ADDR moving it to a listener of its own, or off.
#include <regex>

#include "shared/prometheus_text.hpp"
#include "support/auth_api.hpp"
#include "support/server_test.hpp"

namespace authd::itest {
namespace {

namespace prom = authd::testing::prometheus;

prom::exposition scrape(http_client& c) {
  const auto res = c.get("/metrics");
  EXPECT_EQ(res.status, 200u);
  EXPECT_EQ(res.header("Content-Type"), "text/plain; version=0.0.4; charset=utf-8");
  EXPECT_EQ(res.header("Cache-Control"), "no-store");
  auto [out, error] = prom::parse(res.body);
  EXPECT_TRUE(out) << error << "\n" << res.body;
  return out ? *out : prom::exposition{};
}

double value_or_zero(const prom::exposition& e, std::string_view name, const prom::label_set& labels) {
  return e.value(name, labels).value_or(0);
}

class metrics : public server_test {
 protected:
  // Two failures block the address, so the third attempt is throttled.
  env_map extra_env() const override { return {{"AUTHD_THROTTLE_ADDRESS_FAILURES", "2"}}; }
};

TEST_F(metrics, the_exposition_parses_and_says_what_runs) {
  auto c = client();
  const auto e = scrape(c);
  for (const char* family :
       {"authd_http_requests_total", "authd_http_request_duration_seconds", "authd_http_open_connections",
        "authd_logins_total", "authd_registrations_total", "authd_hash_workers", "authd_hash_workers_busy",
        "authd_hash_queue_length", "authd_db_connections", "authd_db_connection_waiters", "authd_build_info",
        "process_resident_memory_bytes", "process_cpu_seconds_total", "process_open_fds"})
    EXPECT_NE(e.find(family), nullptr) << family;
  const auto* build = e.find("authd_build_info");
  ASSERT_NE(build, nullptr);
  ASSERT_EQ(build->samples.size(), 1u);
  EXPECT_EQ(build->samples[0].value, 1);
  EXPECT_FALSE(build->samples[0].labels.at("version").empty());
  EXPECT_TRUE(build->samples[0].labels.at("store") == "sqlite" ||
              build->samples[0].labels.at("store") == "postgres");
  EXPECT_GE(*e.value("authd_hash_workers"), 1);
  EXPECT_GE(*e.value("authd_http_open_connections"), 1) << "the scrape's own connection";
  EXPECT_GT(*e.value("process_resident_memory_bytes"), 1e6);
  EXPECT_GE(value_or_zero(e, "authd_db_connections", {{"state", "idle"}}) +
                value_or_zero(e, "authd_db_connections", {{"state", "in_use"}}),
            0);
}

TEST_F(metrics, counters_move_with_requests) {
  auto c = client();
  const auto before = scrape(c);
  const user u = alice();
  ASSERT_EQ(register_user(c, u).status, 201u);
  ASSERT_EQ(register_user(c, u).status, 400u);  // the email is taken
  ASSERT_EQ(login(c, u).status, 200u);
  ASSERT_EQ(c.post_json("/auth/login", login_body(u.email, "wrong-password-1")).status, 401u);
  ASSERT_EQ(c.post_json("/auth/login", login_body(u.email, "wrong-password-2")).status, 401u);
  ASSERT_EQ(c.post_json("/auth/login", login_body(u.email, "wrong-password-3")).status, 429u);
  ASSERT_EQ(c.post_json("/auth/login", boost::json::object{{"email", "not-an-email"}}).status, 422u);
  ASSERT_EQ(c.get("/auth/me").status, 200u);
  ASSERT_EQ(client().get("/auth/me").status, 401u);
  ASSERT_EQ(c.get("/auth/sessions/no-such-session").status, 405u);
  ASSERT_EQ(c.get("/no/such/path").status, 404u);
  const auto after = scrape(c);

  auto moved = [&](std::string_view name, const prom::label_set& labels) {
    return value_or_zero(after, name, labels) - value_or_zero(before, name, labels);
  };
  EXPECT_EQ(moved("authd_registrations_total", {{"outcome", "success"}}), 1);
  EXPECT_EQ(moved("authd_registrations_total", {{"outcome", "email_taken"}}), 1);
  EXPECT_EQ(moved("authd_logins_total", {{"outcome", "success"}}), 1);
  EXPECT_EQ(moved("authd_logins_total", {{"outcome", "bad_credentials"}}), 2);
  EXPECT_EQ(moved("authd_logins_total", {{"outcome", "throttled"}}), 1);
  EXPECT_EQ(moved("authd_logins_total", {{"outcome", "invalid_input"}}), 1);
  EXPECT_EQ(
      moved("authd_http_requests_total", {{"route", "/auth/login"}, {"method", "POST"}, {"status", "401"}}),
      2);
  EXPECT_EQ(moved("authd_http_requests_total", {{"route", "/auth/me"}, {"method", "GET"}, {"status", "200"}}),
            1);
  EXPECT_EQ(moved("authd_http_requests_total", {{"route", "/auth/me"}, {"method", "GET"}, {"status", "401"}}),
            1);
  EXPECT_EQ(moved("authd_http_requests_total",
                  {{"route", "/auth/sessions/{id}"}, {"method", "GET"}, {"status", "405"}}),
            1);
  EXPECT_EQ(
      moved("authd_http_requests_total", {{"route", "unmatched"}, {"method", "GET"}, {"status", "404"}}), 1);
  EXPECT_EQ(moved("authd_http_requests_total", {{"route", "/metrics"}, {"method", "GET"}, {"status", "200"}}),
            1)
      << "the first scrape (each is counted once it has rendered, so not in its own figures)";
  EXPECT_EQ(moved("authd_http_request_duration_seconds_count", {{"route", "/auth/login"}}), 5);
  // A login hashes for milliseconds: its latency sum moved by more than the five requests' minimum.
  EXPECT_GT(moved("authd_http_request_duration_seconds_sum", {{"route", "/auth/login"}}), 0.001);
  // The raw paths a client sent never become labels.
  const auto* requests = after.find("authd_http_requests_total");
  ASSERT_NE(requests, nullptr);
  for (const auto& s : requests->samples) EXPECT_NE(s.labels.at("route"), "/no/such/path");
}

class metrics_own_listener : public server_test {
 protected:
  env_map extra_env() const override { return {{"AUTHD_METRICS_ADDR", "127.0.0.1:0"}}; }
};

TEST_F(metrics_own_listener, serves_metrics_only_on_its_own_port) {
  auto api = client();
  EXPECT_EQ(api.get("/metrics").status, 404u) << "not on the API's port";
  std::smatch m;
  const std::string log = server().log_text();
  const std::regex line(R"(metrics on http://127\.0\.0\.1:(\d+)/metrics)");
  ASSERT_TRUE(std::regex_search(log, m, line)) << log;
  http_client management(static_cast<std::uint16_t>(std::stoi(m[1].str())));
  const auto e = scrape(management);
  EXPECT_NE(e.find("authd_logins_total"), nullptr);
  EXPECT_EQ(value_or_zero(e, "authd_http_requests_total", {{"route", "unmatched"}, {"status", "404"}}), 1)
      << "the API's requests are counted, the /metrics refused there among them";
  EXPECT_EQ(management.get("/auth/me").status, 404u) << "the API is not on the metrics port";
}

class metrics_off : public server_test {
 protected:
  env_map extra_env() const override { return {{"AUTHD_METRICS_ADDR", "off"}}; }
};

TEST_F(metrics_off, serves_no_metrics) {
  auto c = client();
  EXPECT_EQ(c.get("/metrics").status, 404u);
  EXPECT_EQ(c.get("/healthz").status, 200u);
}

}  // namespace
}  // namespace authd::itest
