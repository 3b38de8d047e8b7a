// The PostgreSQL store under pressure and failure: a bounded pool under concurrency, FIFO waiting,
// acquire/query/connect timeouts, dropped connections, an unreachable or silent server.
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include <atomic>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/executor_work_guard.hpp>
#include <chrono>
#include <cstring>
#include <future>
#include <mutex>
#include <thread>
#include <vector>

#include "unit/store/temp_dir.hpp"
#include "unit/store_postgres/postgres_store_fixture.hpp"

namespace authd::store::postgres {
namespace {

using namespace store_testing;
using namespace std::chrono_literals;
using authd::store::test_support::temp_dir;
using ::testing::HasSubstr;

void run_on_two_threads(boost::asio::io_context& io) {
  io.restart();
  std::thread other([&] { io.run(); });
  io.run();
  other.join();
}

// Runs handlers until `done` holds (a handler is always pending while an operation is in flight).
template <class Done>
void run_until(boost::asio::io_context& io, Done done) {
  io.restart();
  while (!done()) io.run_one();
}

// Waits, without a deadline of its own, until the server shows the store's backend in `state`.
void wait_for_backend(raw_postgres& raw, const std::string& condition) {
  while (raw.query_int("SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() AND "
                       "application_name = 'authd' AND " +
                       condition) == 0) {
    std::this_thread::sleep_for(5ms);
  }
}

std::int64_t store_backend_pid(raw_postgres& raw) {
  return raw.query_int(
      "SELECT pid FROM pg_stat_activity WHERE datname = current_database() AND application_name = 'authd'");
}

std::int64_t store_backends(raw_postgres& raw) {
  return raw.query_int(
      "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() AND application_name = "
      "'authd'");
}

// Holds an exclusive lock on users, so that every store query on it blocks.
class table_lock {
 public:
  explicit table_lock(const std::string& url) : raw_(url) {
    raw_.exec("BEGIN");
    raw_.exec("LOCK TABLE users IN ACCESS EXCLUSIVE MODE");
  }
  table_lock(const table_lock&) = delete;
  table_lock& operator=(const table_lock&) = delete;
  ~table_lock() { release(); }
  void release() {
    if (held_) raw_.exec("COMMIT");
    held_ = false;
  }

 private:
  raw_postgres raw_;
  bool held_ = true;
};

// A Unix socket where PostgreSQL would listen, accepting connections (the kernel does) but never
// answering: what a hung server looks like to a client.
class silent_server {
 public:
  explicit silent_server(const std::filesystem::path& dir) : fd_(::socket(AF_UNIX, SOCK_STREAM, 0)) {
    sockaddr_un address{};
    address.sun_family = AF_UNIX;
    const std::string path = (dir / ".s.PGSQL.5432").string();
    std::strncpy(address.sun_path, path.c_str(), sizeof address.sun_path - 1);
    if (fd_ < 0 || ::bind(fd_, reinterpret_cast<const sockaddr*>(&address), sizeof address) != 0 ||
        ::listen(fd_, 16) != 0) {
      throw std::runtime_error("cannot listen on " + path);
    }
  }
  silent_server(const silent_server&) = delete;
  silent_server& operator=(const silent_server&) = delete;
  ~silent_server() { ::close(fd_); }

