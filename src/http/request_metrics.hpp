// Requests counted by route, method and status, and their latency per route, for /metrics. The
// labels come from bounded sets (the router's paths, the standard methods, the standard statuses),
// so a client cannot grow the exposition; recording is a few relaxed atomic increments.
#pragma once

#include <atomic>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "http/message.hpp"
#include "obs/metrics.hpp"

namespace authd::http {

class request_metrics {
 public:
  // `paths`: the router's paths(), the route label's values; anything else is "unmatched".
  explicit request_metrics(std::vector<std::string> paths);

  // `path_index`: router::match::path_index (router::no_path when no route matched).
  void record(std::size_t path_index, bhttp::verb method, unsigned status, double seconds) noexcept;

  // Adds authd_http_requests_total and authd_http_request_duration_seconds to `r`; this object
  // must outlive `r`'s scrapes.
  void register_with(obs::registry& r) const;

 private:
  std::size_t routes() const { return paths_.size() + 1; }  // + unmatched
  std::vector<std::string> paths_;
  std::unique_ptr<obs::counter[]> counts_;                // [route][method][status]
  std::vector<std::unique_ptr<obs::histogram>> latency_;  // [route]
};

}  // namespace authd::http
