// Runs blocking work (Argon2) on the hash_pool from a coroutine, and resumes the coroutine on its
// own executor with the result, so I/O threads never block and never lose their coroutines to a
// pool thread.
#pragma once

#include <boost/asio/append.hpp>
#include <boost/asio/associated_executor.hpp>
#include <boost/asio/async_result.hpp>
#include <boost/asio/awaitable.hpp>
#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <exception>
#include <functional>
#include <memory>
#include <optional>
#include <type_traits>
#include <utility>

#include "auth/hash_pool.hpp"

namespace authd::auth {
namespace detail {

// Shared by the pool job and the initiating code: the pool may refuse (and destroy) the job,
// and then the initiator still needs the handler to complete with "refused".
template <class Handler, class F>
struct offload_operation {
  using executor_type = boost::asio::associated_executor_t<Handler>;
  using result_type = std::invoke_result_t<F>;

  offload_operation(Handler h, F f)
      : work(boost::asio::get_associated_executor(h)), handler(std::move(h)), fn(std::move(f)) {}

  // Called exactly once, from a pool thread or from the initiator.
  void complete(std::exception_ptr error, std::optional<result_type> result) {
    auto executor = work.get_executor();
    boost::asio::post(executor, boost::asio::append(std::move(handler), std::move(error), std::move(result)));
    work.reset();  // the posted handler now keeps the executor busy
  }

  // Keeps the coroutine's io_context from running out of work while the job is on the pool.
  boost::asio::executor_work_guard<executor_type> work;
  Handler handler;
  F fn;
};

}  // namespace detail

// Runs `f` on `pool`; std::nullopt when the pool refused the job (queue full or stopping), which
// the caller turns into 503. Whatever `f` throws is rethrown here, in the coroutine.
template <class F>
boost::asio::awaitable<std::optional<std::invoke_result_t<F>>> run_on_pool(hash_pool& pool, F f) {
  using result_type = std::invoke_result_t<F>;
  static_assert(!std::is_void_v<result_type>, "run_on_pool needs a result to carry back");
  using signature = void(std::exception_ptr, std::optional<result_type>);

  auto initiation = [&pool](auto handler, F fn) {
    using operation = detail::offload_operation<decltype(handler), F>;
    auto op = std::make_shared<operation>(std::move(handler), std::move(fn));
    const bool accepted = pool.try_submit([op]() noexcept {
      std::exception_ptr error;
      std::optional<result_type> result;
      try {
        result.emplace(std::invoke(std::move(op->fn)));
      } catch (...) {
        error = std::current_exception();
      }
      op->complete(std::move(error), std::move(result));
    });
    if (!accepted) op->complete(nullptr, std::nullopt);
  };
  co_return co_await boost::asio::async_initiate<const boost::asio::use_awaitable_t<>&, signature>(
      std::move(initiation), boost::asio::use_awaitable, std::move(f));
}

}  // namespace authd::auth
