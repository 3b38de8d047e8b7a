#include "app/cli.hpp"

#include <sodium.h>
#include <sqlite3.h>

#include <CLI/CLI.hpp>
#include <cstdio>
#include <iostream>

#include "app/application.hpp"
#include "app/hash_bench.hpp"
#include "config/env_file.hpp"
#include "config/jwt_secret.hpp"
#include "config/settings.hpp"
#include "version.hpp"

namespace authd::app {

namespace {

// Settings from the environment, then ./.env; nullopt (after saying why) when invalid.
std::optional<config::settings> load() {
  auto file = config::read_env_file(".env");
  if (!file) {
    std::cerr << "authd: .env: " << file.error() << '\n';
    return std::nullopt;
  }
  auto settings =
      config::load_settings(config::with_fallback(config::process_environment(), std::move(*file)));
  if (!settings) {
    std::cerr << "authd: invalid configuration: " << settings.error() << '\n';
    return std::nullopt;
  }
  return std::move(*settings);
}

constexpr int exit_config = 2;

// `authd config check`: the settings serve would use, secrets redacted, after the checks serve makes
// before touching anything (a weak JWT_SECRET); nothing is created, so it is safe as ExecStartPre.
int config_check(const config::settings& settings) {
  if (settings.jwt_secret) {
    if (auto why = config::jwt_secret_weakness(*settings.jwt_secret)) {
      std::cerr << "authd: invalid configuration: " << *why << '\n';
      return exit_config;
    }
  }
  std::cout << config::describe(settings);
  return 0;
}

// The first line is the version alone (scripts read it); the second, what a bug report needs.
void print_version() {
  std::cout << "authd " << authd::version << '\n'
            << "build: " << (*authd::build_type ? authd::build_type : "unspecified") << ", "
            << authd::compiler << "; libsodium " << sodium_version_string() << ", SQLite "
            << sqlite3_libversion() << '\n';
}

}  // namespace

int run_cli(int argc, char** argv) {
  CLI::App cli{"authd: an authentication service (register, login, me, logout)", "authd"};
  cli.require_subcommand(1);

  auto* serve_cmd =
      cli.add_subcommand("serve", "Serve the HTTP API (migrates the embedded SQLite store first)");
  auto* version_cmd = cli.add_subcommand("version", "Print the version, then how this binary was built");

  auto* config_cmd = cli.add_subcommand("config", "Inspect the configuration");
  config_cmd->require_subcommand(1);
  auto* check_cmd = config_cmd->add_subcommand(
      "check", "Validate the configuration and print it, secrets redacted (exit status 2 when invalid)");

  auto* migrate_cmd = cli.add_subcommand("migrate", "Manage the database schema");
  migrate_cmd->require_subcommand(1);
  auto* up_cmd = migrate_cmd->add_subcommand("up", "Apply every pending migration");
  auto* down_cmd = migrate_cmd->add_subcommand("down", "Revert the most recent migrations");
  int steps = 1;
  down_cmd->add_option("steps", steps, "How many migrations to revert")->check(CLI::PositiveNumber);
  auto* status_cmd = migrate_cmd->add_subcommand("status", "List migrations and whether they are applied");

  auto* hash_bench_cmd = cli.add_subcommand(
      "hash-bench",
      "Time Argon2 with the configured parameters, next to libsodium and libargon2; print one JSON line");
  double hash_seconds = 3;
  hash_bench_cmd
      ->add_option(
          "--seconds", hash_seconds,
          "Seconds of hashing per figure: on one thread, on the pool's threads, then with each other "
          "implementation")
      ->check(CLI::Range(0.1, 600.0));

  try {
    cli.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    return cli.exit(e);
  }

  if (*version_cmd) {
    print_version();
    return 0;
  }
  auto settings = load();
  if (!settings) return exit_config;
  if (*check_cmd) return config_check(*settings);
  if (*serve_cmd) return serve(*settings);
  if (*up_cmd) return migrate(*settings, migrate_command::up, 0);
  if (*down_cmd) return migrate(*settings, migrate_command::down, steps);
  if (*status_cmd) return migrate(*settings, migrate_command::status, 0);
  if (*hash_bench_cmd) return hash_bench(*settings, hash_seconds);
  return exit_config;
}

}  // namespace authd::app
