#include "app/application.hpp"

#include <spdlog/spdlog.h>

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/signal_set.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/strand.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <cstdlib>
#include <iostream>
#include <thread>
#include <vector>

#include "api/auth_routes.hpp"
#include "api/cross_origin_scope.hpp"
#include "api/docs_pages.hpp"
#include "api/health_routes.hpp"
#include "api/metrics_route.hpp"
#include "api/openapi_routes.hpp"
#include "app/service_metrics.hpp"
#include "auth/argon2/thread_arena.hpp"
#include "auth/auth_service.hpp"
#include "auth/email_policy.hpp"
#include "config/jwt_secret.hpp"
#include "http/server.hpp"
#include "obs/logging.hpp"
#include "store/postgres/postgres_migrations.hpp"
#include "store/postgres/postgres_store.hpp"
#include "store/sqlite/sqlite_migrations.hpp"
#include "store/sqlite/sqlite_store.hpp"
#include "version.hpp"

namespace authd::app {

namespace {

constexpr int exit_ok = 0;
constexpr int exit_failure = 1;

// Flushes the asynchronous log on every way out of a command.
struct logging_scope {
  explicit logging_scope(const config::settings& s) {
    // Both were validated by load_settings.
    obs::setup_logging(*obs::parse_log_format(s.log_format), *obs::parse_log_level(s.log_level));
  }
  ~logging_scope() { obs::shutdown_logging(); }
};

std::string format_micros(store::micros t) {
  std::time_t secs = static_cast<std::time_t>(t / 1'000'000);
  std::tm tm{};
  gmtime_r(&secs, &tm);
  char buf[32];
  std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", &tm);
  return buf;
}

// The migrator of the configured store (both kinds have the same operations).
template <class F>
int with_migrator(const config::settings& s, F&& f) {
  auto run = [&](auto opened) {
    if (!opened) {
      spdlog::error("cannot open the database: {}", opened.error());
      return exit_failure;
    }
    return f(*opened);
  };
  if (const auto* sqlite = std::get_if<config::sqlite_settings>(&s.database))
    return run(store::sqlite::migrator::open(sqlite->file));
  const auto& postgres = std::get<config::postgres_settings>(s.database);
  return run(store::postgres::migrator::open(postgres.url, auth::stored_email_key));
}

template <class Migrator>
int apply_migrations(Migrator& m) {
  auto applied = m.up();
  if (!applied) {
    spdlog::error("migration failed: {}", applied.error());
    return exit_failure;
  }
  for (const auto& migration : *applied) spdlog::info("applied migration {}", migration.name);
  return exit_ok;
}

// Brings the schema up to date at start, or refuses to serve on an old one.
bool prepare_schema(const config::settings& s) {
  return with_migrator(s, [&](auto& m) {
           if (s.migrate_on_start) return apply_migrations(m);
           auto pending = m.pending();
           if (!pending) {
             spdlog::error("cannot read the schema version: {}", pending.error());
             return exit_failure;
           }
           if (*pending > 0) {
             spdlog::error("the database schema is {} migration(s) behind; run `authd migrate up`", *pending);
             return exit_failure;
           }
           return exit_ok;
         }) == exit_ok;
}

std::unique_ptr<store::store> open_store(const config::settings& s, boost::asio::io_context& io) {
  if (const auto* sqlite = std::get_if<config::sqlite_settings>(&s.database)) {
    auto opened = store::sqlite::sqlite_store::open({.file = sqlite->file, .connections = s.threads});
    if (!opened) {
      spdlog::error("cannot open the database: {}", opened.error());
      return nullptr;
    }
    return std::move(*opened);
  }
  const auto timeout = std::chrono::duration_cast<std::chrono::milliseconds>(s.db_timeout);
  return std::make_unique<store::postgres::postgres_store>(
      io.get_executor(),
      store::postgres::postgres_options{.url = std::get<config::postgres_settings>(s.database).url,
                                        .pool_size = s.db_pool_size,
                                        .connect_timeout = timeout,
                                        .query_timeout = timeout,
                                        .acquire_timeout = timeout});
}

constexpr std::int64_t micros_per_second = 1'000'000;

auth::throttle_options throttle_options_of(const config::settings& s) {
  auto rule = [&s](std::uint32_t limit) {
    return store::throttle_rule{.limit = limit,
                                .window = s.throttle_window.count() * micros_per_second,
                                .base_block = s.throttle_block.count() * micros_per_second,
                                .max_block = s.throttle_max_block.count() * micros_per_second};
  };
  return {.login_account = rule(s.throttle_account_failures),
          .login_address = rule(s.throttle_address_failures),
          .register_address = rule(s.throttle_address_registrations)};
}

// Runs on the housekeeping strand, like the shutdown that sets `stopping` and cancels `timer`: a
// shutdown during a sweep is seen before the next wait, one during the wait cancels it.
boost::asio::awaitable<void> sweep_sessions_periodically(auth::auth_service& service,
                                                         boost::asio::steady_timer& timer,
                                                         const bool& stopping, std::chrono::seconds every) {
  while (!stopping) {
    co_await service.sweep_sessions();
    if (stopping) break;
    timer.expires_after(every);
    co_await timer.async_wait(boost::asio::as_tuple(boost::asio::use_awaitable));
  }
}

}  // namespace

int serve(const config::settings& s) {
  logging_scope logs(s);

  auto secret = config::resolve_jwt_secret(s.jwt_secret, s.data_dir);
  if (!secret) {
    spdlog::error("JWT_SECRET: {}", secret.error());
    return exit_failure;
  }
  if (secret->generated)
    spdlog::warn("JWT_SECRET is not set: using the generated secret kept in {}",
                 (s.data_dir / "jwt_secret").string());
  if (!prepare_schema(s)) return exit_failure;

  // Declared first, destroyed last: everything below may hold its executor. The run loop only
  // returns once every coroutine has finished, so nothing refers to the objects below by then.
  boost::asio::io_context io(static_cast<int>(s.threads));
  auto store = open_store(s, io);
  if (!store) return exit_failure;

  auth::password_hasher hasher({.memory_kib = s.argon2_memory_kib,
                                .iterations = s.argon2_iterations,
                                .implementation = s.argon2_implementation});
  // A worker with nothing left to do wipes its arena: password-derived memory outlives a hash
  // only while more hashes are waiting; one with nothing to do for a while gives it back
  // (docs/security.md).
  auth::hash_pool pool(s.hash_threads, s.hash_queue,
                       {.idle = [] { auth::argon2::wipe_thread_arena(); },
                        .long_idle = [] { auth::argon2::release_thread_arena(); },
                        .long_after = s.hash_memory_keep});
  auth::token_codec tokens(secret->value, s.jwt_previous_secrets);
  // Key ids are public (every token carries one): logged so that an operator can tell which
  // secret signed a token, and check that a rotation took effect.
  {
    const auto ids = tokens.key_ids();
    std::string previous;
    for (std::size_t i = 1; i < ids.size(); ++i) previous += (i > 1 ? ", " : "") + ids[i];
    spdlog::info("tokens signed with kid {}; also verifying {}", ids.front(),
                 previous.empty() ? std::string("no previous secret") : "kids " + previous);
  }
  auth::auth_service service(*store, hasher, pool, tokens,
                             {.token_lifetime = s.token_lifetime, .throttle = throttle_options_of(s)});

  http::router router;
  api::auth_routes auth_routes(
      service, {.cookie = {.name = s.cookie_name, .secure = s.cookie_secure, .max_age = s.token_lifetime},
                .passwords = {.min_length = s.password_min_length, .max_length = s.password_max_length}});
  auth_routes.install(router);
  api::install_health_routes(router, *store);
  api::install_docs_pages(router);
  api::install_openapi_route(router, authd::version);

  // Families are added as their owners come to be; a scrape before the server exists sees fewer.
  obs::registry metrics;
  const bool on_sqlite = std::holds_alternative<config::sqlite_settings>(s.database);
  register_service_metrics(metrics,
                           {.version = authd::version,
                            .argon2 = auth::argon2::name_of(hasher.implementation()),
                            .store = on_sqlite ? "sqlite" : "postgres"},
                           pool, *store);
  auth_routes.register_metrics(metrics);
  http::router metrics_router;
  if (s.metrics == config::settings::metrics_place::api_listener) api::install_metrics_route(router, metrics);
  if (s.metrics == config::settings::metrics_place::own_listener)
    api::install_metrics_route(metrics_router, metrics);

  // Both lists were validated by load_settings.
  auto proxies = http::trusted_proxies::parse(s.trusted_proxies);
  if (!proxies) {
    spdlog::error("AUTHD_TRUSTED_PROXIES: not a list of IP addresses and CIDR blocks");
    return exit_failure;
  }
  http::request_policy policy{
      .proxies = std::move(*proxies),
      .cross_origin = http::cross_origin_policy(api::cross_origin_scope(s.allowed_origins, s.cookie_name))};

  const http::server_limits limits{.max_header_bytes = s.max_header_bytes,
                                   .max_body_bytes = s.max_body_bytes,
                                   .read_timeout = s.read_timeout,
                                   .idle_timeout = s.idle_timeout,
                                   .max_connections = s.max_connections,
                                   .shutdown_timeout = s.shutdown_timeout};
  std::optional<http::server> server;
  std::optional<http::server> metrics_server;  // AUTHD_METRICS_ADDR=host:port
  try {
    const auto address = boost::asio::ip::make_address(s.host == "localhost" ? "127.0.0.1" : s.host);
    server.emplace(io, router, limits, boost::asio::ip::tcp::endpoint(address, s.port), std::move(policy));
  } catch (const boost::system::system_error& e) {
    spdlog::error("cannot listen on {}:{}: {}", s.host, s.port, e.code().message());
    return exit_failure;
  }
  server->register_metrics(metrics);
  if (s.metrics == config::settings::metrics_place::own_listener) {
    try {
      metrics_server.emplace(
          io, metrics_router, limits,
          boost::asio::ip::tcp::endpoint(boost::asio::ip::make_address(s.metrics_host), s.metrics_port));
    } catch (const boost::system::system_error& e) {
      spdlog::error("AUTHD_METRICS_ADDR: cannot listen on {}:{}: {}", s.metrics_host, s.metrics_port,
                    e.code().message());
      return exit_failure;
    }
  }

  // Housekeeping on a strand of its own, so that the shutdown can cancel its timer safely.
  auto housekeeping = boost::asio::make_strand(io);
  boost::asio::steady_timer sweep_timer(housekeeping);
  bool stopping = false;  // only touched on the housekeeping strand
  boost::asio::co_spawn(housekeeping,
                        sweep_sessions_periodically(service, sweep_timer, stopping, s.session_sweep_interval),
                        boost::asio::detached);

  // Signals are caught before the server is announced, so a signal right after it is handled.
  boost::asio::signal_set signals(housekeeping, SIGINT, SIGTERM);
  boost::asio::steady_timer last_resort(housekeeping);
  signals.async_wait([&](const boost::system::error_code& ec, int signal) {
    if (ec) return;
    spdlog::info("signal {} received: finishing in-flight requests", signal);
    if (metrics_server) metrics_server->shutdown(nullptr);
    server->shutdown([&] {
      boost::asio::post(housekeeping, [&] {
        stopping = true;
        sweep_timer.cancel();
        last_resort.cancel();
      });
    });
    // Something still holding the io_context past the deadline must not keep the process alive.
    last_resort.expires_after(s.shutdown_timeout + std::chrono::seconds(5));
    last_resort.async_wait([](const boost::system::error_code& timer_ec) {
      if (timer_ec) return;
      spdlog::error("shutdown did not complete in time; exiting");
      obs::shutdown_logging();
      std::_Exit(exit_ok);
    });
  });

  server->start();
  if (metrics_server) {
    metrics_server->start();
    const auto metrics_bound = metrics_server->local_endpoint();
    spdlog::info("metrics on http://{}:{}/metrics", metrics_bound.address().to_string(),
                 metrics_bound.port());
  }
  auto bound = server->local_endpoint();
  // Tests and scripts wait for this line (port 0 picks a free port), so it is flushed at once.
  spdlog::info("listening on http://{}:{} ({} I/O threads, {} hashing threads with Argon2 by {}, {})",
               bound.address().to_string(), bound.port(), s.threads, pool.workers(),
               auth::argon2::name_of(hasher.implementation()),
               std::holds_alternative<config::sqlite_settings>(s.database) ? "SQLite" : "PostgreSQL");
  spdlog::default_logger()->flush();

  std::vector<std::thread> threads;
  for (unsigned i = 1; i < s.threads; ++i) threads.emplace_back([&io] { io.run(); });
  io.run();
  for (auto& t : threads) t.join();

  pool.drain();
  spdlog::info("stopped");
  return exit_ok;
}

int migrate(const config::settings& s, migrate_command command, int steps) {
  logging_scope logs(s);
  return with_migrator(s, [&](auto& m) {
    switch (command) {
      case migrate_command::up: {
        auto applied = m.up();
        if (!applied) {
          spdlog::error("migration failed: {}", applied.error());
          return exit_failure;
        }
        for (const auto& migration : *applied) std::cout << "applied  " << migration.name << '\n';
        if (applied->empty()) std::cout << "schema is up to date\n";
        return exit_ok;
      }
      case migrate_command::down: {
        auto reverted = m.down(steps);
        if (!reverted) {
          spdlog::error("migration failed: {}", reverted.error());
          return exit_failure;
        }
        for (const auto& migration : *reverted) std::cout << "reverted " << migration.name << '\n';
        return exit_ok;
      }
      case migrate_command::status: {
        auto states = m.status();
        if (!states) {
          spdlog::error("cannot read the schema: {}", states.error());
          return exit_failure;
        }
        bool consistent = true;
        for (const auto& state : *states) {
          std::string text = state.applied_at ? "applied " + format_micros(*state.applied_at) : "pending";
          if (state.unknown) text += "  UNKNOWN TO THIS BINARY (applied by a newer authd)";
          if (state.checksum_mismatch) text += "  CHANGED SINCE APPLIED";
          consistent = consistent && !state.unknown && !state.checksum_mismatch;
          std::cout << state.name << "  " << text << '\n';
        }
        return consistent ? exit_ok : exit_failure;
      }
    }
    return exit_failure;
  });
}

}  // namespace authd::app
