#include "support/pg_client.hpp"

#include <libpq-fe.h>

#include <stdexcept>

namespace authd::itest {

namespace {

using result_ptr = std::unique_ptr<PGresult, decltype(&PQclear)>;

void check(const PGresult* res, const std::string& sql) {
  const auto status = PQresultStatus(res);
  if (status != PGRES_COMMAND_OK && status != PGRES_TUPLES_OK)
    throw std::runtime_error(sql + ": " + PQresultErrorMessage(res));
}

}  // namespace

pg_client::pg_client(const std::string& url) : conn_(PQconnectdb(url.c_str()), &PQfinish) {
  if (PQstatus(conn_.get()) != CONNECTION_OK)
    throw std::runtime_error(std::string("cannot connect to the test database: ") +
                             PQerrorMessage(conn_.get()));
}

pg_client::~pg_client() = default;

void pg_client::exec(const std::string& sql) {
  result_ptr res(PQexec(conn_.get(), sql.c_str()), &PQclear);
  check(res.get(), sql);
}

std::vector<pg_row> pg_client::query(const std::string& sql, const std::vector<std::string>& params) {
  std::vector<const char*> values;
  for (const auto& param : params) values.push_back(param.c_str());
  result_ptr res(PQexecParams(conn_.get(), sql.c_str(), static_cast<int>(values.size()), nullptr,
                              values.data(), nullptr, nullptr, 0),
                 &PQclear);
  check(res.get(), sql);
  std::vector<pg_row> rows;
  for (int r = 0; r < PQntuples(res.get()); ++r) {
    pg_row row;
    for (int c = 0; c < PQnfields(res.get()); ++c) {
      if (PQgetisnull(res.get(), r, c)) {
        row.emplace_back(std::nullopt);
      } else {
        row.emplace_back(PQgetvalue(res.get(), r, c));
      }
    }
    rows.push_back(std::move(row));
  }
  return rows;
}

std::optional<std::string> pg_client::scalar(const std::string& sql, const std::vector<std::string>& params) {
  auto rows = query(sql, params);
  if (rows.empty() || rows.front().empty()) throw std::runtime_error(sql + ": no value");
  return rows.front().front();
}

}  // namespace authd::itest
