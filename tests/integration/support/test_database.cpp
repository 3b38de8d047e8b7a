#include "support/test_database.hpp"

#include <libpq-fe.h>
#include <sodium.h>

#include <cstdlib>
#include <memory>
#include <stdexcept>
#include <string_view>

namespace authd::itest {

namespace {

std::string env_or_empty(const char* name) {
  const char* value = std::getenv(name);
  return value ? value : "";
}

// Runs one statement on the server's maintenance database.
void admin(const std::string& sql) {
  const std::string base = env_or_empty("AUTHD_TEST_POSTGRES_URL");
  std::unique_ptr<PGconn, decltype(&PQfinish)> conn(PQconnectdb(base.c_str()), &PQfinish);
  if (PQstatus(conn.get()) != CONNECTION_OK)
    throw std::runtime_error(std::string("cannot reach the test PostgreSQL: ") + PQerrorMessage(conn.get()));
  std::unique_ptr<PGresult, decltype(&PQclear)> res(PQexec(conn.get(), sql.c_str()), &PQclear);
  if (PQresultStatus(res.get()) != PGRES_COMMAND_OK)
    throw std::runtime_error(sql + ": " + PQresultErrorMessage(res.get()));
}

}  // namespace

bool test_database::postgres_backend() {
  return !env_or_empty("AUTHD_TEST_POSTGRES_URL").empty();
}

test_database::test_database() {
  if (!postgres_backend()) return;
  unsigned char random[8];
  randombytes_buf(random, sizeof random);
  char hex[sizeof random * 2 + 1];
  sodium_bin2hex(hex, sizeof hex, random, sizeof random);
  name_ = std::string("itest_") + hex;
  admin("CREATE DATABASE " + name_);
  // The base URL names the maintenance database ".../postgres?host=..."; ours replaces it.
  std::string base = env_or_empty("AUTHD_TEST_POSTGRES_URL");
  const auto at = base.find("/postgres");
  if (at == std::string::npos)
    throw std::runtime_error("AUTHD_TEST_POSTGRES_URL must name the postgres database");
  url_ = base.replace(at, std::string_view("/postgres").size(), "/" + name_);
}

test_database::~test_database() {
  if (name_.empty()) return;
  try {
    admin("DROP DATABASE IF EXISTS " + name_ + " WITH (FORCE)");
  } catch (...) {
    // The throwaway server is destroyed after the run anyway.
  }
}

std::map<std::string, std::string> test_database::env() const {
  if (!postgres()) return {};
  return {{"DATABASE_URL", url_}, {"AUTHD_MIGRATE_ON_START", "true"}};
}

}  // namespace authd::itest
