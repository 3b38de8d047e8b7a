#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <spdlog/sinks/ostream_sink.h>
#include <spdlog/spdlog.h>

#include <cctype>
#include <sstream>
#include <stdexcept>

#include "shared/original_service_schema.hpp"
#include "store/postgres/postgres_migrations.hpp"
#include "unit/store_postgres/migrator_test_database.hpp"

namespace authd::store::postgres {
namespace {

using test_support::raw_postgres;
using test_support::row;
using test_support::test_database;
using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::Not;
using ::testing::UnorderedElementsAre;

using test_shared::original_service_schema;

// Every embedded migration: a takeover applies them all.
std::size_t migration_count() {
  return load_migrations(embedded_migrations())->size();
}

// A hash as argon2-cffi writes it (its format and parameters; the value is not verified here).
constexpr const char* argon2_cffi_hash =
    "$argon2id$v=19$m=65536,t=3,p=4$c29tZXNhbHRzb21lc2FsdA$ZmFrZWhhc2hmYWtlaGFzaGZha2VoYXNoZmFrZWhhc2g";

constexpr const char* ada = "11111111-1111-4111-8111-111111111111";
constexpr const char* ada_again = "22222222-2222-4222-8222-222222222222";
constexpr const char* bob = "33333333-3333-4333-8333-333333333333";
constexpr const char* carol_high_id = "aaaaaaaa-aaaa-4aaa-8aaa-aaaaaaaaaaaa";
constexpr const char* carol_low_id = "0aaaaaaa-aaaa-4aaa-8aaa-aaaaaaaaaaaa";
constexpr const char* emile = "44444444-4444-4444-8444-444444444444";
constexpr const char* quoted = "55555555-5555-4555-8555-555555555555";

// ASCII only, unlike SQL's lower(): the non-ASCII row shows the keys come from this function.
std::string ascii_lower(std::string_view email) {
  std::string out(email);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

void insert_original_users(raw_postgres& raw) {
  const char* insert = "INSERT INTO users VALUES ($1, $2, $3, $4, $5)";
  raw.exec(insert,
           {ada, "Ada Lovelace", "Ada@Example.com", argon2_cffi_hash, "2024-01-01 10:00:00.123456+00"});
  raw.exec(insert, {ada_again, "ada again", "ada@example.com",
                    "$argon2id$v=19$m=65536,t=3,p=4$b3RoZXI$b3RoZXI", "2024-03-01 00:00:00+00"});
  raw.exec(insert,
           {bob, "Bob", "bob@x.com", "$argon2id$v=19$m=65536,t=3,p=4$Ym9i$Ym9i", "2024-01-02 08:30:00+02"});
  // Same creation time: the lower id is the older account.
  raw.exec(insert, {carol_high_id, "Carol", "Carol@x.com", "$argon2id$v=19$m=65536,t=3,p=4$YQ$YQ",
                    "2024-02-02 12:00:00+00"});
  raw.exec(insert, {carol_low_id, "carol", "CAROL@x.com", "$argon2id$v=19$m=65536,t=3,p=4$Yg$Yg",
                    "2024-02-02 12:00:00+00"});
  raw.exec(insert, {emile, "Émile", "Émile@Example.com", "$argon2id$v=19$m=65536,t=3,p=4$ZQ$ZQ",
                    "2024-01-03 00:00:00+00"});
  // Characters that need escaping in an array literal.
  raw.exec(insert, {quoted, "Q", R"("O\"d\\d,{x}"@X.com)", "$argon2id$v=19$m=65536,t=3,p=4$cQ$cQ",
                    "2024-01-04 00:00:00+00"});
}

// Every original column of every row, timestamps to the microsecond.
std::vector<row> original_rows(raw_postgres& raw) {
  return raw.query(
      "SELECT id::text, name, email, hashed_password, (extract(epoch FROM created) * 1000000)::bigint::text "
      "FROM users ORDER BY id");
}

std::optional<std::string> email_key_of(raw_postgres& raw, const char* id) {
  return raw.value("SELECT email_key FROM users WHERE id = $1", {id});
}

// Columns, indexes and constraints of authd's tables, to compare two databases.
std::vector<row> schema_of(raw_postgres& raw) {
  auto out = raw.query(
      "SELECT attrelid::regclass::text, attnum::text, attname, format_type(atttypid, atttypmod), "
      "attnotnull::text FROM pg_attribute WHERE attrelid IN ('users'::regclass, 'sessions'::regclass) "
      "AND attnum > 0 AND NOT attisdropped ORDER BY 1, 2");
  for (auto& r :
       raw.query("SELECT indexdef FROM pg_indexes WHERE tablename IN ('users', 'sessions') ORDER BY 1")) {
    out.push_back(r);
  }
  for (auto& r : raw.query("SELECT conname, pg_get_constraintdef(oid) FROM pg_constraint "
                           "WHERE conrelid IN ('users'::regclass, 'sessions'::regclass) ORDER BY 1")) {
    out.push_back(r);
  }
  return out;
}

// Routes spdlog's default logger into a string for the test's duration.
class log_capture {
 public:
  log_capture() : previous_(spdlog::default_logger()) {
    auto sink = std::make_shared<spdlog::sinks::ostream_sink_mt>(stream_);
    spdlog::set_default_logger(std::make_shared<spdlog::logger>("capture", sink));
  }
  ~log_capture() { spdlog::set_default_logger(previous_); }
  std::string text() const { return stream_.str(); }

