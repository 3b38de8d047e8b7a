// What went wrong talking to PostgreSQL, and which store_error the domain sees for it.
#pragma once

#include <string>
#include <string_view>

#include "store/store.hpp"

namespace authd::store::postgres {

struct pg_error {
  enum class kind {
    connection,  // no usable connection: refused, dropped, socket error (libpq's message)
    timeout,     // connect, acquire or query deadline passed
    server,      // the server answered with an error (SQLSTATE and fields below)
    invalid,     // refused before sending: a value that cannot be an id or a time
    protocol,    // a result of an unexpected shape
  };
  kind what = kind::connection;
  std::string sqlstate;    // five characters, server errors only
  std::string message;     // libpq's primary message, never a bound value (see safe_message)
  std::string constraint;  // for integrity violations
  std::string table;
};

inline pg_error make_pg_error(pg_error::kind what, std::string message) {
  pg_error e;
  e.what = what;
  e.message = std::move(message);
  return e;
}

// Class 22 (data exception) messages quote the offending input ("invalid input syntax for type
// uuid: \"...\""): that may be a hash or an email, so only the SQLSTATE is kept.
inline std::string safe_message(std::string_view sqlstate, std::string_view primary) {
  if (sqlstate.starts_with("22")) return "(data exception; message withheld: it may quote a value)";
  return std::string(primary);
}

// Unique violations on the users table other than its primary key are the email key, whatever
// the index is called on a taken-over database.
inline bool is_duplicate_email(const pg_error& e) {
  if (e.what != pg_error::kind::server || e.sqlstate != "23505") return false;
  if (e.constraint == "users_email_key") return true;
  return e.table == "users" && e.constraint.find("email") != std::string::npos;
}

// The database is down, restarting, overloaded or busy beyond our patience: worth a retry later.
inline bool is_unavailable(const pg_error& e) {
  switch (e.what) {
    case pg_error::kind::connection:
    case pg_error::kind::timeout:
      return true;
    case pg_error::kind::server:
      break;
    default:
      return false;
  }
  const std::string_view state = e.sqlstate;
  return state.starts_with("08")     // connection exception
         || state.starts_with("53")  // insufficient resources (too many connections, disk full)
         || state == "57P01"         // admin shutdown
         || state == "57P02"         // crash shutdown
         || state == "57P03"         // cannot connect now (starting up)
         || state == "57014"         // query canceled: our statement_timeout backstop
         || state == "55P03"         // lock not available
         || state == "40001"         // serialization failure
         || state == "40P01";        // deadlock detected
}

inline store_error classify(const pg_error& e) {
  if (is_duplicate_email(e)) return store_error::duplicate_email;
  if (is_unavailable(e)) return store_error::unavailable;
  return store_error::internal;
}

}  // namespace authd::store::postgres
