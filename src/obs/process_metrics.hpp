// The process's own standard metrics (process_*), read from /proc and getrusage at scrape time.
#pragma once

#include "obs/metrics.hpp"

namespace authd::obs {

// Adds process_cpu_seconds_total, process_resident_memory_bytes, process_open_fds,
// process_max_fds and process_start_time_seconds, named as Prometheus's client libraries name them.
void register_process_metrics(registry& r);

}  // namespace authd::obs
