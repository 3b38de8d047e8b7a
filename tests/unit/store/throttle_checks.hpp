// Throttling as both stores must apply it, run against a real store: the same numbers as the
// domain's rule (tests/unit/auth/throttle_policy_test.cpp), so the SQL and the rule agree.
#pragma once

#include <gtest/gtest.h>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/io_context.hpp>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "store/store.hpp"
#include "unit/store/run_sync.hpp"

namespace authd::store::test_support {

inline constexpr micros throttle_second = 1'000'000;
inline constexpr micros throttle_t0 = 1'700'000'000 * throttle_second;

// Three failures, a 60 s block doubling to 300 s, counted until quiet for 900 s.
inline constexpr throttle_rule scenario_rule{.limit = 3,
                                             .window = 900 * throttle_second,
                                             .base_block = 60 * throttle_second,
                                             .max_block = 300 * throttle_second};

inline micros at_second(std::int64_t s) {
  return throttle_t0 + s * throttle_second;
}

// Runs `operation` on `io` and returns its value, nullopt on a store error. Not through run_sync:
// g++ 12 at -O1 warns (falsely) that a result<std::vector> handed to a completion handler may be
// uninitialized.
template <class T, class Operation>
std::optional<T> value_of(boost::asio::io_context& io, Operation operation) {
  std::optional<T> out;
  boost::asio::co_spawn(
      io,
      [&]() -> boost::asio::awaitable<void> {
        auto done = co_await operation();
        if (done) out = std::move(*done);
      },
      boost::asio::detached);
  io.restart();
  io.run();
  return out;
}

inline std::optional<std::vector<throttle_state>> record(store& s, boost::asio::io_context& io,
                                                         const std::vector<throttle_hit>& hits, micros now) {
  return value_of<std::vector<throttle_state>>(io, [&] { return s.record_throttle_failures(hits, now); });
}

inline throttle_state record_one(store& s, boost::asio::io_context& io, const std::string& key, micros now,
                                 const throttle_rule& rule = scenario_rule) {
  const std::vector<throttle_hit> hits{{key, rule}};
  auto states = record(s, io, hits, now);
  if (!states || states->size() != 1) {
    ADD_FAILURE() << "one state expected";
    return {};
  }
  return states->front();
}

inline std::vector<micros> blocks_of(store& s, boost::asio::io_context& io,
                                     const std::vector<std::string>& keys) {
  auto blocks = value_of<std::vector<micros>>(io, [&] { return s.find_throttle_blocks(keys); });
  EXPECT_TRUE(blocks.has_value());
  return blocks ? *blocks : std::vector<micros>{};
}

// Counting, the block at the limit, doubling to the cap, and the count starting over only after a
// whole quiet window following the block.
inline void check_throttle_rule(store& s, boost::asio::io_context& io) {
  const std::string key = "0123456789abcdef0123456789abcdef";
  struct step {
    std::int64_t at;
    throttle_state expected;
  };
  const std::vector<step> steps{
      {0, {1, at_second(0), 0}},
      {10, {2, at_second(10), 0}},
      {20, {3, at_second(20), at_second(80)}},
      {80, {4, at_second(80), at_second(200)}},
      {200, {5, at_second(200), at_second(440)}},
      {440, {6, at_second(440), at_second(740)}},  // capped at 300 s
      {740, {7, at_second(740), at_second(1040)}},
      {1939, {8, at_second(1939), at_second(2239)}},  // the block ended 899 s ago: still counting
      {3139, {1, at_second(3139), 0}},                // quiet for 900 s after the block: over
  };
  for (const auto& st : steps) {
    EXPECT_EQ(record_one(s, io, key, at_second(st.at)), st.expected) << "failure at " << st.at << " s";
  }
  // A limit of one blocks at the first failure.
  const throttle_rule strict{.limit = 1,
                             .window = 900 * throttle_second,
                             .base_block = 5 * throttle_second,
                             .max_block = 5 * throttle_second};
  EXPECT_EQ(record_one(s, io, "strict", at_second(0), strict),
            (throttle_state{1, at_second(0), at_second(5)}));
}

// Blocks read back per key, in order; unknown keys are 0; clearing forgets; the sweep deletes what
// no longer matters and keeps the rest.
inline void check_throttle_bookkeeping(store& s, boost::asio::io_context& io) {
  for (int i = 0; i < 3; ++i) record_one(s, io, "blocked", at_second(i));
  record_one(s, io, "counting", at_second(0));
  EXPECT_EQ(blocks_of(s, io, {"counting", "unknown", "blocked"}), (std::vector<micros>{0, 0, at_second(62)}));
  EXPECT_EQ(blocks_of(s, io, {"blocked"}), (std::vector<micros>{at_second(62)}));

  // Several keys in one call, each under its own rule, states in the order given.
  const throttle_rule strict{.limit = 1,
                             .window = 900 * throttle_second,
                             .base_block = 7 * throttle_second,
                             .max_block = 7 * throttle_second};
  const std::vector<throttle_hit> hits{{"zz-strict", strict}, {"counting", scenario_rule}};
  auto states = record(s, io, hits, at_second(5));
  ASSERT_TRUE(states.has_value());
  EXPECT_EQ(*states, (std::vector<throttle_state>{{1, at_second(5), at_second(12)}, {2, at_second(5), 0}}));

  ASSERT_TRUE(run_sync(io, s.clear_throttle("blocked")).has_value());
  EXPECT_EQ(blocks_of(s, io, {"blocked"}), (std::vector<micros>{0}));
  EXPECT_EQ(record_one(s, io, "blocked", at_second(10)), (throttle_state{1, at_second(10), 0}));
  ASSERT_TRUE(run_sync(io, s.clear_throttle("never-seen")).has_value());

  // "counting" and "blocked" expire 900 s after their last failure (5 s, 10 s), "zz-strict" 900 s
  // after its block (12 s).
  auto none = run_sync(io, s.delete_idle_throttles(at_second(904)));
  ASSERT_TRUE(none.has_value());
  EXPECT_EQ(*none, 0u);
  auto one = run_sync(io, s.delete_idle_throttles(at_second(905)));
  ASSERT_TRUE(one.has_value());
  EXPECT_EQ(*one, 1u);
  EXPECT_EQ(record_one(s, io, "counting", at_second(905)), (throttle_state{1, at_second(905), 0}))
      << "a swept key starts over";
  auto rest = run_sync(io, s.delete_idle_throttles(at_second(912)));
  ASSERT_TRUE(rest.has_value());
  EXPECT_EQ(*rest, 2u);
}

}  // namespace authd::store::test_support
