// Test fixture: a postgres_store on a private, migrated database, with record factories and
// synchronous wrappers around the awaitable operations.
#pragma once

#include <gtest/gtest.h>

#include <boost/asio/io_context.hpp>
#include <cstdio>
#include <memory>
#include <string>

#include "store/postgres/postgres_store.hpp"
#include "unit/log_capture.hpp"
#include "unit/store/run_sync.hpp"
#include "unit/store_postgres/pg_test_database.hpp"

namespace authd::store::postgres::store_testing {

using authd::store::test_support::run_sync;

// A canonical UUID whose last twelve hex digits are `n` and whose first group tells the kind.
// Store options for a URL, with the library defaults otherwise.
inline postgres_options options_for(std::string url, std::size_t pool_size = 2) {
  postgres_options o;
  o.url = std::move(url);
  o.pool_size = pool_size;
  return o;
}

inline std::string test_uuid(const char* prefix, unsigned long n) {
  char buffer[37];
  std::snprintf(buffer, sizeof buffer, "%s-0000-4000-8000-%012lx", prefix, n);
  return buffer;
}

inline user_record make_user(unsigned long n, const std::string& email_key) {
  return user_record{
      .id = test_uuid("00000000", n),
      .name = "User " + std::to_string(n),
      .email = email_key,
      .email_key = email_key,
      .password_hash = "$argon2id$v=19$m=19456,t=2,p=1$c2FsdHNhbHQ$secret-hash-" + std::to_string(n),
      .created = 1'700'000'000'000'000};
}

inline session_record make_session(unsigned long n, const std::string& user_id,
                                   micros expires = 2'000'000'000'000'000) {
  return session_record{.id = test_uuid("11111111", n),
                        .user_id = user_id,
                        .created = 1'700'000'000'000'001,
                        .expires = expires,
                        .revoked = std::nullopt,
                        .user_agent = "curl/8",
                        .client_address = "192.0.2.1"};
}

inline void expect_same(const user_record& a, const user_record& b) {
  EXPECT_EQ(a.id, b.id);
  EXPECT_EQ(a.name, b.name);
  EXPECT_EQ(a.email, b.email);
  EXPECT_EQ(a.email_key, b.email_key);
  EXPECT_EQ(a.password_hash, b.password_hash);
  EXPECT_EQ(a.created, b.created);
}

inline void expect_same(const session_record& a, const session_record& b) {
  EXPECT_EQ(a.id, b.id);
  EXPECT_EQ(a.user_id, b.user_id);
  EXPECT_EQ(a.created, b.created);
  EXPECT_EQ(a.expires, b.expires);
  EXPECT_EQ(a.revoked, b.revoked);
  EXPECT_EQ(a.user_agent, b.user_agent);
  EXPECT_EQ(a.client_address, b.client_address);
}

using authd::test_support::log_capture;

class postgres_store_test : public ::testing::Test {
 protected:
  void SetUp() override {
    database_.create_schema();
    open_store();
  }

  // The defaults of the tests: this test's database, two connections.
  postgres_options options() const {
    postgres_options o;
    o.url = database_.url();
    o.pool_size = 2;
    return o;
  }

  void open_store() { open_store(options()); }
  void open_store(const postgres_options& o) {
    store_.reset();
    store_ = std::make_unique<postgres_store>(io_.get_executor(), o);
  }

  result<void> create_user(const user_record& user, const session_record& session) {
    return run_sync(io_, store_->create_user(user, session));
  }
  std::optional<user_record> find_by_key(std::string_view key) {
    auto found = run_sync(io_, store_->find_user_by_email_key(key));
    EXPECT_TRUE(found.has_value());
    return found.has_value() ? *found : std::nullopt;
  }
  user_and_session find_both(std::string_view user_id, std::string_view session_id) {
    auto found = run_sync(io_, store_->find_user_and_session(user_id, session_id));
    EXPECT_TRUE(found.has_value());
    return found.has_value() ? *found : user_and_session{};
  }

  test_database database_;
  boost::asio::io_context io_;
  std::unique_ptr<postgres_store> store_;
};

}  // namespace authd::store::postgres::store_testing
