#include "auth/hash_pool.hpp"

#include <gtest/gtest.h>
#include <sys/resource.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <future>
#include <memory>
#include <mutex>
#include <set>
#include <string>
#include <thread>
#include <vector>

namespace authd::auth {
namespace {

// A job that holds its worker until released, and says when it has started.
struct gate {
  std::promise<void> started;
  std::promise<void> release;
  std::shared_future<void> released = release.get_future().share();

  std::function<void()> job() {
    return [this] {
      started.set_value();
      released.wait();
    };
  }
};

TEST(hash_pool, workers_run_nicer_than_the_thread_that_made_the_pool) {
  const int ours = getpriority(PRIO_PROCESS, static_cast<id_t>(gettid()));
  std::promise<int> seen;
  hash_pool pool(1, 1);
  ASSERT_TRUE(
      pool.try_submit([&] { seen.set_value(getpriority(PRIO_PROCESS, static_cast<id_t>(gettid()))); }));
  EXPECT_EQ(seen.get_future().get(), std::min(ours + hash_pool::nice_increment, 19));
}

TEST(hash_pool, a_worker_says_it_is_idle_only_when_the_queue_runs_dry) {
  std::atomic<int> idle{0};
  std::atomic<int> ran{0};
  std::promise<void> all_idle;
  hash_pool pool(1, 4, {.idle = [&] {
                   if (++idle == 1) all_idle.set_value();
                 }});
  gate blocker;
  ASSERT_TRUE(pool.try_submit(blocker.job()));
  blocker.started.get_future().wait();
  for (int i = 0; i < 3; ++i) ASSERT_TRUE(pool.try_submit([&] { ++ran; }));
  blocker.release.set_value();
  all_idle.get_future().wait();
  EXPECT_EQ(ran.load(), 3);  // the idle call came after the last queued job, not between them
  pool.drain();
  EXPECT_EQ(idle.load(), 1);
}

TEST(hash_pool, every_worker_that_ran_a_job_says_so_before_it_sleeps) {
  std::mutex mutex;
  std::condition_variable changed;
  std::set<std::thread::id> ran, idle;
  hash_pool pool(2, 8, {.idle = [&] {
                   std::lock_guard lock(mutex);
                   idle.insert(std::this_thread::get_id());
                   changed.notify_all();
                 }});
  auto record = [&] {
    std::lock_guard lock(mutex);
    ran.insert(std::this_thread::get_id());
  };
  // Both workers busy at once, then a few short jobs that either may take.
  gate first, second;
  ASSERT_TRUE(pool.try_submit([&, job = first.job()] {
    record();
    job();
  }));
  ASSERT_TRUE(pool.try_submit([&, job = second.job()] {
    record();
    job();
  }));
  first.started.get_future().wait();
  second.started.get_future().wait();
  for (int i = 0; i < 4; ++i) ASSERT_TRUE(pool.try_submit(record));
  first.release.set_value();
  second.release.set_value();

  std::unique_lock lock(mutex);
  // The deadline only keeps a broken pool from hanging the test.
  EXPECT_TRUE(changed.wait_for(lock, std::chrono::seconds(30), [&] { return idle.size() == 2; }));
  EXPECT_EQ(ran.size(), 2U);
  EXPECT_EQ(idle, ran);
}

TEST(hash_pool, a_worker_that_ran_nothing_is_never_idle) {
  std::atomic<int> idle{0};
  {
    hash_pool pool(2, 1, {.idle = [&] { ++idle; }, .long_idle = [&] { ++idle; }});
  }
  EXPECT_EQ(idle.load(), 0);
}

TEST(hash_pool, a_worker_left_without_work_says_so_once_after_the_idle_call) {
  std::mutex mutex;
  std::condition_variable changed;
  std::vector<std::string> calls;
  auto note = [&](std::string what) {
    std::lock_guard lock(mutex);
    calls.push_back(std::move(what));
    changed.notify_all();
  };
  hash_pool pool(1, 4,
                 {.idle = [&] { note("idle"); },
                  .long_idle = [&] { note("long idle"); },
                  .long_after = std::chrono::milliseconds(20)});
  ASSERT_TRUE(pool.try_submit([&] { note("job"); }));
  std::unique_lock lock(mutex);
  // The deadline only keeps a broken pool from hanging the test.
  ASSERT_TRUE(changed.wait_for(lock, std::chrono::seconds(30), [&] { return calls.size() == 3; }));
  EXPECT_EQ(calls, (std::vector<std::string>{"job", "idle", "long idle"}));
  lock.unlock();

  // A new job starts the sequence over.
  ASSERT_TRUE(pool.try_submit([&] { note("job"); }));
  lock.lock();
  ASSERT_TRUE(changed.wait_for(lock, std::chrono::seconds(30), [&] { return calls.size() == 6; }));
  EXPECT_EQ(calls, (std::vector<std::string>{"job", "idle", "long idle", "job", "idle", "long idle"}));
}

TEST(hash_pool, a_job_before_the_long_idle_call_postpones_it) {
  std::atomic<int> long_idle{0};
  std::promise<void> second_ran;
  hash_pool pool(1, 4,
                 {.idle = [] {}, .long_idle = [&] { ++long_idle; }, .long_after = std::chrono::hours(1)});
  ASSERT_TRUE(pool.try_submit([] {}));
  ASSERT_TRUE(pool.try_submit([&] { second_ran.set_value(); }));
  second_ran.get_future().wait();
  pool.drain();
  EXPECT_EQ(long_idle.load(), 0);  // an hour had not passed, and none is owed at shutdown
}

TEST(hash_pool, has_at_least_one_worker) {
  EXPECT_EQ(hash_pool(0, 1).workers(), 1U);
  EXPECT_EQ(hash_pool(3, 1).workers(), 3U);
}

TEST(hash_pool, refuses_beyond_capacity_and_counts_busy_and_queued) {
  hash_pool pool(1, 2);
  gate blocker;
  ASSERT_TRUE(pool.try_submit(blocker.job()));
  blocker.started.get_future().wait();
  EXPECT_EQ(pool.busy(), 1U);
  EXPECT_EQ(pool.queued(), 0U);

  std::atomic<int> ran{0};
  EXPECT_TRUE(pool.try_submit([&] { ++ran; }));
  EXPECT_TRUE(pool.try_submit([&] { ++ran; }));
  EXPECT_EQ(pool.queued(), 2U);
  bool refused_job_ran = false;
  EXPECT_FALSE(pool.try_submit([&] { refused_job_ran = true; }));
  EXPECT_EQ(pool.queued(), 2U);

  blocker.release.set_value();
  pool.drain();
  EXPECT_EQ(ran.load(), 2);
  EXPECT_FALSE(refused_job_ran);
  EXPECT_EQ(pool.busy(), 0U);
  EXPECT_EQ(pool.queued(), 0U);
}

TEST(hash_pool, zero_capacity_still_runs_on_idle_workers) {
  hash_pool pool(2, 0);
  gate first;
  gate second;
  ASSERT_TRUE(pool.try_submit(first.job()));
  first.started.get_future().wait();
  ASSERT_TRUE(pool.try_submit(second.job()));
  second.started.get_future().wait();
  EXPECT_EQ(pool.busy(), 2U);
  EXPECT_FALSE(pool.try_submit([] {}));
  first.release.set_value();
  second.release.set_value();
  pool.drain();
}

TEST(hash_pool, runs_every_accepted_job) {
  hash_pool pool(2, 1000);
  std::atomic<int> ran{0};
  int accepted = 0;
  for (int i = 0; i < 500; ++i) accepted += pool.try_submit([&] { ++ran; }) ? 1 : 0;
  EXPECT_EQ(accepted, 500);
  pool.drain();
  EXPECT_EQ(ran.load(), 500);
}

TEST(hash_pool, drain_finishes_queued_work_then_refuses_more) {
  hash_pool pool(1, 10);
  gate blocker;
  ASSERT_TRUE(pool.try_submit(blocker.job()));
  blocker.started.get_future().wait();
  std::vector<int> done;  // only the single worker touches it
  for (int i = 0; i < 5; ++i) ASSERT_TRUE(pool.try_submit([&done, i] { done.push_back(i); }));

  std::thread releaser([&] { blocker.release.set_value(); });
  pool.drain();
  releaser.join();
  EXPECT_EQ(done, (std::vector<int>{0, 1, 2, 3, 4}));
  EXPECT_FALSE(pool.try_submit([] {}));
  pool.drain();  // idempotent
}

TEST(hash_pool, destructor_drops_queued_jobs_without_running_them) {
  std::atomic<int> ran{0};
  gate blocker;
  {
    hash_pool pool(1, 10);
    ASSERT_TRUE(pool.try_submit(blocker.job()));
    blocker.started.get_future().wait();
    // The blocker is released only when the queued jobs are destroyed, which the destructor does
    // after it has stopped the pool: so the worker can no longer pick them up.
    struct release_on_destruction {
      gate* g;
      ~release_on_destruction() { g->release.set_value(); }
    };
    auto releaser = std::make_shared<release_on_destruction>(&blocker);
    for (int i = 0; i < 3; ++i) ASSERT_TRUE(pool.try_submit([&ran, releaser] { ++ran; }));
    releaser.reset();
  }
  EXPECT_EQ(ran.load(), 0);
}

}  // namespace
}  // namespace authd::auth