 private:
  int fd_;
};

TEST_F(postgres_store_test, more_concurrent_operations_than_connections_all_succeed) {
  auto o = options();
  o.pool_size = 2;
  open_store(o);
  const auto ann = make_user(1, "ann@example.com");
  const auto session = make_session(1, ann.id);
  ASSERT_TRUE(create_user(ann, session).has_value());

  constexpr int operations = 50;
  std::atomic<int> succeeded{0};
  std::atomic<std::size_t> most_waiting{0};
  for (int i = 0; i < operations; ++i) {
    boost::asio::co_spawn(
        io_,
        [&, i]() -> boost::asio::awaitable<void> {
          bool ok = false;
          if (i % 2 == 0) {
            auto found = co_await store_->find_user_and_session(ann.id, session.id);
            ok = found.has_value() && found->user && found->session;
          } else {
            auto found = co_await store_->find_user_by_email_key("ann@example.com");
            ok = found.has_value() && found->has_value();
          }
          if (ok) ++succeeded;
          std::size_t waiting = store_->connections().waiting;
          std::size_t seen = most_waiting.load();
          while (waiting > seen && !most_waiting.compare_exchange_weak(seen, waiting)) {
          }
        },
        boost::asio::detached);
  }
  run_on_two_threads(io_);

  EXPECT_EQ(succeeded.load(), operations);
  const auto stats = store_->connections();
  EXPECT_EQ(stats.open, 2u);
  EXPECT_EQ(stats.in_use, 0u);
  EXPECT_EQ(stats.waiting, 0u);
  EXPECT_GT(most_waiting.load(), 0u) << "operations had to wait for a connection";
  raw_postgres raw(database_.url());
  EXPECT_EQ(store_backends(raw), 2) << "never more connections than the pool size";
}

TEST_F(postgres_store_test, concurrent_registrations_of_one_email_key_give_exactly_one_user) {
  auto o = options();
  o.pool_size = 4;
  open_store(o);
  constexpr int attempts = 16;
  std::atomic<int> created{0}, duplicates{0}, others{0};
  for (int i = 0; i < attempts; ++i) {
    boost::asio::co_spawn(
        io_,
        [&, i]() -> boost::asio::awaitable<void> {
          const auto user = make_user(static_cast<unsigned long>(i), "race@example.com");
          auto done =
              co_await store_->create_user(user, make_session(static_cast<unsigned long>(i), user.id));
          if (done.has_value()) {
            ++created;
          } else if (done.error() == store_error::duplicate_email) {
            ++duplicates;
          } else {
            ++others;
          }
        },
        boost::asio::detached);
  }
  run_on_two_threads(io_);

  EXPECT_EQ(created.load(), 1);
  EXPECT_EQ(duplicates.load(), attempts - 1);
  EXPECT_EQ(others.load(), 0);
  raw_postgres raw(database_.url());
  EXPECT_EQ(raw.query_int("SELECT count(*) FROM users"), 1);
  EXPECT_EQ(raw.query_int("SELECT count(*) FROM sessions"), 1);
}

TEST_F(postgres_store_test, waiting_beyond_the_acquire_timeout_is_unavailable) {
  auto o = options();
  o.pool_size = 1;
  o.query_timeout = 30s;
  o.acquire_timeout = 100ms;
  open_store(o);
  ASSERT_TRUE(run_sync(io_, store_->ping()));  // the one connection is open
  table_lock lock(database_.url());

  std::optional<result<std::optional<user_record>>> blocked, refused;
  boost::asio::co_spawn(
      io_, [&]() -> boost::asio::awaitable<void> { blocked = co_await store_->find_user_by_email_key("a"); },
      boost::asio::detached);
  boost::asio::co_spawn(
      io_, [&]() -> boost::asio::awaitable<void> { refused = co_await store_->find_user_by_email_key("b"); },
      boost::asio::detached);
  run_until(io_, [&] { return refused.has_value(); });

  ASSERT_FALSE(refused->has_value());
  EXPECT_EQ(refused->error(), store_error::unavailable);
  EXPECT_FALSE(blocked.has_value()) << "the first operation still holds the connection";
  EXPECT_EQ(store_->connections().waiting, 0u);

  lock.release();
  run_until(io_, [&] { return blocked.has_value(); });
  EXPECT_TRUE(blocked->has_value());
}

TEST_F(postgres_store_test, waiters_are_served_first_come_first_served) {
  auto o = options();
  o.pool_size = 1;
  o.query_timeout = 30s;
  o.acquire_timeout = 30s;
  open_store(o);
  ASSERT_TRUE(run_sync(io_, store_->ping()));
  table_lock lock(database_.url());

  std::mutex mutex;
  std::vector<int> finished;
  auto spawn = [&](int id) {
    boost::asio::co_spawn(
        io_,
        [&, id]() -> boost::asio::awaitable<void> {
          auto found = co_await store_->find_user_by_email_key("x");
          EXPECT_TRUE(found.has_value());
          std::lock_guard guard(mutex);
          finished.push_back(id);
        },
        boost::asio::detached);
  };
  spawn(1);
  run_until(io_, [&] { return store_->connections().in_use == 1; });
  for (int id = 2; id <= 4; ++id) {
    spawn(id);
    run_until(io_, [&] { return store_->connections().waiting == static_cast<std::size_t>(id - 1); });
  }
  lock.release();
  run_until(io_, [&] { return finished.size() == 4; });
  EXPECT_EQ(finished, (std::vector<int>{1, 2, 3, 4}));
}

TEST_F(postgres_store_test, a_query_beyond_its_timeout_is_unavailable_and_its_connection_discarded) {
  auto o = options();
  o.pool_size = 1;
  o.query_timeout = 200ms;
  open_store(o);
  ASSERT_TRUE(run_sync(io_, store_->ping()));
  ASSERT_EQ(store_->connections().open, 1u);
  table_lock lock(database_.url());

  auto found = run_sync(io_, store_->find_user_by_email_key("ann@example.com"));
  ASSERT_FALSE(found.has_value());
  EXPECT_EQ(found.error(), store_error::unavailable);
  // The client gave up (the server's own statement_timeout is later): the connection is in the
  // middle of a query and cannot be reused.
  EXPECT_EQ(store_->connections().open, 0u);

  lock.release();
  EXPECT_TRUE(find_by_key("nobody@example.com") == std::nullopt);
  EXPECT_TRUE(run_sync(io_, store_->ping()));
  EXPECT_EQ(store_->connections().open, 1u);
}

TEST_F(postgres_store_test, an_idle_connection_the_server_dropped_is_replaced) {
  auto o = options();
  o.pool_size = 1;
  open_store(o);
  const auto ann = make_user(1, "ann@example.com");
  ASSERT_TRUE(create_user(ann, make_session(1, ann.id)).has_value());

  raw_postgres raw(database_.url());
  const auto before = store_backend_pid(raw);
  ASSERT_EQ(raw.query_text("SELECT pg_terminate_backend(" + std::to_string(before) + ", 10000)"), "t");

  // The very next operation succeeds: the dead connection is noticed before it is used.
  auto found = find_by_key("ann@example.com");
  ASSERT_TRUE(found.has_value());
  EXPECT_EQ(found->id, ann.id);
  EXPECT_NE(store_backend_pid(raw), before);
  EXPECT_EQ(store_->connections().open, 1u);
}

TEST_F(postgres_store_test, a_connection_dropped_mid_query_is_unavailable_then_replaced) {
  auto o = options();
  o.pool_size = 1;
  o.query_timeout = 30s;
  open_store(o);
  ASSERT_TRUE(run_sync(io_, store_->ping()));
  table_lock lock(database_.url());

  auto work = boost::asio::make_work_guard(io_);
  io_.restart();
  std::thread runner([&] { io_.run(); });
  std::promise<result<std::optional<user_record>>> promise;
  boost::asio::co_spawn(
      io_,
      [&]() -> boost::asio::awaitable<void> {
        promise.set_value(co_await store_->find_user_by_email_key("ann@example.com"));
      },
      boost::asio::detached);

  raw_postgres raw(database_.url());
  wait_for_backend(raw, "wait_event_type = 'Lock'");
  raw.exec("SELECT pg_terminate_backend(" + std::to_string(store_backend_pid(raw)) + ", 10000)");
  auto found = promise.get_future().get();
  work.reset();
  runner.join();

  ASSERT_FALSE(found.has_value());
  EXPECT_EQ(found.error(), store_error::unavailable);
  EXPECT_EQ(store_->connections().open, 0u);
  lock.release();
  EXPECT_TRUE(run_sync(io_, store_->ping()));
}

TEST(postgres_store_outage, an_unreachable_server_is_unavailable_at_once_and_the_password_never_logged) {
  temp_dir no_server;  // a socket directory where nothing listens
  boost::asio::io_context io;
  auto o = options_for("postgresql://authd:s3cret-pw@/postgres?host=" + no_server.path().string());
  o.connect_timeout = 60s;
  postgres_store store(io.get_executor(), o);
  std::string logged;
  {
    log_capture capture;
    const auto user = make_user(1, "ann@example.com");
    auto created = run_sync(io, store.create_user(user, make_session(1, user.id)));
    ASSERT_FALSE(created.has_value());
    EXPECT_EQ(created.error(), store_error::unavailable);
    EXPECT_FALSE(run_sync(io, store.ping()));
    logged = capture.text();
  }
  EXPECT_THAT(logged, HasSubstr("unavailable"));
  EXPECT_THAT(logged, HasSubstr(no_server.path().string())) << "where it tried is worth logging";
  EXPECT_EQ(logged.find("s3cret-pw"), std::string::npos);
  EXPECT_EQ(store.connections().open, 0u);
}

TEST(postgres_store_outage, an_unparsable_url_is_not_quoted_in_the_log) {
  boost::asio::io_context io;
  postgres_store store(io.get_executor(), options_for("postgresql://authd:pa%zzword@/postgres"));
  std::string logged;
  {
    log_capture capture;
    EXPECT_FALSE(run_sync(io, store.ping()));
    logged = capture.text();
  }
  EXPECT_THAT(logged, HasSubstr("URL is not valid"));
  EXPECT_EQ(logged.find("zzword"), std::string::npos);
}

TEST(postgres_store_outage, a_server_that_never_answers_is_unavailable_after_the_connect_timeout) {
  temp_dir dir;
  silent_server silent(dir.path());
  boost::asio::io_context io;
  auto o = options_for("postgresql://authd@/postgres?host=" + dir.path().string());
  o.connect_timeout = 200ms;
  postgres_store store(io.get_executor(), o);
  auto found = run_sync(io, store.find_user_by_email_key("ann@example.com"));
  ASSERT_FALSE(found.has_value());
  EXPECT_EQ(found.error(), store_error::unavailable);
  EXPECT_EQ(store.connections().open, 0u);
  EXPECT_EQ(store.connections().in_use, 0u);
}

TEST(postgres_store_outage, recovers_by_itself_when_the_server_comes_back) {
  // The shared server cannot be stopped (other tests use it): a URL naming a database that does
  // not exist yet stands in for a server that is down, then comes back.
  test_database database;
  const std::string missing = database.name() + "_later";
  const std::string url = with_database(database.url(), missing);
  boost::asio::io_context io;
  postgres_store store(io.get_executor(), options_for(url, 1));
  auto down = run_sync(io, store.find_user_by_email_key("ann@example.com"));
  ASSERT_FALSE(down.has_value());
  EXPECT_EQ(down.error(), store_error::unavailable);

  raw_postgres(database.url()).exec("CREATE DATABASE " + missing);
  struct drop_later {
    std::string admin, name;
    ~drop_later() {
      try {
        raw_postgres(admin).exec("DROP DATABASE IF EXISTS " + name + " WITH (FORCE)");
      } catch (...) {
      }
    }
  } cleanup{database.url(), missing};
  migrate(url);
  auto up = run_sync(io, store.find_user_by_email_key("ann@example.com"));
  ASSERT_TRUE(up.has_value());
  EXPECT_FALSE(up->has_value());
}

}  // namespace
}  // namespace authd::store::postgres
