// Requests are counted by the router's path (never the raw one), a bounded set of methods and
// statuses, with a latency histogram per route; combinations never seen are not written.
#include "http/request_metrics.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "http/router.hpp"
#include "shared/prometheus_text.hpp"

namespace authd::http {
namespace {

namespace prom = authd::testing::prometheus;
using ::testing::HasSubstr;
using ::testing::Not;

prom::exposition scrape(const request_metrics& m) {
  obs::registry r;
  m.register_with(r);
  const auto text = r.render();
  auto [out, error] = prom::parse(text);
  EXPECT_TRUE(out) << error << "\n" << text;
  return out ? *out : prom::exposition{};
}

TEST(request_metrics, counts_by_route_method_and_status) {
  request_metrics m({"/auth/me", "/auth/sessions/{id}"});
  m.record(0, bhttp::verb::get, 200, 0.001);
  m.record(0, bhttp::verb::get, 200, 0.002);
  m.record(0, bhttp::verb::get, 401, 0.001);
  m.record(1, bhttp::verb::delete_, 204, 0.003);
  const auto e = scrape(m);
  EXPECT_EQ(
      e.value("authd_http_requests_total", {{"route", "/auth/me"}, {"method", "GET"}, {"status", "200"}}), 2);
  EXPECT_EQ(
      e.value("authd_http_requests_total", {{"route", "/auth/me"}, {"method", "GET"}, {"status", "401"}}), 1);
  EXPECT_EQ(e.value("authd_http_requests_total",
                    {{"route", "/auth/sessions/{id}"}, {"method", "DELETE"}, {"status", "204"}}),
            1);
  EXPECT_EQ(e.value("authd_http_request_duration_seconds_count", {{"route", "/auth/me"}}), 3);
  EXPECT_EQ(e.value("authd_http_request_duration_seconds_bucket", {{"route", "/auth/me"}, {"le", "0.001"}}),
            2);
  EXPECT_EQ(e.value("authd_http_request_duration_seconds_count", {{"route", "/auth/sessions/{id}"}}), 1);
}

TEST(request_metrics, what_a_client_chooses_stays_in_bounded_labels) {
  request_metrics m({"/healthz"});
  m.record(router::no_path, bhttp::verb::get, 404, 0.001);  // an unknown path
  m.record(0, bhttp::verb::unknown, 405, 0.001);            // a made-up method
  m.record(0, bhttp::verb::propfind, 405, 0.001);           // a method not in the set
  m.record(0, bhttp::verb::get, 299, 0.001);                // a status no standard names
  m.record(12345, bhttp::verb::get, 200, 0.001);            // an out-of-range index
  const auto e = scrape(m);
  EXPECT_EQ(
      e.value("authd_http_requests_total", {{"route", "unmatched"}, {"method", "GET"}, {"status", "404"}}),
      1);
  EXPECT_EQ(
      e.value("authd_http_requests_total", {{"route", "/healthz"}, {"method", "OTHER"}, {"status", "405"}}),
      2);
  EXPECT_EQ(
      e.value("authd_http_requests_total", {{"route", "/healthz"}, {"method", "GET"}, {"status", "other"}}),
      1);
  EXPECT_EQ(
      e.value("authd_http_requests_total", {{"route", "unmatched"}, {"method", "GET"}, {"status", "200"}}),
      1);
}

TEST(request_metrics, nothing_seen_writes_no_series) {
  request_metrics m({"/healthz", "/readyz"});
  m.record(0, bhttp::verb::get, 200, 0.001);
  obs::registry r;
  m.register_with(r);
  const auto text = r.render();
  EXPECT_THAT(text, HasSubstr("route=\"/healthz\""));
  EXPECT_THAT(text, Not(HasSubstr("/readyz")));
  EXPECT_THAT(text, Not(HasSubstr("status=\"500\"")));
}

}  // namespace
}  // namespace authd::http
