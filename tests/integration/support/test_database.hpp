// The store a test server runs on: the embedded SQLite default, or, when AUTHD_TEST_POSTGRES_URL
// names the throwaway PostgreSQL that ctest started, a fresh database of its own there. ctest runs
// the whole integration suite both ways.
#pragma once

#include <map>
#include <string>

namespace authd::itest {

class test_database {
 public:
  test_database();   // creates the PostgreSQL database, if that is the backend
  ~test_database();  // drops it
  test_database(const test_database&) = delete;
  test_database& operator=(const test_database&) = delete;

  bool postgres() const { return !url_.empty(); }
  // libpq URL of this test's database (empty on SQLite).
  const std::string& url() const { return url_; }
  // What authd needs to use it: DATABASE_URL, and migrating at start (PostgreSQL does not by default).
  std::map<std::string, std::string> env() const;

  // True when the suite runs against PostgreSQL.
  static bool postgres_backend();

 private:
  std::string name_;
  std::string url_;
};

}  // namespace authd::itest
