#include "app/hash_bench.hpp"

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <thread>
#include <vector>

#include "auth/password_hasher.hpp"

namespace authd::app {

namespace {

using clock = std::chrono::steady_clock;

// Hashes on `threads` threads until `budget` has passed; hashes per second, all threads together.
double hashes_per_second(const auth::password_hasher& hasher, unsigned threads,
                         std::chrono::duration<double> budget) {
  std::atomic<long> hashes{0};
  const auto start = clock::now();
  std::vector<std::thread> workers;
  for (unsigned i = 0; i < threads; ++i)
    workers.emplace_back([&] {
      do {
        hasher.hash("hash-bench password");
        hashes.fetch_add(1, std::memory_order_relaxed);
      } while (clock::now() - start < budget);
    });
  for (auto& worker : workers) worker.join();
  return hashes.load() / std::chrono::duration<double>(clock::now() - start).count();
}

}  // namespace

int hash_bench(const config::settings& s, double seconds) {
  // Built as `serve` builds it, so the figure is the one the server lives with.
  const auth::password_hasher hasher({.memory_kib = s.argon2_memory_kib, .iterations = s.argon2_iterations});
  const auto budget = std::chrono::duration<double>(seconds);
  hasher.hash("hash-bench warm-up");  // first touch of the code and allocator is not the steady state

  const double ms_per_hash = 1000.0 / hashes_per_second(hasher, 1, budget);
  // One hash runs on one core (p=1): more pool threads than cores add nothing.
  const unsigned cores = std::max(1u, std::thread::hardware_concurrency());
  const unsigned parallel = std::min(s.hash_threads, cores);
  // The limit assumes parallel hashes do not slow each other; the measured figure says whether
  // they do (memory bandwidth, page faults on each hash's fresh memory).
  const double measured = parallel > 1 ? hashes_per_second(hasher, parallel, budget) : 1000.0 / ms_per_hash;
  std::printf(
      "{\"memory_kib\":%u,\"iterations\":%u,\"parallelism\":1,\"ms_per_hash\":%.2f,\"hash_threads\":%u,"
      "\"cores\":%u,\"limit_per_second\":%.1f,\"measured_parallel_per_second\":%.1f}\n",
      s.argon2_memory_kib, s.argon2_iterations, ms_per_hash, s.hash_threads, cores,
      parallel / ms_per_hash * 1000.0, measured);
  return 0;
}

}  // namespace authd::app
