#include "app/service_metrics.hpp"

#include <algorithm>
#include <cstdint>
#include <string>

#include "obs/process_metrics.hpp"

namespace authd::app {

void register_service_metrics(obs::registry& r, const build_facts& build, const auth::hash_pool& pool,
                              const store::store& store) {
  r.add("authd_build_info", "Always 1; the labels say what runs.", obs::metric_type::gauge,
        [version = std::string(build.version), argon2 = std::string(build.argon2),
         db = std::string(build.store)](obs::sample_writer& w) {
          w.value({{"version", version}, {"argon2", argon2}, {"store", db}}, std::uint64_t{1});
        });
  r.add_gauge("authd_hash_workers", "Password hashing threads.",
              [&pool] { return static_cast<double>(pool.workers()); });
  r.add_gauge("authd_hash_workers_busy", "Password hashing threads hashing now.",
              [&pool] { return static_cast<double>(pool.busy()); });
  r.add_gauge("authd_hash_queue_length", "Hashes waiting for a thread (beyond the queue's capacity: 503).",
              [&pool] { return static_cast<double>(pool.queued()); });
  r.add("authd_db_connections", "Database connections, by state (in_use: lent to an operation).",
        obs::metric_type::gauge, [&store](obs::sample_writer& w) {
          const auto c = store.connections();
          w.value({{"state", "in_use"}}, static_cast<std::uint64_t>(c.in_use));
          w.value({{"state", "idle"}}, static_cast<std::uint64_t>(c.open - std::min(c.open, c.in_use)));
        });
  r.add_gauge("authd_db_connection_waiters", "Operations waiting for a database connection.",
              [&store] { return static_cast<double>(store.connections().waiting); });
  obs::register_process_metrics(r);
}

}  // namespace authd::app
