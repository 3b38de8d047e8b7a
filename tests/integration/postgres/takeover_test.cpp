// Taking over the original FastAPI service's database: a schema created exactly as its Alembic
// migration creates it, with users whose hashes argon2-cffi made, becomes authd's by
// `authd migrate up`; every row stays, old passwords work (and get rehashed), and of two accounts
// differing only in the case of the email the older one keeps working.
#include <gmock/gmock.h>
#include <sodium.h>

#include <stdexcept>

#include "postgres/postgres_test.hpp"
#include "shared/original_service_schema.hpp"
#include "support/auth_api.hpp"
#include "support/child_process.hpp"
#include "support/http_client.hpp"
#include "support/pg_client.hpp"
#include "support/test_database.hpp"
#include "support/test_server.hpp"

namespace authd::itest {
namespace {

using ::testing::HasSubstr;
using ::testing::StartsWith;
using takeover = postgres_test;

using test_shared::original_service_schema;

// argon2-cffi's defaults (m=65536, t=3, p=4), the vector of tests/unit/auth/password_hasher_test.cpp:
//   echo -n 'password' | argon2 somesaltsomesalt -id -t 3 -m 16 -p 4 -e
constexpr const char* cffi_hash =
    "$argon2id$v=19$m=65536,t=3,p=4$c29tZXNhbHRzb21lc2FsdA$gduXp+Z6iReEolmbyHn5V8s1EtJzmEvZfYoY/Fn/AeI";
constexpr const char* cffi_password = "password";

struct original_user {
  std::string id, name, email, hashed_password, created_epoch;
};

// A hash of another password, so that the newer case-duplicate has credentials of its own.
std::string argon2id_hash(const std::string& password) {
  if (sodium_init() < 0) throw std::runtime_error("sodium_init failed");
  char out[crypto_pwhash_STRBYTES];
  if (crypto_pwhash_str_alg(out, password.data(), password.size(), 2, 1024 * 1024,
                            crypto_pwhash_ALG_ARGON2ID13) != 0)
    throw std::runtime_error("crypto_pwhash_str_alg failed");
  return out;
}

const std::string newer_duplicate_password = "the newer duplicate's own password 42";

std::vector<original_user> original_users() {
  return {
      {"0b7c6a0e-3f59-4a5e-9d7c-2b1f0e6a9c11", "Old User", "old.user@example.com", cffi_hash, "1672531200"},
      {"5d2e8f4a-1c3b-4e6d-8a9f-0c1b2d3e4f50", "Older Duplicate", "Case.Dup@example.com", cffi_hash,
       "1675209600"},
      {"9e8d7c6b-5a49-4382-b716-05f4e3d2c1b0", "Newer Duplicate", "case.dup@example.com",
       argon2id_hash(newer_duplicate_password), "1677628800"},
  };
}

void create_original_database(pg_client& db, const std::vector<original_user>& users) {
  db.exec(original_service_schema);
  for (const auto& u : users) {
    db.query(
        "INSERT INTO users (id, name, email, hashed_password, created) VALUES ($1, $2, $3, $4, "
        "to_timestamp($5))",
        {u.id, u.name, u.email, u.hashed_password, u.created_epoch});
  }
}

std::string stored_hash(pg_client& db, const std::string& id) {
  return db.scalar("SELECT hashed_password FROM users WHERE id = $1", {id}).value_or("");
}

TEST_F(takeover, the_original_services_users_log_in_after_migrate_up) {
  test_database database;
  const auto users = original_users();
  const auto& old_user = users[0];
  const auto& older_duplicate = users[1];
  const auto& newer_duplicate = users[2];
  pg_client db(database.url());
  create_original_database(db, users);

  const auto up = run_authd({"migrate", "up"}, {{"DATABASE_URL", database.url()}});
  ASSERT_EQ(up.exit_code, 0) << up.output;

  // Not migrating at start: `migrate up` must have done everything serve needs.
  test_server server({{"DATABASE_URL", database.url()}, {"AUTHD_MIGRATE_ON_START", "false"}});

  http_client c(server.port());
  const auto logged_in = c.post_json("/auth/login", login_body(old_user.email, cffi_password));
  ASSERT_EQ(logged_in.status, 200u) << ::testing::PrintToString(logged_in);
  EXPECT_EQ(logged_in.json(),
            json(R"({"id":")" + old_user.id + R"(","name":"Old User","email":"old.user@example.com"})"));

  const auto me = c.get("/auth/me");
  ASSERT_EQ(me.status, 200u) << ::testing::PrintToString(me);
  const auto body = me.json().as_object();
  EXPECT_EQ(body.at("id"), old_user.id.c_str());
  EXPECT_EQ(body.at("name"), "Old User");
  EXPECT_EQ(body.at("email"), "old.user@example.com");
  EXPECT_THAT(std::string(body.at("created").as_string()), StartsWith("2023-01-01T00:00:00"));

  // Rehashed with the configured parameters (the harness' fast ones), and still the same password.
  EXPECT_TRUE(eventually([&] {
    return stored_hash(db, old_user.id).find("m=1024,t=1,") != std::string::npos;
  })) << stored_hash(db, old_user.id);
  EXPECT_THAT(stored_hash(db, old_user.id), StartsWith("$argon2id$"));
  http_client again(server.port());
  EXPECT_EQ(again.post_json("/auth/login", login_body(old_user.email, cffi_password)).status, 200u);
  EXPECT_TRUE(has_detail(again.post_json("/auth/login", login_body(old_user.email, "not the password")), 401,
                         "Invalid credentials"));

  // Of the two accounts that differ only in case, the older one keeps its email...
  http_client older(server.port());
  const auto older_login = older.post_json("/auth/login", login_body(older_duplicate.email, cffi_password));
  ASSERT_EQ(older_login.status, 200u) << ::testing::PrintToString(older_login);
  EXPECT_EQ(older_login.json().at("id"), older_duplicate.id.c_str());
  // ...and the newer one cannot log in, even with its own password.
  http_client newer(server.port());
  EXPECT_TRUE(
      has_detail(newer.post_json("/auth/login", login_body(newer_duplicate.email, newer_duplicate_password)),
                 401, "Invalid credentials"));
  // The email stays taken, in any case.
  EXPECT_TRUE(has_detail(register_user(newer, {"Someone", "CASE.DUP@example.com", "a fresh long password 7"}),
                         400, "User already exists"));

  // Every original row is still there, unchanged but for the rehashed passwords.
  const auto rows = db.query(
      "SELECT id::text, name, email, hashed_password, extract(epoch FROM created)::bigint::text FROM users "
      "ORDER BY created");
  ASSERT_EQ(rows.size(), users.size());
  for (std::size_t i = 0; i < users.size(); ++i) {
    EXPECT_EQ(rows[i][0], users[i].id);
    EXPECT_EQ(rows[i][1], users[i].name);
    EXPECT_EQ(rows[i][2], users[i].email);
    EXPECT_EQ(rows[i][4], users[i].created_epoch);
  }
  EXPECT_EQ(rows[2][3], newer_duplicate.hashed_password) << "never logged in: not rehashed";
  EXPECT_TRUE(eventually([&] {
    return stored_hash(db, older_duplicate.id).find("m=1024,t=1,") != std::string::npos;
  })) << stored_hash(db, older_duplicate.id);
  EXPECT_EQ(db.scalar("SELECT string_agg(version_num, ',') FROM alembic_version"), "7dfc9f79011c");

  // New accounts work alongside the taken-over ones.
  http_client fresh(server.port());
  EXPECT_EQ(register_user(fresh, alice()).status, 201u);
  EXPECT_EQ(fresh.get("/auth/me").status, 200u);
}

TEST_F(takeover, a_second_migrate_up_finds_the_taken_over_schema_up_to_date) {
  test_database database;
  pg_client db(database.url());
  create_original_database(db, original_users());
  const env_map env{{"DATABASE_URL", database.url()}};
  const auto first = run_authd({"migrate", "up"}, env);
  ASSERT_EQ(first.exit_code, 0) << first.output;
  const auto second = run_authd({"migrate", "up"}, env);
  EXPECT_EQ(second.exit_code, 0) << second.output;
  EXPECT_THAT(second.output, HasSubstr("schema is up to date"));
  EXPECT_EQ(db.scalar("SELECT count(*)::text FROM users"), "3");
}

}  // namespace
}  // namespace authd::itest
