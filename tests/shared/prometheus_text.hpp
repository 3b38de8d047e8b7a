// A strict parser of the Prometheus text exposition format 0.0.4, for the tests: it refuses what
// Prometheus would refuse (bad names, escapes, values, a family split or typed twice, duplicate
// series) and checks histograms whole (ascending "le", cumulative counts, +Inf equal to _count).
#pragma once

#include <charconv>
#include <cmath>
#include <cstdlib>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace authd::testing::prometheus {

using label_set = std::map<std::string, std::string>;

struct sample {
  std::string name;  // with its _bucket / _sum / _count suffix for a histogram
  label_set labels;
  double value = 0;
};

struct family {
  std::string name, help, type = "untyped";
  std::vector<sample> samples;
};

struct exposition {
  std::vector<family> families;

  const family* find(std::string_view name) const {
    for (const auto& f : families)
      if (f.name == name) return &f;
    return nullptr;
  }
  // The value of the sample named `name` whose labels include `labels`; nullopt when none or several.
  std::optional<double> value(std::string_view name, const label_set& labels = {}) const {
    std::optional<double> found;
    for (const auto& f : families)
      for (const auto& s : f.samples) {
        if (s.name != name) continue;
        bool all = true;
        for (const auto& [k, v] : labels) {
          auto it = s.labels.find(k);
          if (it == s.labels.end() || it->second != v) all = false;
        }
        if (!all) continue;
        if (found) return std::nullopt;
        found = s.value;
      }
    return found;
  }
};

namespace detail {

inline bool valid_name(std::string_view name, bool label) {
  if (name.empty()) return false;
  for (std::size_t i = 0; i < name.size(); ++i) {
    const char c = name[i];
    const bool letter = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' || (!label && c == ':');
    if (!letter && !(i > 0 && c >= '0' && c <= '9')) return false;
  }
  return !(label && name.starts_with("__"));
}

inline std::optional<double> parse_value(std::string_view text) {
  if (text == "+Inf" || text == "Inf") return HUGE_VAL;
  if (text == "-Inf") return -HUGE_VAL;
  if (text == "NaN") return std::nan("");
  if (text.empty()) return std::nullopt;
  double v = 0;
  const char* begin = text.data();
  if (*begin == '+') ++begin;
  auto [end, ec] = std::from_chars(begin, text.data() + text.size(), v);
  if (ec != std::errc() || end != text.data() + text.size()) return std::nullopt;
  return v;
}

// Unescapes `text`; `quoted` also allows \" (label values), else only \\ and \n (HELP).
inline std::optional<std::string> unescape(std::string_view text, bool quoted) {
  std::string out;
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (text[i] != '\\') {
      if (quoted && (text[i] == '"' || text[i] == '\n')) return std::nullopt;
      out += text[i];
      continue;
    }
    if (++i == text.size()) return std::nullopt;
    if (text[i] == '\\')
      out += '\\';
    else if (text[i] == 'n')
      out += '\n';
    else if (quoted && text[i] == '"')
      out += '"';
    else
      return std::nullopt;
  }
  return out;
}

// The family a sample named `name` belongs to, given the families typed so far.
inline std::string family_of(std::string_view name,
                             const std::map<std::string, std::string, std::less<>>& types) {
  for (std::string_view suffix : {"_bucket", "_sum", "_count"}) {
    if (!name.ends_with(suffix)) continue;
    const std::string base(name.substr(0, name.size() - suffix.size()));
    auto it = types.find(base);
    if (it != types.end() && it->second == "histogram") return base;
  }
  return std::string(name);
}

inline std::optional<std::string> check_histogram(const family& f) {
  std::map<label_set, std::vector<std::pair<double, double>>> buckets;
  std::map<label_set, double> counts;
  std::set<label_set> sums;
  for (const auto& s : f.samples) {
    label_set base = s.labels;
    if (s.name == f.name + "_bucket") {
      auto le = base.find("le");
      if (le == base.end()) return "bucket without le in " + f.name;
      auto bound = parse_value(le->second);
      if (!bound) return "bad le in " + f.name;
      base.erase(le);
      buckets[base].emplace_back(*bound, s.value);
    } else if (s.name == f.name + "_count") {
      counts[base] = s.value;
    } else if (s.name == f.name + "_sum") {
      sums.insert(base);
    } else {
      return "sample " + s.name + " in histogram " + f.name;
    }
  }
  for (const auto& [labels, list] : buckets) {
    for (std::size_t i = 1; i < list.size(); ++i)
      if (!(list[i].first > list[i - 1].first) || list[i].second < list[i - 1].second)
        return "buckets of " + f.name + " not ascending or not cumulative";
    if (list.empty() || !std::isinf(list.back().first)) return "no +Inf bucket in " + f.name;
    auto count = counts.find(labels);
    if (count == counts.end() || count->second != list.back().second)
      return "_count differs from +Inf in " + f.name;
    if (!sums.contains(labels)) return "no _sum in " + f.name;
  }
  if (counts.size() != buckets.size() || sums.size() != buckets.size())
    return "_count or _sum without buckets in " + f.name;
  return std::nullopt;
}

}  // namespace detail

