// Test helper: runs an awaitable to completion on an io_context and returns its value.
#pragma once

#include <boost/asio/awaitable.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/io_context.hpp>
#include <exception>
#include <optional>
#include <utility>

namespace authd::store::test_support {

template <class T>
T run_sync(boost::asio::io_context& io, boost::asio::awaitable<T> work) {
  std::optional<T> out;
  std::exception_ptr failure;
  boost::asio::co_spawn(io, std::move(work), [&](std::exception_ptr error, T value) {
    failure = error;
    if (!error) out.emplace(std::move(value));
  });
  io.restart();
  io.run();
  if (failure) std::rethrow_exception(failure);
  return std::move(*out);
}

}  // namespace authd::store::test_support
