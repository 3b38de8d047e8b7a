// Which PostgreSQL failures the domain sees as a duplicate email, an outage, or an internal error.
#include "store/postgres/pg_errors.hpp"

#include <gtest/gtest.h>

namespace authd::store::postgres {
namespace {

pg_error server(std::string sqlstate, std::string constraint = "", std::string table = "") {
  pg_error e = make_pg_error(pg_error::kind::server, "message");
  e.sqlstate = std::move(sqlstate);
  e.constraint = std::move(constraint);
  e.table = std::move(table);
  return e;
}

TEST(pg_errors, a_unique_violation_on_the_email_key_is_duplicate_email) {
  EXPECT_EQ(classify(server("23505", "users_email_key", "users")), store_error::duplicate_email);
  // A taken-over database may name its index differently.
  EXPECT_EQ(classify(server("23505", "users_email_key_idx", "users")), store_error::duplicate_email);
  EXPECT_EQ(classify(server("23505", "ix_users_email", "users")), store_error::duplicate_email);
}

TEST(pg_errors, other_unique_violations_are_internal) {
  EXPECT_EQ(classify(server("23505", "users_pkey", "users")), store_error::internal);
  EXPECT_EQ(classify(server("23505", "sessions_pkey", "sessions")), store_error::internal);
  EXPECT_EQ(classify(server("23503", "users_email_key", "users")), store_error::internal)
      << "not a unique violation";
}

TEST(pg_errors, outages_and_contention_are_unavailable) {
  for (const char* state : {"57P01", "57P02", "57P03", "08000", "08006", "08001", "53300", "53100", "40001",
                            "40P01", "57014", "55P03"}) {
    EXPECT_EQ(classify(server(state)), store_error::unavailable) << state;
  }
  EXPECT_EQ(classify(make_pg_error(pg_error::kind::connection, "refused")), store_error::unavailable);
  EXPECT_EQ(classify(make_pg_error(pg_error::kind::timeout, "late")), store_error::unavailable);
}

TEST(pg_errors, everything_else_is_internal) {
  for (const char* state : {"42P01", "42703", "22P02", "23502", "XX000", "57000", ""}) {
    EXPECT_EQ(classify(server(state)), store_error::internal) << state;
  }
  EXPECT_EQ(classify(make_pg_error(pg_error::kind::invalid, "not an id")), store_error::internal);
  EXPECT_EQ(classify(make_pg_error(pg_error::kind::protocol, "odd result")), store_error::internal);
}

TEST(pg_errors, data_exception_messages_are_withheld_because_they_quote_values) {
  EXPECT_EQ(safe_message("22P02", "invalid input syntax for type uuid: \"secret\"").find("secret"),
            std::string::npos);
  EXPECT_EQ(safe_message("23505", "duplicate key value violates unique constraint \"users_pkey\""),
            "duplicate key value violates unique constraint \"users_pkey\"");
}

}  // namespace
}  // namespace authd::store::postgres
