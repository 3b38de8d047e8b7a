#include "store/sqlite/session_cache.hpp"

#include <gtest/gtest.h>

namespace authd::store::sqlite {
namespace {

user_and_session answer(const std::string& user_id, const std::string& session_id) {
  user_and_session found;
  found.user = user_record{};
  found.user->id = user_id;
  found.session = session_record{};
  found.session->id = session_id;
  found.session->user_id = user_id;
  return found;
}

TEST(session_cache, finds_what_it_remembered_for_the_same_user_only) {
  session_cache cache(10);
  cache.remember(answer("u1", "s1"), cache.generation());
  ASSERT_TRUE(cache.find("u1", "s1").has_value());
  EXPECT_EQ(cache.find("u1", "s1")->session->id, "s1");
  EXPECT_FALSE(cache.find("u2", "s1").has_value());
  EXPECT_FALSE(cache.find("u1", "s2").has_value());
}

TEST(session_cache, a_read_that_raced_with_an_invalidation_is_not_remembered) {
  session_cache cache(10);
  const auto before = cache.generation();  // a read starts
  cache.forget_session("s1");              // a revocation commits meanwhile
  cache.remember(answer("u1", "s1"), before);
  EXPECT_FALSE(cache.find("u1", "s1").has_value());
  cache.remember(answer("u1", "s1"), cache.generation());
  EXPECT_TRUE(cache.find("u1", "s1").has_value());
}

TEST(session_cache, forgets_a_session_a_user_or_everything) {
  session_cache cache(10);
  cache.remember(answer("u1", "s1"), cache.generation());
  cache.remember(answer("u1", "s2"), cache.generation());
  cache.remember(answer("u2", "s3"), cache.generation());
  cache.forget_session("s1");
  EXPECT_FALSE(cache.find("u1", "s1").has_value());
  EXPECT_TRUE(cache.find("u1", "s2").has_value());
  cache.forget_user("u1");
  EXPECT_FALSE(cache.find("u1", "s2").has_value());
  EXPECT_TRUE(cache.find("u2", "s3").has_value());
  cache.forget_all();
  EXPECT_EQ(cache.size(), 0U);
}

TEST(session_cache, remembers_only_answers_naming_a_user_and_their_own_session) {
  session_cache cache(10);
  auto no_session = answer("u1", "s1");
  no_session.session.reset();
  cache.remember(no_session, cache.generation());
  auto no_user = answer("u1", "s1");
  no_user.user.reset();
  cache.remember(no_user, cache.generation());
  auto crossed = answer("u1", "s1");
  crossed.session->user_id = "u2";
  cache.remember(crossed, cache.generation());
  EXPECT_EQ(cache.size(), 0U);
}

TEST(session_cache, does_not_remember_an_entry_larger_than_its_bound) {
  session_cache cache(10);
  auto large = answer("u1", "s1");
  large.session->user_agent = std::string(session_cache::max_entry_bytes, 'a');
  cache.remember(large, cache.generation());
  EXPECT_FALSE(cache.find("u1", "s1").has_value());
  large.session->user_agent = "curl/8";
  cache.remember(large, cache.generation());
  EXPECT_TRUE(cache.find("u1", "s1").has_value());
}

TEST(session_cache, stays_within_its_capacity) {
  session_cache cache(3);
  for (int i = 0; i < 10; ++i) cache.remember(answer("u", "s" + std::to_string(i)), cache.generation());
  EXPECT_LE(cache.size(), 3U);
  EXPECT_TRUE(cache.find("u", "s9").has_value());
}

}  // namespace
}  // namespace authd::store::sqlite
