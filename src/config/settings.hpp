// authd's settings: read from the environment, then a .env file, validated; secrets redacted
// when printed. Variable names are listed in .env.example.
#pragma once

#include <boost/system/result.hpp>
#include <chrono>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <variant>
#include <vector>

#include "auth/argon2/implementation.hpp"

namespace authd::config {

struct sqlite_settings {
  std::filesystem::path file;  // AUTHD_DATA_DIR/authd.db, or the path of DATABASE_URL=sqlite:///path
};

struct postgres_settings {
  std::string url;  // a postgresql:// URL (from DATABASE_URL or built from DATABASE_*); holds the password
};

struct settings {
  // Listening (AUTHD_HOST, AUTHD_PORT, AUTHD_THREADS)
  std::string host = "0.0.0.0";
  std::uint16_t port = 8000;
  unsigned threads = 0;  // 0 in the environment means "number of cores"; resolved here, never 0 after load

  std::filesystem::path data_dir = "data";  // AUTHD_DATA_DIR

  // The store: DATABASE_URL, else DATABASE_* when DATABASE_HOST is set, else embedded SQLite.
  std::variant<sqlite_settings, postgres_settings> database;
  // AUTHD_MIGRATE_ON_START; unset: true for the embedded SQLite store, false for PostgreSQL (where
  // several instances share the schema and an operator runs `authd migrate up`).
  bool migrate_on_start = true;
  // PostgreSQL pool (AUTHD_DB_POOL_SIZE) and the time allowed to connect, wait for a connection or
  // run one query (AUTHD_DB_TIMEOUT_SECONDS) before answering 503.
  std::size_t db_pool_size = 8;
  std::chrono::seconds db_timeout{5};

  std::optional<std::string> jwt_secret;  // JWT_SECRET; unset: generated and kept in data_dir
  // JWT_PREVIOUS_SECRETS: comma-separated secrets that no longer sign but still verify, so that a
  // rotation logs nobody out; each as strong as JWT_SECRET must be, at most 16.
  std::vector<std::string> jwt_previous_secrets;

  // Hashing (AUTHD_ARGON2_MEMORY_KIB, AUTHD_ARGON2_ITERATIONS, AUTHD_ARGON2_IMPLEMENTATION,
  // AUTHD_HASH_THREADS, AUTHD_HASH_QUEUE, AUTHD_HASH_MEMORY_KEEP_SECONDS)
  std::uint32_t argon2_memory_kib = 19456;
  std::uint32_t argon2_iterations = 2;
  auth::argon2::implementation argon2_implementation = auth::argon2::implementation::fastest;
  unsigned hash_threads = 0;  // resolved to the number of cores
  std::size_t hash_queue = 64;
  // How long a hashing thread keeps its (wiped) hashing memory after its last hash, for the next.
  std::chrono::seconds hash_memory_keep{60};

  // Sessions and the cookie (AUTHD_TOKEN_LIFETIME_SECONDS, AUTHD_COOKIE_NAME, AUTHD_COOKIE_SECURE)
  std::chrono::seconds token_lifetime{1800};
  std::string cookie_name = "token";
  bool cookie_secure = false;
  std::chrono::seconds session_sweep_interval{600};  // AUTHD_SESSION_SWEEP_SECONDS

  // Browsers and proxies, comma lists (AUTHD_ALLOWED_ORIGINS, AUTHD_TRUSTED_PROXIES). Origins are
  // kept as a browser writes them: lowercase "scheme://host[:port]" without the default port.
  std::vector<std::string> allowed_origins;  // empty: same-origin pages only
  std::vector<std::string> trusted_proxies;  // IP addresses and CIDR blocks; empty: trust none

  // Throttling of login and registration; a limit of 0 turns its scope off. Failures per account
  // (AUTHD_THROTTLE_ACCOUNT_FAILURES) and per client address (AUTHD_THROTTLE_ADDRESS_FAILURES),
  // registration attempts per address (AUTHD_THROTTLE_ADDRESS_REGISTRATIONS); counted until a key
  // has been quiet for AUTHD_THROTTLE_WINDOW_SECONDS; blocks from AUTHD_THROTTLE_BLOCK_SECONDS,
  // doubling, to AUTHD_THROTTLE_MAX_BLOCK_SECONDS.
  std::uint32_t throttle_account_failures = 10;
  std::uint32_t throttle_address_failures = 100;
  std::uint32_t throttle_address_registrations = 20;
  std::chrono::seconds throttle_window{900};
  std::chrono::seconds throttle_block{60};
  std::chrono::seconds throttle_max_block{900};

  // Input rules (AUTHD_PASSWORD_MIN_LENGTH, AUTHD_PASSWORD_MAX_LENGTH)
  std::size_t password_min_length = 8;
  std::size_t password_max_length = 256;

  // HTTP limits (AUTHD_MAX_HEADER_BYTES, AUTHD_MAX_BODY_BYTES, AUTHD_READ_TIMEOUT_SECONDS,
  // AUTHD_IDLE_TIMEOUT_SECONDS, AUTHD_MAX_CONNECTIONS, AUTHD_SHUTDOWN_TIMEOUT_SECONDS)
  std::size_t max_header_bytes = 8 * 1024;
  std::size_t max_body_bytes = 64 * 1024;
  std::chrono::seconds read_timeout{15};
  std::chrono::seconds idle_timeout{60};
  std::size_t max_connections = 10000;
  std::chrono::seconds shutdown_timeout{10};

  // GET /metrics (AUTHD_METRICS_ADDR): on the API's listener (empty), nowhere ("off"), or on a
  // listener of its own ("host:port"), as a management port that the proxy does not expose.
  enum class metrics_place { api_listener, off, own_listener };
  metrics_place metrics = metrics_place::api_listener;
  std::string metrics_host;        // own_listener: an IP address
  std::uint16_t metrics_port = 0;  // own_listener (0: any free port, for tests)

  // Logs (AUTHD_LOG_LEVEL: trace|debug|info|warn|error; AUTHD_LOG_FORMAT: text|json)
  std::string log_level = "info";
  std::string log_format = "text";
};

// Where values come from: a lookup that returns the value of a variable, or nothing when unset.
using env_lookup = std::function<std::optional<std::string>(const std::string& name)>;

// The process environment.
env_lookup process_environment();

// The environment first, then the variables of a .env file for those it does not set.
env_lookup with_fallback(env_lookup first, std::map<std::string, std::string> fallback);

// Reads and validates every setting. On error, one sentence naming the variable, e.g.
// "AUTHD_PORT: expected an integer from 1 to 65535, got \"http\"".
boost::system::result<settings, std::string> load_settings(const env_lookup& env);

// The effective settings as NAME=value lines, secrets (JWT_SECRET, database passwords) redacted.
std::string describe(const settings& s);

}  // namespace authd::config
