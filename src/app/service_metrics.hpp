// The gauges of the service's parts for /metrics: build facts, the hashing pool, the database
// connections, and the process.
#pragma once

#include <string_view>

#include "auth/hash_pool.hpp"
#include "obs/metrics.hpp"
#include "store/store.hpp"

namespace authd::app {

struct build_facts {
  std::string_view version;
  std::string_view argon2;  // the Argon2 implementation in use
  std::string_view store;   // "sqlite" or "postgres"
};

// `pool` and `store` must outlive `r`'s scrapes.
void register_service_metrics(obs::registry& r, const build_facts& build, const auth::hash_pool& pool,
                              const store::store& store);

}  // namespace authd::app
