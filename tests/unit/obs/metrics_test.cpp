// The exposition that obs::registry writes is Prometheus text that a strict parser accepts, and
// says what the counters, gauges and histograms hold.
#include "obs/metrics.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <array>
#include <stdexcept>
#include <thread>
#include <vector>

#include "shared/prometheus_text.hpp"

namespace authd::obs {
namespace {

namespace prom = authd::testing::prometheus;
using ::testing::HasSubstr;

prom::exposition parsed(const registry& r) {
  const std::string text = r.render();
  auto [out, error] = prom::parse(text);
  EXPECT_TRUE(out) << error << "\n" << text;
  return out ? *out : prom::exposition{};
}

TEST(metrics, counters_and_gauges_render_with_help_and_type) {
  registry r;
  counter c;
  c.inc();
  c.inc(41);
  r.add_counter("things_total", "Things counted.", c);
  r.add_gauge("level", "A level.", [] { return 2.5; });
  const auto text = r.render();
  EXPECT_THAT(
      text, HasSubstr("# HELP things_total Things counted.\n# TYPE things_total counter\nthings_total 42\n"));
  EXPECT_THAT(text, HasSubstr("# TYPE level gauge\nlevel 2.5\n"));
  const auto e = parsed(r);
  EXPECT_EQ(e.value("things_total"), 42);
  EXPECT_EQ(e.value("level"), 2.5);
  ASSERT_NE(e.find("things_total"), nullptr);
  EXPECT_EQ(e.find("things_total")->type, "counter");
}

TEST(metrics, label_values_and_help_are_escaped) {
  registry r;
  r.add("odd", "Back\\slash and\nnewline.", metric_type::gauge, [](sample_writer& w) {
    w.value({{"path", "a\"b\\c\nd"}, {"plain", "x"}}, std::uint64_t{7});
  });
  const auto text = r.render();
  EXPECT_THAT(text, HasSubstr("# HELP odd Back\\\\slash and\\nnewline.\n"));
  EXPECT_THAT(text, HasSubstr("odd{path=\"a\\\"b\\\\c\\nd\",plain=\"x\"} 7\n"));
  const auto e = parsed(r);
  EXPECT_EQ(e.value("odd", {{"path", "a\"b\\c\nd"}}), 7);
  EXPECT_EQ(e.find("odd")->help, "Back\\slash and\nnewline.");
}

TEST(metrics, special_values_render_as_prometheus_spells_them) {
  registry r;
  r.add("special", "Infinities.", metric_type::gauge, [](sample_writer& w) {
    w.value({{"v", "inf"}}, HUGE_VAL);
    w.value({{"v", "-inf"}}, -HUGE_VAL);
    w.value({{"v", "nan"}}, std::nan(""));
    w.value({{"v", "small"}}, 1e-9);
  });
  const auto text = r.render();
  EXPECT_THAT(text, HasSubstr("special{v=\"inf\"} +Inf\n"));
  EXPECT_THAT(text, HasSubstr("special{v=\"-inf\"} -Inf\n"));
  EXPECT_THAT(text, HasSubstr("special{v=\"nan\"} NaN\n"));
  EXPECT_EQ(parsed(r).value("special", {{"v", "small"}}), 1e-9);
}

TEST(metrics, histogram_buckets_are_cumulative_and_inclusive) {
  const std::array<double, 3> bounds{0.1, 1, 10};
  histogram h(bounds);
  for (double v : {0.05, 0.1, 0.5, 1.0, 5.0, 50.0}) h.observe(v);
  registry r;
  r.add("latency_seconds", "Latency.", metric_type::histogram, [&h](sample_writer& w) {
    w.histogram({{"route", "/x"}}, h.read(), h.upper_bounds());
  });
  const auto e = parsed(r);
  // "le" is inclusive: 0.1 and 1.0 count in their own bound's bucket.
  EXPECT_EQ(e.value("latency_seconds_bucket", {{"route", "/x"}, {"le", "0.1"}}), 2);
  EXPECT_EQ(e.value("latency_seconds_bucket", {{"route", "/x"}, {"le", "1"}}), 4);
  EXPECT_EQ(e.value("latency_seconds_bucket", {{"route", "/x"}, {"le", "10"}}), 5);
  EXPECT_EQ(e.value("latency_seconds_bucket", {{"route", "/x"}, {"le", "+Inf"}}), 6);
  EXPECT_EQ(e.value("latency_seconds_count", {{"route", "/x"}}), 6);
  EXPECT_DOUBLE_EQ(*e.value("latency_seconds_sum", {{"route", "/x"}}), 56.65);
}

TEST(metrics, histogram_bounds_must_ascend) {
  const std::array<double, 2> descending{1, 0.5};
  const std::array<double, 2> repeated{1, 1};
  EXPECT_THROW(histogram{descending}, std::invalid_argument);
  EXPECT_THROW(histogram{repeated}, std::invalid_argument);
}

TEST(metrics, names_are_checked_and_unique) {
  registry r;
  counter c;
  EXPECT_THROW(r.add_counter("2bad", "x", c), std::invalid_argument);
  EXPECT_THROW(r.add_counter("has-dash", "x", c), std::invalid_argument);
  EXPECT_THROW(r.add_counter("", "x", c), std::invalid_argument);
  r.add_counter("good:name_total", "x", c);
  EXPECT_THROW(r.add_counter("good:name_total", "again", c), std::invalid_argument);
  EXPECT_TRUE(valid_metric_name("a_b", true));
  EXPECT_FALSE(valid_metric_name("a:b", true));
}

TEST(metrics, concurrent_increments_are_all_counted) {
  counter c;
  histogram h(latency_buckets());
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t)
    threads.emplace_back([&] {
      for (int i = 0; i < 10000; ++i) {
        c.inc();
        h.observe(0.002);
      }
    });
  for (auto& t : threads) t.join();
  EXPECT_EQ(c.value(), 40000u);
  EXPECT_EQ(h.read().cumulative.back(), 40000u);
  EXPECT_NEAR(h.read().sum, 80.0, 1e-6);
}

TEST(metrics, latency_buckets_span_a_cached_read_to_a_queued_login) {
  const auto b = latency_buckets();
  ASSERT_FALSE(b.empty());
  EXPECT_LE(b.front(), 0.001);
  EXPECT_GE(b.back(), 5.0);
  EXPECT_NO_THROW(histogram{b});
}

// The parser the tests rely on refuses what Prometheus refuses.
TEST(prometheus_text_parser, refuses_malformed_expositions) {
  const std::vector<std::string> bad{
      "no_newline 1",
      "bad-name 1\n",
      "x{a=\"1\"\n",
      "x{a=1} 1\n",
      "x{a=\"\\q\"} 1\n",
      "x{a=\"1\",a=\"2\"} 1\n",
      "x one\n",
      "x 1\nx 2\n",
      "x 1\ny 1\nx 2\n",
      "# TYPE x counter\n# TYPE x counter\n",
      "# TYPE x counter\nx -1\n",
      "# TYPE x wrong\n",
      "# TYPE h histogram\nh_bucket{le=\"1\"} 2\nh_bucket{le=\"+Inf\"} 1\nh_count 1\nh_sum 1\n",
      "# TYPE h histogram\nh_bucket{le=\"1\"} 1\nh_count 1\nh_sum 1\n",
      "# TYPE h histogram\nh_bucket{le=\"+Inf\"} 2\nh_count 1\nh_sum 1\n",
  };
  for (const auto& text : bad) EXPECT_FALSE(prom::parse(text).first) << text;
  EXPECT_TRUE(prom::parse("# a comment\n# TYPE x gauge\nx{a=\"\\\"\"} 1 1700000000000\n").first);
}

}  // namespace
}  // namespace authd::obs