 private:
  std::ostringstream stream_;
  std::shared_ptr<spdlog::logger> previous_;
};

class takeover_test : public ::testing::Test {
 protected:
  migrator open(email_key_function key = ascii_lower) {
    auto opened = migrator::open(db_.url(), std::move(key));
    if (!opened) throw std::runtime_error(opened.error());
    return std::move(*opened);
  }

  // The database changed in nothing: same rows, still the original schema, no authd table.
  void expect_untouched(const std::vector<row>& rows_before) {
    EXPECT_EQ(original_rows(raw_), rows_before);
    EXPECT_FALSE(raw_.has_column("users", "email_key"));
    EXPECT_FALSE(raw_.has_table("schema_migrations"));
    EXPECT_FALSE(raw_.has_table("sessions"));
    EXPECT_EQ(
        raw_.text("SELECT pg_get_constraintdef(oid) FROM pg_constraint WHERE conname = 'users_email_key'"),
        "UNIQUE (email)");
  }

  test_database db_;
  raw_postgres raw_{db_.url()};
};

TEST_F(takeover_test, adopts_the_original_database_keeping_every_row) {
  raw_.exec(original_service_schema);
  insert_original_users(raw_);
  const auto before = original_rows(raw_);
  ASSERT_EQ(before.size(), 7u);

  log_capture logs;
  auto m = open();
  takeover_report report;
  auto up = m.up(&report);
  ASSERT_TRUE(up.has_value()) << up.error();
  ASSERT_EQ(up->size(), migration_count());
  EXPECT_EQ((*up)[0].name, "0001_users");
  EXPECT_EQ((*up)[1].name, "0002_sessions");

  EXPECT_TRUE(report.taken_over);
  EXPECT_EQ(report.users, 7u);
  EXPECT_THAT(report.unresolved_duplicates,
              UnorderedElementsAre(std::string(ada_again) + " ada@example.com",
                                   std::string(carol_high_id) + " Carol@x.com"));
  EXPECT_EQ(original_rows(raw_), before) << "every row and every original column value is kept";

  EXPECT_EQ(email_key_of(raw_, ada), "ada@example.com") << "the oldest account keeps the key";
  EXPECT_EQ(email_key_of(raw_, ada_again), std::nullopt);
  EXPECT_EQ(email_key_of(raw_, carol_low_id), "carol@x.com") << "same creation time: the lower id is older";
  EXPECT_EQ(email_key_of(raw_, carol_high_id), std::nullopt);
  EXPECT_EQ(email_key_of(raw_, bob), "bob@x.com");
  EXPECT_EQ(email_key_of(raw_, emile), "Émile@example.com") << "keys come from the given function";
  EXPECT_EQ(email_key_of(raw_, quoted), R"("o\"d\\d,{x}"@x.com)");

  // The case-sensitive UNIQUE (email) is gone, authd's unique index on email_key is there.
  EXPECT_EQ(
      raw_.integer("SELECT count(*) FROM pg_constraint WHERE conrelid = 'users'::regclass AND contype = 'u'"),
      0);
  EXPECT_EQ(raw_.text("SELECT indexdef FROM pg_indexes WHERE indexname = 'users_email_key'"),
            "CREATE UNIQUE INDEX users_email_key ON public.users USING btree (email_key)");
  const char* insert = "INSERT INTO users VALUES (gen_random_uuid(), 'x', $1, 'h', now(), $2)";
  EXPECT_EQ(raw_.sqlstate_of(insert, {"ADA@EXAMPLE.COM", "ada@example.com"}), "23505");
  EXPECT_EQ(raw_.sqlstate_of(insert, {"Ada@Example.com", "another key"}), "")
      << "the same email twice is no longer refused by the old constraint";

  // 0002 applied normally on top; alembic_version stays for a rollback to the FastAPI service.
  EXPECT_EQ(raw_.sqlstate_of("INSERT INTO sessions (id, user_id, created, expires) "
                             "VALUES (gen_random_uuid(), $1, now(), now())",
                             {ada}),
            "");
  EXPECT_EQ(raw_.text("SELECT string_agg(version_num, ',') FROM alembic_version"), "7dfc9f79011c");
  auto recorded = raw_.query("SELECT version::text, name, checksum FROM schema_migrations ORDER BY version");
  auto known = load_migrations(embedded_migrations());
  ASSERT_TRUE(known.has_value());
  // Every embedded migration recorded, with its checksum.
  std::vector<row> expected;
  for (const auto& each : *known)
    expected.push_back(row{std::to_string(each.version), each.name, each.checksum});
  EXPECT_EQ(recorded, expected);

  // Logged by id, never with the hash or the email.
  const std::string log = logs.text();
  EXPECT_THAT(log, HasSubstr(ada_again));
  EXPECT_THAT(log, HasSubstr(carol_high_id));
  EXPECT_THAT(log, Not(HasSubstr("argon2")));
  EXPECT_THAT(log, Not(HasSubstr("ada@example.com")));
  EXPECT_THAT(log, Not(HasSubstr("Carol@x.com")));

  auto again = m.up(&report);
  ASSERT_TRUE(again.has_value()) << again.error();
  EXPECT_TRUE(again->empty());
  EXPECT_FALSE(report.taken_over);
}

TEST_F(takeover_test, the_taken_over_schema_is_the_fresh_one) {
  raw_.exec(original_service_schema);
  insert_original_users(raw_);
  ASSERT_TRUE(open().up().has_value());

  test_database fresh;
  auto m = migrator::open(fresh.url(), ascii_lower);
  ASSERT_TRUE(m.has_value()) << m.error();
  ASSERT_TRUE(m->up().has_value());
  raw_postgres fresh_raw(fresh.url());
  EXPECT_EQ(schema_of(raw_), schema_of(fresh_raw));
}

TEST_F(takeover_test, an_empty_original_database_is_taken_over_too) {
  raw_.exec(original_service_schema);
  takeover_report report;
  auto up = open().up(&report);
  ASSERT_TRUE(up.has_value()) << up.error();
  EXPECT_TRUE(report.taken_over);
  EXPECT_EQ(report.users, 0u);
  EXPECT_TRUE(report.unresolved_duplicates.empty());
  EXPECT_TRUE(raw_.has_column("users", "email_key"));
}

TEST_F(takeover_test, a_failure_half_way_changes_nothing) {
  raw_.exec(original_service_schema);
  insert_original_users(raw_);
  const auto before = original_rows(raw_);
  int calls = 0;
  auto m = open([&](std::string_view email) {
    if (++calls == 3) throw std::runtime_error("key function failed");
    return ascii_lower(email);
  });
  EXPECT_THROW((void)m.up(), std::runtime_error);
  expect_untouched(before);

  // Rolled back and unlocked: a second run succeeds.
  auto retry = open().up();
  ASSERT_TRUE(retry.has_value()) << retry.error();
  EXPECT_EQ(retry->size(), migration_count());
}

TEST_F(takeover_test, a_users_table_without_alembic_version_is_refused) {
  raw_.exec(original_service_schema);
  raw_.exec("DROP TABLE alembic_version");
  insert_original_users(raw_);
  const auto before = original_rows(raw_);
  auto m = open();
  auto up = m.up();
  ASSERT_FALSE(up.has_value());
  EXPECT_THAT(up.error(), HasSubstr("users table"));
  EXPECT_THAT(up.error(), HasSubstr("changed nothing"));
  expect_untouched(before);
}

TEST_F(takeover_test, another_alembic_revision_is_refused) {
  raw_.exec(original_service_schema);
  raw_.exec("UPDATE alembic_version SET version_num = 'abcdef123456'");
  insert_original_users(raw_);
  const auto before = original_rows(raw_);
  auto up = open().up();
  ASSERT_FALSE(up.has_value());
  EXPECT_THAT(up.error(), HasSubstr("abcdef123456"));
  expect_untouched(before);
}

TEST_F(takeover_test, changed_original_columns_are_refused) {
  raw_.exec(original_service_schema);
  raw_.exec("ALTER TABLE users ADD COLUMN nickname VARCHAR NOT NULL DEFAULT ''");
  insert_original_users(raw_);
  const auto before = original_rows(raw_);
  auto up = open().up();
  ASSERT_FALSE(up.has_value());
  EXPECT_THAT(up.error(), HasSubstr("columns"));
  expect_untouched(before);
}

TEST_F(takeover_test, reverting_0001_after_a_takeover_drops_the_users_and_keeps_alembic_version) {
  raw_.exec(original_service_schema);
  insert_original_users(raw_);
  auto m = open();
  ASSERT_TRUE(m.up().has_value());
  auto down = m.down(4);
  ASSERT_TRUE(down.has_value()) << down.error();
  EXPECT_FALSE(raw_.has_table("users"));
  EXPECT_FALSE(raw_.has_table("sessions"));
  EXPECT_FALSE(raw_.has_table("throttle"));
  EXPECT_TRUE(raw_.has_table("alembic_version"));
  // Nothing left to keep: up creates the fresh schema.
  takeover_report report;
  auto up = m.up(&report);
  ASSERT_TRUE(up.has_value()) << up.error();
  EXPECT_FALSE(report.taken_over);
  EXPECT_EQ(raw_.integer("SELECT count(*) FROM users"), 0);
}

}  // namespace
}  // namespace authd::store::postgres
