#include "app/hash_bench.hpp"

#include <argon2.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <functional>
#include <latch>
#include <mutex>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

#include "auth/argon2/thread_arena.hpp"
#include "auth/password_hasher.hpp"

namespace authd::app {

namespace {

using clock = std::chrono::steady_clock;
namespace argon2 = auth::argon2;

// Runs `hash_once` on `threads` threads until `budget` has passed, after one untimed call on each
// (the first touches the code and, for authd's Argon2, maps the thread's arena); hashes per second,
// all threads together.
double hashes_per_second(const std::function<void()>& hash_once, unsigned threads,
                         std::chrono::duration<double> budget) {
  std::atomic<long> hashes{0};
  std::latch warmed(threads + 1);
  std::latch go(1);
  clock::time_point start;
  std::vector<std::thread> workers;
  for (unsigned i = 0; i < threads; ++i)
    workers.emplace_back([&] {
      hash_once();
      warmed.arrive_and_wait();
      go.wait();
      do {
        hash_once();
        hashes.fetch_add(1, std::memory_order_relaxed);
      } while (clock::now() - start < budget);
    });
  warmed.arrive_and_wait();
  start = clock::now();
  go.count_down();
  for (auto& worker : workers) worker.join();
  return hashes.load() / std::chrono::duration<double>(clock::now() - start).count();
}

std::string two_decimals(double value) {
  char text[32];
  std::snprintf(text, sizeof text, "%.2f", value);
  return text;
}

std::function<void()> hashing_with(const auth::password_hasher& hasher) {
  return [&hasher] { hasher.hash("hash-bench password"); };
}

// The reference implementation (Debian's libargon2), as a user of it would call it: a fresh
// allocation per hash, same parameters, salt and tag sizes.
std::function<void()> hashing_with_libargon2(const config::settings& s) {
  return [&s] {
    static constexpr char password[] = "hash-bench password";
    const unsigned char salt[16] = {};
    unsigned char tag[32];
    if (argon2id_hash_raw(s.argon2_iterations, s.argon2_memory_kib, 1, password, sizeof password - 1, salt,
                          sizeof salt, tag, sizeof tag) != ARGON2_OK) {
      throw std::runtime_error("libargon2 failed");
    }
  };
}

// What the system granted the hashing memory: an arena for each of `threads` threads, all mapped
// at once, since the memory-lock limit counts them together.
std::string arena_json(const auth::password_hasher& hasher, unsigned threads) {
  if (hasher.implementation() == argon2::implementation::libsodium) return "null";
  std::mutex mutex;
  bool all_locked = true;
  std::size_t mib_each = 0, huge_page_kib = 0;
  std::latch mapped(threads);
  std::vector<std::thread> workers;
  for (unsigned i = 0; i < threads; ++i)
    workers.emplace_back([&] {
      hasher.hash("hash-bench arena");
      mapped.arrive_and_wait();
      const argon2::arena* arena = argon2::existing_thread_arena();
      const auto facts = arena->facts();
      std::lock_guard lock(mutex);
      all_locked = all_locked && arena->locked();
      mib_each = arena->capacity() / 1024;
      huge_page_kib += facts.huge_page_kib;
    });
  for (auto& worker : workers) worker.join();
  return "{\"threads\":" + std::to_string(threads) + ",\"mib_each\":" + std::to_string(mib_each) +
         ",\"huge_page_mib\":" + std::to_string(huge_page_kib / 1024) +
         ",\"locked\":" + (all_locked ? "true" : "false") + "}";
}

}  // namespace

int hash_bench(const config::settings& s, double seconds) {
  const auto budget = std::chrono::duration<double>(seconds);
  auto hasher_for = [&s](argon2::implementation implementation) {
    return auth::password_hasher({.memory_kib = s.argon2_memory_kib,
                                  .iterations = s.argon2_iterations,
                                  .implementation = implementation});
  };
  // Built as `serve` builds it, so the figure is the one the server lives with.
  const auth::password_hasher hasher = hasher_for(s.argon2_implementation);
  const double ms_per_hash = 1000.0 / hashes_per_second(hashing_with(hasher), 1, budget);
  // One hash runs on one core (p=1): more pool threads than cores add nothing.
  const unsigned cores = std::max(1u, std::thread::hardware_concurrency());
  const unsigned parallel = std::min(s.hash_threads, cores);
  // The limit assumes parallel hashes do not slow each other; the measured figure says whether
  // they do (memory bandwidth, and for libsodium page faults on each hash's fresh memory).
  const double measured =
      parallel > 1 ? hashes_per_second(hashing_with(hasher), parallel, budget) : 1000.0 / ms_per_hash;

  // Every other implementation, one thread each, for comparison.
  const std::string configured(argon2::name_of(hasher.implementation()));
  std::string by_implementation = "\"" + configured + "\":" + two_decimals(ms_per_hash);
  for (const auto other : {argon2::implementation::avx512, argon2::implementation::avx2,
                           argon2::implementation::portable, argon2::implementation::libsodium}) {
    if (other == hasher.implementation() || !argon2::supported(other)) continue;
    const auto other_hasher = hasher_for(other);
    const double ms = 1000.0 / hashes_per_second(hashing_with(other_hasher), 1, budget);
    by_implementation += ",\"" + std::string(argon2::name_of(other)) + "\":" + two_decimals(ms);
  }
  const double libargon2_ms = 1000.0 / hashes_per_second(hashing_with_libargon2(s), 1, budget);
  by_implementation += ",\"libargon2\":" + two_decimals(libargon2_ms);

  std::printf(
      "{\"memory_kib\":%u,\"iterations\":%u,\"parallelism\":1,\"implementation\":\"%s\",\"ms_per_hash\":%.2f,"
      "\"hash_threads\":%u,\"cores\":%u,\"limit_per_second\":%.1f,\"measured_parallel_per_second\":%.1f,"
      "\"ms_per_hash_by_implementation\":{%s},\"arena\":%s}\n",
      s.argon2_memory_kib, s.argon2_iterations, configured.c_str(), ms_per_hash, s.hash_threads, cores,
      parallel / ms_per_hash * 1000.0, measured, by_implementation.c_str(),
      arena_json(hasher, parallel).c_str());
  return 0;
}

}  // namespace authd::app
