#include "auth/offload.hpp"

#include <gtest/gtest.h>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/io_context.hpp>
#include <future>
#include <memory>
#include <new>
#include <stdexcept>
#include <thread>

namespace authd::auth {
namespace {

namespace asio = boost::asio;

// Runs `body` as a coroutine on a fresh io_context on this thread, to completion; an exception
// escaping the coroutine fails the test through run().
template <class Body>
void run_coroutine(Body body) {
  asio::io_context io;
  bool finished = false;
  asio::co_spawn(io, std::move(body), [&finished](const std::exception_ptr& error) {
    finished = true;
    if (error) std::rethrow_exception(error);
  });
  io.run();
  EXPECT_TRUE(finished);
}

TEST(offload, runs_on_the_pool_and_resumes_on_the_coroutine_thread) {
  hash_pool pool(1, 4);
  const auto io_thread = std::this_thread::get_id();
  std::thread::id worker_thread;
  std::thread::id resumed_on;
  std::optional<int> result;
  run_coroutine([&]() -> asio::awaitable<void> {
    result = co_await run_on_pool(pool, [&] {
      worker_thread = std::this_thread::get_id();
      return 42;
    });
    resumed_on = std::this_thread::get_id();
  });
  EXPECT_EQ(result, 42);
  EXPECT_NE(worker_thread, io_thread);
  EXPECT_EQ(resumed_on, io_thread);
}

TEST(offload, carries_move_only_results) {
  hash_pool pool(1, 4);
  int value = 0;
  run_coroutine([&]() -> asio::awaitable<void> {
    auto result = co_await run_on_pool(pool, [] { return std::make_unique<int>(7); });
    if (result && *result) value = **result;
  });
  EXPECT_EQ(value, 7);
}

TEST(offload, refused_job_gives_nullopt_and_does_not_run) {
  hash_pool pool(1, 4);
  pool.drain();
  bool ran = false;
  bool got_nullopt = false;
  run_coroutine([&]() -> asio::awaitable<void> {
    const auto result = co_await run_on_pool(pool, [&] {
      ran = true;
      return 1;
    });
    got_nullopt = !result.has_value();
  });
  EXPECT_TRUE(got_nullopt);
  EXPECT_FALSE(ran);
}

TEST(offload, full_queue_gives_nullopt) {
  hash_pool pool(1, 0);
  std::promise<void> started;
  std::promise<void> release;
  ASSERT_TRUE(pool.try_submit([&, released = release.get_future().share()] {
    started.set_value();
    released.wait();
  }));
  started.get_future().wait();
  bool got_nullopt = false;
  run_coroutine([&]() -> asio::awaitable<void> {
    got_nullopt = !(co_await run_on_pool(pool, [] { return 1; })).has_value();
  });
  release.set_value();
  EXPECT_TRUE(got_nullopt);
}

TEST(offload, exceptions_are_rethrown_in_the_coroutine) {
  hash_pool pool(1, 4);
  bool caught_bad_alloc = false;
  std::string runtime_message;
  std::thread::id caught_on;
  run_coroutine([&]() -> asio::awaitable<void> {
    try {
      co_await run_on_pool(pool, []() -> int { throw std::bad_alloc(); });
    } catch (const std::bad_alloc&) {
      caught_bad_alloc = true;
      caught_on = std::this_thread::get_id();
    }
    try {
      co_await run_on_pool(pool, []() -> int { throw std::runtime_error("boom"); });
    } catch (const std::runtime_error& e) {
      runtime_message = e.what();
    }
  });
  EXPECT_TRUE(caught_bad_alloc);
  EXPECT_EQ(caught_on, std::this_thread::get_id());
  EXPECT_EQ(runtime_message, "boom");
}

TEST(offload, many_coroutines_share_a_small_pool) {
  hash_pool pool(2, 64);
  asio::io_context io;
  int completed = 0;
  for (int i = 0; i < 32; ++i) {
    asio::co_spawn(
        io,
        [&, i]() -> asio::awaitable<void> {
          const auto result = co_await run_on_pool(pool, [i] { return i * 2; });
          if (result == i * 2) ++completed;  // only the io thread touches `completed`
        },
        [](const std::exception_ptr& error) {
          if (error) std::rethrow_exception(error);
        });
  }
  io.run();
  EXPECT_EQ(completed, 32);
}

}  // namespace
}  // namespace authd::auth
