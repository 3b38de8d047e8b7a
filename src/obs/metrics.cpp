#include "obs/metrics.hpp"

#include <algorithm>
#include <array>
#include <charconv>
#include <cmath>
#include <stdexcept>

namespace authd::obs {

namespace {

void append_number(std::string& out, double v) {
  if (std::isnan(v)) {
    out += "NaN";
  } else if (std::isinf(v)) {
    out += v > 0 ? "+Inf" : "-Inf";
  } else {
    std::array<char, 32> buf{};
    auto [end, ec] = std::to_chars(buf.data(), buf.data() + buf.size(), v);
    out.append(buf.data(), ec == std::errc() ? end : buf.data());
  }
}

void append_number(std::string& out, std::uint64_t v) {
  std::array<char, 24> buf{};
  auto [end, ec] = std::to_chars(buf.data(), buf.data() + buf.size(), v);
  out.append(buf.data(), end);
}

// Label values escape backslash, double quote and newline; HELP text only backslash and newline.
void append_escaped(std::string& out, std::string_view text, bool quote) {
  for (char c : text) {
    if (c == '\\')
      out += "\\\\";
    else if (c == '\n')
      out += "\\n";
    else if (quote && c == '"')
      out += "\\\"";
    else
      out += c;
  }
}

std::string_view type_name(metric_type type) {
  switch (type) {
    case metric_type::counter:
      return "counter";
    case metric_type::gauge:
      return "gauge";
    case metric_type::histogram:
      return "histogram";
  }
  return "untyped";
}

}  // namespace

histogram::histogram(std::span<const double> upper_bounds)
    : bounds_(upper_bounds.begin(), upper_bounds.end()),
      buckets_(std::make_unique<std::atomic<std::uint64_t>[]>(bounds_.size() + 1)) {
  if (!std::is_sorted(bounds_.begin(), bounds_.end()) ||
      std::adjacent_find(bounds_.begin(), bounds_.end()) != bounds_.end())
    throw std::invalid_argument("histogram bounds must ascend strictly");
}

void histogram::observe(double value) noexcept {
  // Bucket i counts bounds_[i-1] < value <= bounds_[i] (the cumulative "le" buckets are summed at
  // scrape time, so an observation touches one bucket, not all those above it).
  const auto i =
      static_cast<std::size_t>(std::lower_bound(bounds_.begin(), bounds_.end(), value) - bounds_.begin());
  buckets_[i].fetch_add(1, std::memory_order_relaxed);
  sum_.fetch_add(value, std::memory_order_relaxed);
}

histogram::snapshot histogram::read() const {
  snapshot s;
  s.cumulative.resize(bounds_.size() + 1);
  std::uint64_t running = 0;
  for (std::size_t i = 0; i <= bounds_.size(); ++i) {
    running += buckets_[i].load(std::memory_order_relaxed);
    s.cumulative[i] = running;
  }
  s.sum = sum_.load(std::memory_order_relaxed);
  return s;
}

void sample_writer::name_and_labels(std::string_view suffix, const labels& l, std::string_view le) {
  out_ += family_;
  out_ += suffix;
  if (l.empty() && le.empty()) return;
  out_ += '{';
  bool first = true;
  auto one = [&](std::string_view name, std::string_view value) {
    if (!first) out_ += ',';
    first = false;
    out_ += name;
    out_ += "=\"";
    append_escaped(out_, value, true);
    out_ += '"';
  };
  for (const auto& [name, value] : l) one(name, value);
  if (!le.empty()) one("le", le);
  out_ += '}';
}

void sample_writer::value(const labels& l, double v) {
  name_and_labels({}, l);
  out_ += ' ';
  append_number(out_, v);
  out_ += '\n';
}

void sample_writer::value(const labels& l, std::uint64_t v) {
  name_and_labels({}, l);
  out_ += ' ';
  append_number(out_, v);
  out_ += '\n';
}

void sample_writer::histogram(const labels& l, const histogram::snapshot& s,
                              std::span<const double> upper_bounds) {
  std::string le;
  for (std::size_t i = 0; i < s.cumulative.size(); ++i) {
    le.clear();
    append_number(le, i < upper_bounds.size() ? upper_bounds[i] : HUGE_VAL);
    name_and_labels("_bucket", l, le);
    out_ += ' ';
    append_number(out_, s.cumulative[i]);
    out_ += '\n';
  }
  name_and_labels("_sum", l);
  out_ += ' ';
  append_number(out_, s.sum);
  out_ += '\n';
  name_and_labels("_count", l);
  out_ += ' ';
  append_number(out_, s.cumulative.empty() ? 0 : s.cumulative.back());
  out_ += '\n';
}

bool valid_metric_name(std::string_view name, bool label) {
  if (name.empty()) return false;
  for (std::size_t i = 0; i < name.size(); ++i) {
    const char c = name[i];
    const bool letter = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' || (!label && c == ':');
    if (!letter && !(i > 0 && c >= '0' && c <= '9')) return false;
  }
  return true;
}

void registry::add(std::string name, std::string help, metric_type type, collect_fn collect) {
  if (!valid_metric_name(name)) throw std::invalid_argument("invalid metric name: " + name);
  std::lock_guard lock(mutex_);
  for (const auto& f : families_)
    if (f.name == name) throw std::invalid_argument("metric registered twice: " + name);
  families_.push_back(family{std::move(name), std::move(help), type, std::move(collect)});
}

void registry::add_counter(std::string name, std::string help, const counter& c) {
  add(std::move(name), std::move(help), metric_type::counter,
      [&c](sample_writer& w) { w.value({}, c.value()); });
}

void registry::add_gauge(std::string name, std::string help, std::function<double()> read) {
  add(std::move(name), std::move(help), metric_type::gauge,
      [read = std::move(read)](sample_writer& w) { w.value({}, read()); });
}

std::string registry::render() const {
  std::string out;
  out.reserve(16 * 1024);
  std::lock_guard lock(mutex_);
  for (const auto& f : families_) {
    out += "# HELP ";
    out += f.name;
    out += ' ';
    append_escaped(out, f.help, false);
    out += "\n# TYPE ";
    out += f.name;
    out += ' ';
    out += type_name(f.type);
    out += '\n';
    sample_writer writer(out, f.name);
    f.collect(writer);
  }
  return out;
}

std::span<const double> latency_buckets() {
  static constexpr std::array<double, 14> bounds{0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05,
                                                 0.1,    0.25,  0.5,    1,     2.5,  5,     10};
  return bounds;
}

}  // namespace authd::obs
