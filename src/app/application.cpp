#include "app/application.hpp"

#include <spdlog/spdlog.h>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/signal_set.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <cstdio>
#include <iostream>
#include <thread>
#include <vector>

#include "api/auth_routes.hpp"
#include "api/health_routes.hpp"
#include "auth/auth_service.hpp"
#include "config/jwt_secret.hpp"
#include "http/server.hpp"
#include "obs/logging.hpp"
#include "store/sqlite/sqlite_migrations.hpp"
#include "store/sqlite/sqlite_store.hpp"

namespace authd::app {

namespace {

constexpr int exit_ok = 0;
constexpr int exit_failure = 1;

void setup_logging(const config::settings& s) {
  // Both were validated by load_settings.
  obs::setup_logging(*obs::parse_log_format(s.log_format), *obs::parse_log_level(s.log_level));
}

// The embedded SQLite file, or nullptr after saying why another store is not available.
const config::sqlite_settings* sqlite_or_explain(const config::settings& s) {
  if (const auto* sqlite = std::get_if<config::sqlite_settings>(&s.database)) return sqlite;
  spdlog::error(
      "PostgreSQL (DATABASE_URL / DATABASE_HOST) is not supported by this build yet; unset them to use the "
      "embedded SQLite store");
  return nullptr;
}

std::string format_micros(store::micros t) {
  std::time_t secs = static_cast<std::time_t>(t / 1'000'000);
  std::tm tm{};
  gmtime_r(&secs, &tm);
  char buf[32];
  std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", &tm);
  return buf;
}

// Brings the schema up to date at start, or refuses to serve on an old one.
bool prepare_schema(const config::settings& s, const config::sqlite_settings& sqlite) {
  auto migrator = store::sqlite::migrator::open(sqlite.file);
  if (!migrator) {
    spdlog::error("cannot open the database: {}", migrator.error());
    return false;
  }
  if (s.migrate_on_start) {
    auto applied = migrator->up();
    if (!applied) {
      spdlog::error("migration failed: {}", applied.error());
      return false;
    }
    for (const auto& m : *applied) spdlog::info("applied migration {}", m.name);
    return true;
  }
  auto pending = migrator->pending();
  if (!pending) {
    spdlog::error("cannot read the schema version: {}", pending.error());
    return false;
  }
  if (*pending > 0) {
    spdlog::error("the database schema is {} migration(s) behind; run `authd migrate up`", *pending);
    return false;
  }
  return true;
}

boost::asio::awaitable<void> sweep_sessions_periodically(auth::auth_service& service,
                                                         std::chrono::seconds every) {
  boost::asio::steady_timer timer(co_await boost::asio::this_coro::executor);
  for (;;) {
    co_await service.sweep_sessions();
    timer.expires_after(every);
    co_await timer.async_wait(boost::asio::use_awaitable);
  }
}

}  // namespace

int serve(const config::settings& s) {
  setup_logging(s);
  struct flush_logs {
    ~flush_logs() { obs::shutdown_logging(); }
  } flush_at_exit;

  auto secret = config::resolve_jwt_secret(s.jwt_secret, s.data_dir);
  if (!secret) {
    spdlog::error("JWT_SECRET: {}", secret.error());
    return exit_failure;
  }
  if (secret->generated)
    spdlog::warn("JWT_SECRET is not set: using the generated secret kept in {}",
                 (s.data_dir / "jwt_secret").string());

  const auto* sqlite = sqlite_or_explain(s);
  if (!sqlite || !prepare_schema(s, *sqlite)) return exit_failure;
  auto store = store::sqlite::sqlite_store::open({.file = sqlite->file, .connections = s.threads});
  if (!store) {
    spdlog::error("cannot open the database: {}", store.error());
    return exit_failure;
  }

  auth::password_hasher hasher({.memory_kib = s.argon2_memory_kib, .iterations = s.argon2_iterations});
  auth::hash_pool pool(s.hash_threads, s.hash_queue);
  auth::token_codec tokens(secret->value);
  auth::auth_service service(**store, hasher, pool, tokens, {.token_lifetime = s.token_lifetime});

  http::router router;
  api::auth_routes auth_routes(
      service, {.cookie = {.name = s.cookie_name, .secure = s.cookie_secure, .max_age = s.token_lifetime},
                .passwords = {.min_length = s.password_min_length, .max_length = s.password_max_length}});
  auth_routes.install(router);
  api::install_health_routes(router, **store);

  // Declared after everything it runs, so it is destroyed first: no coroutine outlives its objects.
  boost::asio::io_context io(static_cast<int>(s.threads));
  std::optional<http::server> server;
  try {
    boost::asio::ip::tcp::endpoint endpoint(
        boost::asio::ip::make_address(s.host == "localhost" ? "127.0.0.1" : s.host), s.port);
    server.emplace(io, router,
                   http::server_limits{.max_header_bytes = s.max_header_bytes,
                                       .max_body_bytes = s.max_body_bytes,
                                       .read_timeout = s.read_timeout,
                                       .idle_timeout = s.idle_timeout,
                                       .max_connections = s.max_connections,
                                       .shutdown_timeout = s.shutdown_timeout},
                   endpoint);
  } catch (const boost::system::system_error& e) {
    spdlog::error("cannot listen on {}:{}: {}", s.host, s.port, e.code().message());
    return exit_failure;
  }
  // Signals are caught before the server is announced, so a signal right after it is handled.
  boost::asio::signal_set signals(io, SIGINT, SIGTERM);
  signals.async_wait([&](const boost::system::error_code& ec, int signal) {
    if (ec) return;
    spdlog::info("signal {} received: finishing in-flight requests", signal);
    server->shutdown([&io] { io.stop(); });
  });

  server->start();
  auto bound = server->local_endpoint();
  // Tests and scripts wait for this line (port 0 picks a free port), so it is flushed at once.
  spdlog::info("listening on http://{}:{} ({} I/O threads, {} hashing threads)", bound.address().to_string(),
               bound.port(), s.threads, pool.workers());
  spdlog::default_logger()->flush();

  boost::asio::co_spawn(io, sweep_sessions_periodically(service, s.session_sweep_interval),
                        boost::asio::detached);

  std::vector<std::thread> threads;
  for (unsigned i = 1; i < s.threads; ++i) threads.emplace_back([&io] { io.run(); });
  io.run();
  for (auto& t : threads) t.join();

  // Jobs still queued post their results to the stopped io_context, which discards them.
  pool.drain();
  spdlog::info("stopped");
  return exit_ok;
}

int migrate(const config::settings& s, migrate_command command, int steps) {
  setup_logging(s);
  struct flush_logs {
    ~flush_logs() { obs::shutdown_logging(); }
  } flush_at_exit;

  const auto* sqlite = sqlite_or_explain(s);
  if (!sqlite) return exit_failure;
  auto migrator = store::sqlite::migrator::open(sqlite->file);
  if (!migrator) {
    spdlog::error("cannot open the database: {}", migrator.error());
    return exit_failure;
  }

  switch (command) {
    case migrate_command::up: {
      auto applied = migrator->up();
      if (!applied) {
        spdlog::error("migration failed: {}", applied.error());
        return exit_failure;
      }
      for (const auto& m : *applied) std::cout << "applied  " << m.name << '\n';
      if (applied->empty()) std::cout << "schema is up to date\n";
      return exit_ok;
    }
    case migrate_command::down: {
      auto reverted = migrator->down(steps);
      if (!reverted) {
        spdlog::error("migration failed: {}", reverted.error());
        return exit_failure;
      }
      for (const auto& m : *reverted) std::cout << "reverted " << m.name << '\n';
      return exit_ok;
    }
    case migrate_command::status: {
      auto states = migrator->status();
      if (!states) {
        spdlog::error("cannot read the schema: {}", states.error());
        return exit_failure;
      }
      bool consistent = true;
      for (const auto& m : *states) {
        std::string state = m.applied_at ? "applied " + format_micros(*m.applied_at) : "pending";
        if (m.unknown) {
          state += "  UNKNOWN TO THIS BINARY (applied by a newer authd)";
          consistent = false;
        }
        if (m.checksum_mismatch) {
          state += "  CHANGED SINCE APPLIED";
          consistent = false;
        }
        std::cout << m.name << "  " << state << '\n';
      }
      return consistent ? exit_ok : exit_failure;
    }
  }
  return exit_failure;
}

}  // namespace authd::app
