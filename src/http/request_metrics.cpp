#include "http/request_metrics.hpp"

#include <algorithm>
#include <array>
#include <string_view>

namespace authd::http {

namespace {

constexpr std::array<bhttp::verb, 7> methods{bhttp::verb::get,    bhttp::verb::head,  bhttp::verb::post,
                                             bhttp::verb::put,    bhttp::verb::patch, bhttp::verb::delete_,
                                             bhttp::verb::options};
constexpr std::size_t method_slots = methods.size() + 1;  // + OTHER

// The statuses of RFC 9110 and RFC 6585 that an HTTP server may answer; anything else is "other".
constexpr std::array<unsigned, 46> statuses{100, 101, 200, 201, 202, 203, 204, 205, 206, 300, 301, 302,
                                            303, 304, 307, 308, 400, 401, 402, 403, 404, 405, 406, 407,
                                            408, 409, 410, 411, 412, 413, 414, 415, 416, 417, 421, 422,
                                            426, 428, 429, 431, 500, 501, 502, 503, 504, 505};
constexpr std::size_t status_slots = statuses.size() + 1;  // + other

std::size_t method_slot(bhttp::verb method) {
  const auto it = std::find(methods.begin(), methods.end(), method);
  return static_cast<std::size_t>(it - methods.begin());  // methods.size() is OTHER
}

std::size_t status_slot(unsigned status) {
  const auto it = std::lower_bound(statuses.begin(), statuses.end(), status);
  if (it != statuses.end() && *it == status) return static_cast<std::size_t>(it - statuses.begin());
  return statuses.size();
}

std::string status_label(std::size_t slot) {
  return slot < statuses.size() ? std::to_string(statuses[slot]) : std::string("other");
}

std::string_view method_label(std::size_t slot) {
  if (slot >= methods.size()) return "OTHER";
  const auto name = bhttp::to_string(methods[slot]);
  return {name.data(), name.size()};
}

}  // namespace

request_metrics::request_metrics(std::vector<std::string> paths)
    : paths_(std::move(paths)),
      counts_(std::make_unique<obs::counter[]>(routes() * method_slots * status_slots)) {
  latency_.reserve(routes());
  for (std::size_t i = 0; i < routes(); ++i)
    latency_.push_back(std::make_unique<obs::histogram>(obs::latency_buckets()));
}

void request_metrics::record(std::size_t path_index, bhttp::verb method, unsigned status,
                             double seconds) noexcept {
  const std::size_t route = std::min(path_index, paths_.size());
  counts_[(route * method_slots + method_slot(method)) * status_slots + status_slot(status)].inc();
  latency_[route]->observe(seconds);
}

void request_metrics::register_with(obs::registry& r) const {
  auto route_label = [this](std::size_t route) -> std::string_view {
    return route < paths_.size() ? std::string_view(paths_[route]) : std::string_view("unmatched");
  };
  r.add("authd_http_requests_total", "HTTP requests answered, by route, method and status.",
        obs::metric_type::counter, [this, route_label](obs::sample_writer& w) {
          for (std::size_t route = 0; route < routes(); ++route)
            for (std::size_t m = 0; m < method_slots; ++m)
              for (std::size_t s = 0; s < status_slots; ++s) {
                // Only the combinations seen so far, so the exposition stays small.
                const auto n = counts_[(route * method_slots + m) * status_slots + s].value();
                if (n == 0) continue;
                const std::string status = status_label(s);
                w.value({{"route", route_label(route)}, {"method", method_label(m)}, {"status", status}}, n);
              }
        });
  r.add("authd_http_request_duration_seconds",
        "Time from reading a request to its answer ready to send, by route.", obs::metric_type::histogram,
        [this, route_label](obs::sample_writer& w) {
          for (std::size_t route = 0; route < routes(); ++route) {
            const auto snapshot = latency_[route]->read();
            if (snapshot.cumulative.back() == 0) continue;
            w.histogram({{"route", route_label(route)}}, snapshot, latency_[route]->upper_bounds());
          }
        });
}

}  // namespace authd::http
