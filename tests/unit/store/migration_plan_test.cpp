#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <vector>

#include "store/migration.hpp"

namespace authd::store {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;

std::vector<embedded_file> two_migrations() {
  // Deliberately out of order: the loader sorts by version.
  return {{"0002_sessions.down.sql", "DROP TABLE s;"},
          {"0001_users.up.sql", "CREATE TABLE u(x);"},
          {"0002_sessions.up.sql", "CREATE TABLE s(x);"},
          {"0001_users.down.sql", "DROP TABLE u;"}};
}

std::vector<migration> known_migrations() {
  auto loaded = load_migrations(two_migrations());
  EXPECT_TRUE(loaded.has_value());
  return loaded.has_value() ? *loaded : std::vector<migration>{};
}

applied_migration applied_from(const migration& m, micros at = 1000) {
  return applied_migration{m.version, m.name, m.checksum, at};
}

std::vector<int> versions(const std::vector<migration>& list) {
  std::vector<int> out;
  for (const auto& m : list) out.push_back(m.version);
  return out;
}

std::string load_error(std::vector<embedded_file> files) {
  auto loaded = load_migrations(files);
  EXPECT_FALSE(loaded.has_value());
  return loaded.has_value() ? std::string() : loaded.error();
}

TEST(sha256_hex, matches_known_vectors) {
  EXPECT_EQ(sha256_hex(""), "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
  EXPECT_EQ(sha256_hex("abc"), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
}

TEST(load_migrations, pairs_and_orders_files_by_version) {
  auto loaded = load_migrations(two_migrations());
  ASSERT_TRUE(loaded.has_value()) << loaded.error();
  ASSERT_EQ(loaded->size(), 2u);
  const migration& first = (*loaded)[0];
  EXPECT_EQ(first.version, 1);
  EXPECT_EQ(first.name, "0001_users");
  EXPECT_EQ(first.up_sql, "CREATE TABLE u(x);");
  EXPECT_EQ(first.down_sql, "DROP TABLE u;");
  EXPECT_EQ(first.checksum, sha256_hex("CREATE TABLE u(x);"));
  EXPECT_EQ((*loaded)[1].version, 2);
  EXPECT_EQ((*loaded)[1].name, "0002_sessions");
}

TEST(load_migrations, accepts_no_files) {
  auto loaded = load_migrations({});
  ASSERT_TRUE(loaded.has_value());
  EXPECT_TRUE(loaded->empty());
}

TEST(load_migrations, refuses_a_gap_in_versions) {
  EXPECT_THAT(load_error({{"0001_a.up.sql", "x"},
                          {"0001_a.down.sql", "x"},
                          {"0003_c.up.sql", "x"},
                          {"0003_c.down.sql", "x"}}),
              HasSubstr("0002 is missing"));
}

TEST(load_migrations, refuses_versions_not_starting_at_one) {
  EXPECT_THAT(load_error({{"0002_b.up.sql", "x"}, {"0002_b.down.sql", "x"}}), HasSubstr("0001 is missing"));
  EXPECT_THAT(load_error({{"0000_z.up.sql", "x"}, {"0000_z.down.sql", "x"}}), HasSubstr("0000_z.up.sql"));
}

TEST(load_migrations, refuses_a_missing_down_file) {
  EXPECT_THAT(load_error({{"0001_a.up.sql", "x"}, {"0001_a.down.sql", "x"}, {"0002_b.up.sql", "x"}}),
              HasSubstr("0002_b.down.sql"));
}

TEST(load_migrations, refuses_a_missing_up_file) {
  EXPECT_THAT(load_error({{"0001_a.down.sql", "x"}}), HasSubstr("0001_a.up.sql"));
}

TEST(load_migrations, refuses_up_and_down_with_different_names) {
  EXPECT_THAT(load_error({{"0001_a.up.sql", "x"}, {"0001_b.down.sql", "x"}}), HasSubstr("share a version"));
}

TEST(load_migrations, refuses_a_file_given_twice) {
  EXPECT_THAT(load_error({{"0001_a.up.sql", "x"}, {"0001_a.up.sql", "y"}, {"0001_a.down.sql", "x"}}),
              HasSubstr("twice"));
}

TEST(load_migrations, refuses_badly_named_files) {
  for (const char* name :
       {"001_a.up.sql", "00001_a.up.sql", "0001-a.up.sql", "0001_A.up.sql", "0001_a.sql", "0001_.up.sql",
        "0001_a.up.sql.bak", "README.md", "00x1_a.up.sql", "0001_a b.up.sql"}) {
    EXPECT_THAT(load_error({{name, "x"}}), HasSubstr(name)) << name;
  }
}

TEST(plan_up, applies_everything_on_an_empty_database) {
  auto plan = plan_up(known_migrations(), {});
  ASSERT_TRUE(plan.has_value()) << plan.error();
  EXPECT_THAT(versions(*plan), ElementsAre(1, 2));
}

TEST(plan_up, applies_only_what_is_pending) {
  auto known = known_migrations();
  auto plan = plan_up(known, {applied_from(known[0])});
  ASSERT_TRUE(plan.has_value()) << plan.error();
  EXPECT_THAT(versions(*plan), ElementsAre(2));

  auto nothing = plan_up(known, {applied_from(known[0]), applied_from(known[1])});
  ASSERT_TRUE(nothing.has_value()) << nothing.error();
  EXPECT_TRUE(nothing->empty());
}

TEST(plan_up, refuses_when_an_applied_file_changed) {
  auto known = known_migrations();
  auto changed = applied_from(known[1]);
  changed.checksum = sha256_hex("CREATE TABLE s(x, y);");
  auto plan = plan_up(known, {applied_from(known[0]), changed});
  ASSERT_FALSE(plan.has_value());
  EXPECT_THAT(plan.error(), HasSubstr("0002"));
  EXPECT_THAT(plan.error(), HasSubstr("0002_sessions.up.sql"));
}

TEST(plan_up, refuses_a_database_with_an_unknown_version) {
  auto known = known_migrations();
  auto plan = plan_up(known, {applied_from(known[0]), applied_from(known[1]), {3, "0003_future", "abc", 5}});
  ASSERT_FALSE(plan.has_value());
  EXPECT_THAT(plan.error(), HasSubstr("0003"));
  EXPECT_THAT(plan.error(), HasSubstr("does not know"));
}

TEST(plan_up, refuses_a_hole_below_the_newest_applied_version) {
  auto known = known_migrations();
  auto plan = plan_up(known, {applied_from(known[1])});
  ASSERT_FALSE(plan.has_value());
  EXPECT_THAT(plan.error(), HasSubstr("0001"));
}

TEST(plan_down, reverts_the_newest_first) {
  auto known = known_migrations();
  std::vector<applied_migration> applied = {applied_from(known[0]), applied_from(known[1])};
  auto one = plan_down(known, applied, 1);
  ASSERT_TRUE(one.has_value()) << one.error();
  EXPECT_THAT(versions(*one), ElementsAre(2));
  auto two = plan_down(known, applied, 2);
  ASSERT_TRUE(two.has_value()) << two.error();
  EXPECT_THAT(versions(*two), ElementsAre(2, 1));
  EXPECT_EQ((*two)[0].down_sql, "DROP TABLE s;");
}

TEST(plan_down, refuses_more_steps_than_applied_and_non_positive_steps) {
  auto known = known_migrations();
  auto too_many = plan_down(known, {applied_from(known[0])}, 2);
  ASSERT_FALSE(too_many.has_value());
  EXPECT_THAT(too_many.error(), HasSubstr("only 1 applied"));
  EXPECT_FALSE(plan_down(known, {applied_from(known[0])}, 0).has_value());
  EXPECT_FALSE(plan_down(known, {}, 1).has_value());
}

TEST(plan_down, refuses_to_revert_a_changed_or_unknown_migration) {
  auto known = known_migrations();
  auto changed = applied_from(known[1]);
  changed.checksum = "0000";
  auto plan = plan_down(known, {applied_from(known[0]), changed}, 1);
  ASSERT_FALSE(plan.has_value());
  EXPECT_THAT(plan.error(), HasSubstr("0002_sessions.up.sql"));

  auto unknown = plan_down(known, {applied_from(known[0]), applied_from(known[1]), {3, "0003_x", "c", 1}}, 1);
  ASSERT_FALSE(unknown.has_value());
  EXPECT_THAT(unknown.error(), HasSubstr("0003"));
}

TEST(plan_status, reports_applied_pending_changed_and_unknown) {
  auto known = known_migrations();
  auto changed = applied_from(known[0], 42);
  changed.checksum = "0000";
  auto status = plan_status(known, {{3, "0003_future", "abc", 77}, changed});
  ASSERT_EQ(status.size(), 3u);

  EXPECT_EQ(status[0].version, 1);
  EXPECT_EQ(status[0].name, "0001_users");
  EXPECT_EQ(status[0].applied_at, std::optional<micros>(42));
  EXPECT_TRUE(status[0].checksum_mismatch);
  EXPECT_FALSE(status[0].unknown);

  EXPECT_EQ(status[1].version, 2);
  EXPECT_FALSE(status[1].applied_at.has_value());
  EXPECT_FALSE(status[1].checksum_mismatch);

  EXPECT_EQ(status[2].version, 3);
  EXPECT_EQ(status[2].name, "0003_future");
  EXPECT_EQ(status[2].applied_at, std::optional<micros>(77));
  EXPECT_TRUE(status[2].unknown);
}

TEST(plan_status, reports_matching_applied_migrations_as_clean) {
  auto known = known_migrations();
  auto status = plan_status(known, {applied_from(known[0], 5), applied_from(known[1], 6)});
  ASSERT_EQ(status.size(), 2u);
  for (const auto& s : status) {
    EXPECT_TRUE(s.applied_at.has_value());
    EXPECT_FALSE(s.checksum_mismatch);
    EXPECT_FALSE(s.unknown);
  }
}

}  // namespace
}  // namespace authd::store
