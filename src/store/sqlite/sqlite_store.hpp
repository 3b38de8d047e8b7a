// The embedded default store: SQLite in WAL mode, a small pool of connections with prepared
// statements, busy timeout and foreign keys on.
#pragma once

#include <chrono>
#include <filesystem>
#include <memory>

#include "store/migration.hpp"
#include "store/store.hpp"

namespace authd::store::sqlite {

struct sqlite_options {
  std::filesystem::path file;
  std::size_t connections = 4;  // one per I/O thread is plenty: WAL readers do not block
  std::chrono::milliseconds busy_timeout{5000};
};

class sqlite_store final : public store {
 public:
  // Opens the pool; the schema must already be migrated.
  static migration_result<std::unique_ptr<sqlite_store>> open(const sqlite_options& options);
  ~sqlite_store() override;

  boost::asio::awaitable<result<void>> create_user(const user_record& user,
                                                   const session_record& session) override;
  boost::asio::awaitable<result<std::optional<user_record>>> find_user_by_email_key(
      std::string_view email_key) override;
  boost::asio::awaitable<result<void>> update_password_hash(std::string_view user_id,
                                                            std::string_view password_hash) override;
  boost::asio::awaitable<result<void>> create_session(const session_record& session) override;
  boost::asio::awaitable<result<user_and_session>> find_user_and_session(
      std::string_view user_id, std::string_view session_id) override;
  boost::asio::awaitable<result<void>> revoke_session(std::string_view session_id, micros now) override;
  boost::asio::awaitable<result<void>> touch_session(std::string_view session_id, micros now) override;
  boost::asio::awaitable<result<std::vector<session_record>>> list_live_sessions(std::string_view user_id,
                                                                                 micros now) override;
  boost::asio::awaitable<result<bool>> end_session(std::string_view user_id, std::string_view session_id,
                                                   micros now) override;
  boost::asio::awaitable<result<std::uint64_t>> end_sessions_except(std::string_view user_id,
                                                                    std::string_view keep,
                                                                    micros now) override;
  boost::asio::awaitable<result<void>> change_password(std::string_view user_id,
                                                       std::string_view password_hash,
                                                       const session_record& session, micros now) override;
  boost::asio::awaitable<result<std::uint64_t>> delete_sessions_ended_before(micros before) override;
  boost::asio::awaitable<result<std::vector<micros>>> find_throttle_blocks(
      const std::vector<std::string>& keys) override;
  boost::asio::awaitable<result<std::vector<throttle_state>>> record_throttle_failures(
      const std::vector<throttle_hit>& hits, micros now) override;
  boost::asio::awaitable<result<void>> clear_throttle(std::string_view key) override;
  boost::asio::awaitable<result<std::uint64_t>> delete_idle_throttles(micros now) override;
  boost::asio::awaitable<bool> ping() override;
  connection_stats connections() const override;

 private:
  struct impl;
  explicit sqlite_store(std::unique_ptr<impl> p);
  std::unique_ptr<impl> impl_;
};

}  // namespace authd::store::sqlite
