// A PostgreSQL server of one test's own (scripts/throwaway-postgres in a temporary directory), for
// tests that stop and start it: the shared throwaway server is in use by the other tests.
#pragma once

#include <filesystem>
#include <string>

namespace authd::itest {

class private_postgres {
 public:
  // initdb and start; throws std::runtime_error with the script's output when that fails.
  private_postgres();
  // Stops it and removes its directory.
  ~private_postgres();
  private_postgres(const private_postgres&) = delete;
  private_postgres& operator=(const private_postgres&) = delete;

  // libpq URL of its `postgres` database.
  const std::string& url() const { return url_; }

  // Fast shutdown (clients disconnected), data kept; start() brings the same server back.
  void stop();
  void start();

 private:
  std::string run(const char* command);

  std::filesystem::path dir_;
  std::string url_;
};

}  // namespace authd::itest
