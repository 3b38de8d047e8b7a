// Test helpers: a plain blocking libpq connection to look at or tamper with a database behind the
// store's back, and a private database per test (tests run in parallel on one server).
#pragma once

#include <libpq-fe.h>

#include <cstdint>
#include <cstdlib>
#include <random>
#include <stdexcept>
#include <string>

#include "store/postgres/postgres_migrations.hpp"

namespace authd::store::postgres::store_testing {

class raw_postgres {
 public:
  explicit raw_postgres(const std::string& url) : conn_(PQconnectdb(url.c_str())) {
    if (PQstatus(conn_) != CONNECTION_OK) {
      std::string message = PQerrorMessage(conn_);
      PQfinish(conn_);
      throw std::runtime_error("raw connect failed: " + message);
    }
    PQsetNoticeProcessor(
        conn_, [](void*, const char*) {}, nullptr);
  }
  raw_postgres(const raw_postgres&) = delete;
  raw_postgres& operator=(const raw_postgres&) = delete;
  ~raw_postgres() { PQfinish(conn_); }

  void exec(const std::string& sql) { PQclear(run(sql)); }

  // The first column of the first row, as text ("" when NULL or no row).
  std::string query_text(const std::string& sql) {
    PGresult* r = run(sql);
    std::string out = PQntuples(r) > 0 && PQgetisnull(r, 0, 0) == 0 ? PQgetvalue(r, 0, 0) : "";
    PQclear(r);
    return out;
  }

  std::int64_t query_int(const std::string& sql) { return std::stoll(query_text(sql)); }

 private:
  PGresult* run(const std::string& sql) {
    PGresult* r = PQexec(conn_, sql.c_str());
    const auto status = PQresultStatus(r);
    if (status != PGRES_COMMAND_OK && status != PGRES_TUPLES_OK) {
      std::string message = PQresultErrorMessage(r);
      PQclear(r);
      throw std::runtime_error("raw exec failed: " + message);
    }
    return r;
  }

  PGconn* conn_;
};

// The URL of the test server (started by ctest's `postgres` fixture, or by hand with
// scripts/throwaway-postgres), e.g. postgresql://authd@/postgres?host=/path/sock.
inline std::string server_url() {
  const char* url = std::getenv("AUTHD_TEST_POSTGRES_URL");
  if (url == nullptr || *url == '\0') {
    throw std::runtime_error(
        "AUTHD_TEST_POSTGRES_URL is not set: run through ctest, or start scripts/throwaway-postgres");
  }
  return url;
}

// The same URL naming another database: the path of postgresql://user@host/db?query.
inline std::string with_database(const std::string& url, const std::string& database) {
  const auto authority = url.find("://");
  const auto path = url.find('/', authority == std::string::npos ? 0 : authority + 3);
  if (authority == std::string::npos || path == std::string::npos) throw std::runtime_error("unexpected URL");
  const auto end = url.find('?', path);
  return url.substr(0, path + 1) + database + (end == std::string::npos ? "" : url.substr(end));
}

// Applies the real migrations (migrations/postgres), so the store is tested on the schema it ships with.
inline void migrate(const std::string& url) {
  auto migrator = migrator::open(url, [](std::string_view email) { return std::string(email); });
  if (!migrator) throw std::runtime_error("migrator: " + migrator.error());
  if (auto applied = migrator->up(); !applied) throw std::runtime_error("migrate up: " + applied.error());
}

// A database of its own, dropped (with whatever is still connected to it) at the end.
class test_database {
 public:
  test_database() : server_(server_url()) {
    std::random_device random;
    name_ = "t_" + std::to_string(random()) + "_" + std::to_string(random());
    raw_postgres(server_).exec("CREATE DATABASE " + name_);
    url_ = with_database(server_, name_);
  }
  test_database(const test_database&) = delete;
  test_database& operator=(const test_database&) = delete;
  ~test_database() {
    try {
      raw_postgres(server_).exec("DROP DATABASE IF EXISTS " + name_ + " WITH (FORCE)");
    } catch (...) {
      // Best effort: the server is thrown away after the run anyway.
    }
  }

  const std::string& url() const { return url_; }
  const std::string& name() const { return name_; }
  void create_schema() const { migrate(url_); }

 private:
  std::string server_;
  std::string name_;
  std::string url_;
};

}  // namespace authd::store::postgres::store_testing
