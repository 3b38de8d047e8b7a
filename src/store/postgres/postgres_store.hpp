// The PostgreSQL store: libpq's non-blocking API driven by the Asio io_context (no thread blocks
// on a query), a bounded pool of connections with prepared statements, per-query timeouts and
// reconnection.
#pragma once

#include <boost/asio/any_io_executor.hpp>
#include <chrono>
#include <memory>
#include <string>

#include "store/migration.hpp"
#include "store/store.hpp"

namespace authd::store::postgres {

struct postgres_options {
  std::string url;            // libpq connection URI; holds the password: never logged
  std::size_t pool_size = 8;  // AUTHD_DB_POOL_SIZE: connections at most
  std::chrono::milliseconds connect_timeout{5000};
  std::chrono::milliseconds query_timeout{5000};    // beyond: the query is cancelled, `unavailable`
  std::chrono::milliseconds acquire_timeout{5000};  // waiting for a free connection, then `unavailable`
};

class postgres_store final : public store {
 public:
  // Connects lazily: the first operations open connections as needed. Operations run on
  // `executor` (the io_context's); the object must outlive every operation started on it.
  postgres_store(boost::asio::any_io_executor executor, postgres_options options);
  ~postgres_store() override;

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
  std::shared_ptr<impl> impl_;
};

}  // namespace authd::store::postgres
