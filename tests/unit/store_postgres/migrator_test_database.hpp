// Test helper for the migrator tests: a private database per test on the throwaway PostgreSQL
// that ctest starts (tests run in parallel), dropped afterwards, and plain libpq access to it.
#pragma once

#include <libpq-fe.h>

#include <chrono>
#include <cstdlib>
#include <functional>
#include <memory>
#include <optional>
#include <random>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

namespace authd::store::postgres::test_support {

// The server's URL (a database on it to connect to for administration).
inline std::string server_url() {
  const char* url = std::getenv("AUTHD_TEST_POSTGRES_URL");
  if (!url || !*url) {
    throw std::runtime_error(
        "AUTHD_TEST_POSTGRES_URL is not set: run these tests through ctest, or start a server with "
        "`scripts/throwaway-postgres start DIR` and export the URL it prints");
  }
  return url;
}

// The same postgresql:// URL naming another database.
inline std::string with_database(const std::string& url, const std::string& database) {
  const auto authority = url.find("://");
  if (authority == std::string::npos) throw std::invalid_argument("not a postgresql:// URL");
  const auto path = url.find_first_of("/?", authority + 3);
  if (path == std::string::npos) return url + "/" + database;
  const auto query = url.find('?', path);
  return url.substr(0, path) + "/" + database + (query == std::string::npos ? "" : url.substr(query));
}

using row = std::vector<std::optional<std::string>>;

class raw_postgres {
 public:
  explicit raw_postgres(const std::string& url) : conn_(PQconnectdb(url.c_str())) {
    if (PQstatus(conn_.get()) != CONNECTION_OK) {
      throw std::runtime_error(std::string("test connection failed: ") + PQerrorMessage(conn_.get()));
    }
    PQsetNoticeProcessor(
        conn_.get(), [](void*, const char*) {}, nullptr);
  }

  // Rows of a statement with text parameters; throws with the server's message on error.
  std::vector<row> query(const std::string& sql, const std::vector<std::string>& params = {}) {
    result r = run(sql, params);
    const ExecStatusType status = PQresultStatus(r.get());
    if (status != PGRES_COMMAND_OK && status != PGRES_TUPLES_OK) {
      throw std::runtime_error("test query failed: " + std::string(PQresultErrorMessage(r.get())) + sql);
    }
    std::vector<row> out;
    for (int i = 0; i < PQntuples(r.get()); ++i) {
      row values;
      for (int c = 0; c < PQnfields(r.get()); ++c) {
        if (PQgetisnull(r.get(), i, c)) {
          values.emplace_back(std::nullopt);
        } else {
          values.emplace_back(PQgetvalue(r.get(), i, c));
        }
      }
      out.push_back(std::move(values));
    }
    return out;
  }

  void exec(const std::string& sql, const std::vector<std::string>& params = {}) { query(sql, params); }

  // The SQLSTATE of a failing statement, empty when it succeeds.
  std::string sqlstate_of(const std::string& sql, const std::vector<std::string>& params = {}) {
    result r = run(sql, params);
    const char* state = PQresultErrorField(r.get(), PG_DIAG_SQLSTATE);
    return state ? state : "";
  }

  // The single value of a one-row, one-column query (nullopt for NULL).
  std::optional<std::string> value(const std::string& sql, const std::vector<std::string>& params = {}) {
    auto rows = query(sql, params);
    if (rows.size() != 1 || rows[0].size() != 1) throw std::runtime_error("expected one value: " + sql);
    return rows[0][0];
  }

  std::string text(const std::string& sql, const std::vector<std::string>& params = {}) {
    auto v = value(sql, params);
    if (!v) throw std::runtime_error("unexpected NULL: " + sql);
    return *v;
  }

  long long integer(const std::string& sql, const std::vector<std::string>& params = {}) {
    return std::stoll(text(sql, params));
  }

  bool has_table(const std::string& name) {
    return text("SELECT to_regclass($1) IS NOT NULL", {name}) == "t";
  }

  bool has_column(const std::string& table, const std::string& column) {
    return integer(
               "SELECT count(*) FROM information_schema.columns WHERE table_name = $1 AND column_name = $2",
               {table, column}) == 1;
  }

 private:
  struct result_deleter {
    void operator()(PGresult* r) const { PQclear(r); }
  };
  struct connection_deleter {
    void operator()(PGconn* c) const { PQfinish(c); }
  };
  using result = std::unique_ptr<PGresult, result_deleter>;

  // Without parameters through the simple protocol, which allows several statements.
  result run(const std::string& sql, const std::vector<std::string>& params) {
    if (params.empty()) return result(PQexec(conn_.get(), sql.c_str()));
    std::vector<const char*> values;
    for (const auto& p : params) values.push_back(p.c_str());
    return result(PQexecParams(conn_.get(), sql.c_str(), static_cast<int>(values.size()), nullptr,
                               values.data(), nullptr, nullptr, 0));
  }

  std::unique_ptr<PGconn, connection_deleter> conn_;
};

// A database of its own, created empty and dropped (with any connection left) at the end.
class test_database {
 public:
  test_database() {
    std::random_device random;
    name_ = "t_" + std::to_string(random()) + "_" + std::to_string(random());
    raw_postgres(server_url()).exec("CREATE DATABASE " + name_);
    url_ = with_database(server_url(), name_);
  }
  test_database(const test_database&) = delete;
  test_database& operator=(const test_database&) = delete;
  ~test_database() {
    try {
      raw_postgres(server_url()).exec("DROP DATABASE IF EXISTS " + name_ + " WITH (FORCE)");
    } catch (const std::exception&) {
      // The server is destroyed after the run anyway.
    }
  }

  const std::string& url() const { return url_; }
  const std::string& name() const { return name_; }

 private:
  std::string name_, url_;
};

// Polls `done` until it holds; false after a generous bound, so that a broken test fails rather
// than hangs (never used to assert a duration).
inline bool eventually(const std::function<bool()>& done) {
  for (int i = 0; i < 3000; ++i) {
    if (done()) return true;
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  return false;
}

}  // namespace authd::store::postgres::test_support
