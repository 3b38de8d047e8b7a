// Metrics in the Prometheus text exposition format 0.0.4, written by hand (no Debian package
// offers a C++ client): lock-free counters and histograms for the hot path, and a registry that
// renders every family, asking each one's owner for its samples at scrape time.
#pragma once

#include <atomic>
#include <cstdint>
#include <functional>
#include <initializer_list>
#include <memory>
#include <mutex>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace authd::obs {

// A monotonic count; relaxed atomics, since a scrape needs no ordering with other counters.
class counter {
 public:
  void inc(std::uint64_t n = 1) noexcept { value_.fetch_add(n, std::memory_order_relaxed); }
  std::uint64_t value() const noexcept { return value_.load(std::memory_order_relaxed); }

 private:
  std::atomic<std::uint64_t> value_{0};
};

// Observations counted into fixed buckets (upper bounds, ascending), with their sum and count.
class histogram {
 public:
  explicit histogram(std::span<const double> upper_bounds);

  void observe(double value) noexcept;

  struct snapshot {
    std::vector<std::uint64_t> cumulative;  // per bound, then +Inf (== count)
    double sum = 0;
  };
  snapshot read() const;
  const std::vector<double>& upper_bounds() const { return bounds_; }

 private:
  std::vector<double> bounds_;
  std::unique_ptr<std::atomic<std::uint64_t>[]> buckets_;  // one per bound, then +Inf; not cumulative
  std::atomic<double> sum_{0};
};

// Label names and values of one sample, in order; values are escaped when written.
using labels = std::vector<std::pair<std::string_view, std::string_view>>;

// Writes one family's samples (the registry writes its HELP and TYPE lines).
class sample_writer {
 public:
  explicit sample_writer(std::string& out, std::string_view family) : out_(out), family_(family) {}

  void value(const labels& l, double v);
  void value(const labels& l, std::uint64_t v);
  // name_bucket{...,le="b"} for each bound and +Inf, then name_sum and name_count.
  void histogram(const labels& l, const histogram::snapshot& s, std::span<const double> upper_bounds);

 private:
  void name_and_labels(std::string_view suffix, const labels& l, std::string_view le = {});
  std::string& out_;
  std::string_view family_;
};

enum class metric_type { counter, gauge, histogram };

class registry {
 public:
  using collect_fn = std::function<void(sample_writer&)>;

  // Adds a family; `collect` writes its samples at every scrape, on the scraping thread, so it
  // must be thread-safe and must not block for long. Names are checked (std::invalid_argument).
  void add(std::string name, std::string help, metric_type type, collect_fn collect);

  // Shorthands for a family of one sample.
  void add_counter(std::string name, std::string help, const counter& c);
  void add_gauge(std::string name, std::string help, std::function<double()> read);

  // The whole exposition, families in the order added.
  std::string render() const;

 private:
  struct family {
    std::string name, help;
    metric_type type;
    collect_fn collect;
  };
  mutable std::mutex mutex_;
  std::vector<family> families_;  // guarded by mutex_
};

// The media type of render()'s output.
inline constexpr std::string_view exposition_content_type = "text/plain; version=0.0.4; charset=utf-8";

// Latency buckets in seconds, from a cached /auth/me (well under a millisecond) to a queued login.
std::span<const double> latency_buckets();

// True for [a-zA-Z_:][a-zA-Z0-9_:]* (metric names) or, with `label`, [a-zA-Z_][a-zA-Z0-9_]*.
bool valid_metric_name(std::string_view name, bool label = false);

}  // namespace authd::obs