// The exposition, or the first thing wrong with it (with its line number).
inline std::pair<std::optional<exposition>, std::string> parse(std::string_view text) {
  using namespace detail;
  exposition out;
  std::map<std::string, std::string, std::less<>> types;
  std::set<std::string> helped, closed;  // closed: families whose samples ended (no more allowed)
  std::set<std::pair<std::string, label_set>> seen;
  family* current = nullptr;
  auto fail = [](std::size_t line, const std::string& why) {
    return std::pair<std::optional<exposition>, std::string>{std::nullopt,
                                                             "line " + std::to_string(line) + ": " + why};
  };
  auto family_named = [&](const std::string& name) -> family* {
    if (current != nullptr && current->name == name) return current;
    if (current != nullptr) closed.insert(current->name);
    if (closed.contains(name)) return nullptr;
    out.families.push_back(family{name, {}, "untyped", {}});
    current = &out.families.back();
    return current;
  };
  if (!text.empty() && !text.ends_with('\n')) return fail(0, "the last line does not end with a newline");

  std::size_t number = 0;
  while (!text.empty()) {
    ++number;
    const auto eol = text.find('\n');
    const std::string_view line = text.substr(0, eol);
    text.remove_prefix(eol + 1);
    if (line.empty()) continue;
    if (line.front() == '#') {
      const bool help = line.starts_with("# HELP ");
      const bool type = line.starts_with("# TYPE ");
      if (!help && !type) continue;  // a plain comment
      std::string_view rest = line.substr(7);
      const auto space = rest.find(' ');
      const std::string name(rest.substr(0, space));
      const std::string_view value =
          space == std::string_view::npos ? std::string_view() : rest.substr(space + 1);
      if (!valid_name(name, false)) return fail(number, "bad metric name " + name);
      family* f = family_named(name);
      if (f == nullptr) return fail(number, name + " continues after other families");
      if (help) {
        if (!helped.insert(name).second) return fail(number, "second HELP for " + name);
        auto unescaped = unescape(value, false);
        if (!unescaped) return fail(number, "bad escape in HELP");
        f->help = *unescaped;
      } else {
        if (types.contains(name)) return fail(number, "second TYPE for " + name);
        if (!f->samples.empty()) return fail(number, "TYPE after samples of " + name);
        if (value != "counter" && value != "gauge" && value != "histogram" && value != "summary" &&
            value != "untyped")
          return fail(number, "unknown type " + std::string(value));
        types[name] = std::string(value);
        f->type = std::string(value);
      }
      continue;
    }

    sample s;
    std::size_t i = 0;
    while (i < line.size() && line[i] != '{' && line[i] != ' ') ++i;
    s.name = std::string(line.substr(0, i));
    if (!valid_name(s.name, false)) return fail(number, "bad metric name " + s.name);
    if (i < line.size() && line[i] == '{') {
      ++i;
      while (i < line.size() && line[i] != '}') {
        std::size_t eq = line.find('=', i);
        if (eq == std::string_view::npos) return fail(number, "label without =");
        const std::string label(line.substr(i, eq - i));
        if (!valid_name(label, true)) return fail(number, "bad label name " + label);
        if (eq + 1 >= line.size() || line[eq + 1] != '"') return fail(number, "label value not quoted");
        std::size_t j = eq + 2;
        while (j < line.size() && line[j] != '"') j += line[j] == '\\' ? 2 : 1;
        if (j >= line.size()) return fail(number, "unterminated label value");
        auto value = unescape(line.substr(eq + 2, j - eq - 2), true);
        if (!value) return fail(number, "bad escape in a label value");
        if (!s.labels.emplace(label, *value).second) return fail(number, "label " + label + " twice");
        i = j + 1;
        if (i < line.size() && line[i] == ',') ++i;
      }
      if (i >= line.size()) return fail(number, "unterminated label set");
      ++i;
    }
    if (i >= line.size() || line[i] != ' ') return fail(number, "no space before the value");
    std::string_view rest = line.substr(i + 1);
    const auto space = rest.find(' ');
    auto value = parse_value(rest.substr(0, space));
    if (!value) return fail(number, "bad value " + std::string(rest.substr(0, space)));
    if (space != std::string_view::npos) {
      const auto stamp = rest.substr(space + 1);
      long long t = 0;
      auto [end, ec] = std::from_chars(stamp.data(), stamp.data() + stamp.size(), t);
      if (ec != std::errc() || end != stamp.data() + stamp.size()) return fail(number, "bad timestamp");
    }
    s.value = *value;
    const std::string owner = family_of(s.name, types);
    family* f = family_named(owner);
    if (f == nullptr) return fail(number, owner + " continues after other families");
    if (f->type == "counter" && !(s.value >= 0)) return fail(number, "negative counter " + s.name);
    if (!seen.emplace(s.name, s.labels).second) return fail(number, "duplicate series " + s.name);
    f->samples.push_back(std::move(s));
  }
  for (const auto& f : out.families)
    if (f.type == "histogram")
      if (auto wrong = check_histogram(f)) return fail(0, *wrong);
  return {std::move(out), {}};
}

}  // namespace authd::testing::prometheus
