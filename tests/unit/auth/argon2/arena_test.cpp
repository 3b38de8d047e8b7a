#include "auth/argon2/arena.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <thread>

#include "auth/argon2/thread_arena.hpp"

namespace authd::auth::argon2 {
namespace {

using ::testing::Contains;

constexpr std::size_t blocks_per_huge_page = 2048;

bool all_zero(std::span<const block> blocks) {
  return std::all_of(blocks.begin(), blocks.end(), [](const block& b) {
    return std::all_of(std::begin(b.words), std::end(b.words), [](std::uint64_t w) { return w == 0; });
  });
}

TEST(arena, rounds_up_to_whole_huge_pages) {
  EXPECT_EQ(arena(1).capacity(), blocks_per_huge_page);
  EXPECT_EQ(arena(19456).capacity(), 10 * blocks_per_huge_page);
  EXPECT_EQ(arena(2 * blocks_per_huge_page).capacity(), 2 * blocks_per_huge_page);
}

TEST(arena, wipe_zeroes_what_was_used) {
  arena memory(100);
  auto used = memory.use(100);
  EXPECT_EQ(memory.dirty_blocks(), 100U);
  for (auto& b : used) std::fill(std::begin(b.words), std::end(b.words), 0xa5a5a5a5a5a5a5a5ULL);
  memory.wipe();
  EXPECT_EQ(memory.dirty_blocks(), 0U);
  EXPECT_TRUE(all_zero(used));
}

TEST(arena, use_counts_the_largest_use_since_the_last_wipe) {
  arena memory(100);
  memory.use(80);
  memory.use(10);
  EXPECT_EQ(memory.dirty_blocks(), 80U);
  EXPECT_EQ(memory.use(memory.capacity() + 1).size(), memory.capacity());
}

TEST(arena, is_kept_out_of_core_dumps_and_children) {
  arena memory(100);
  const auto flags = memory.facts().vm_flags;
  EXPECT_THAT(flags, Contains("dd")) << "MADV_DONTDUMP";
  EXPECT_THAT(flags, Contains("dc")) << "MADV_DONTFORK";
  if (std::filesystem::exists("/sys/kernel/mm/transparent_hugepage")) {
    EXPECT_THAT(flags, Contains("hg")) << "MADV_HUGEPAGE";
  }
  // AddressSanitizer's mlock does nothing and reports success.
#if !defined(__SANITIZE_ADDRESS__)
  if (memory.locked()) {
    EXPECT_THAT(flags, Contains("lo"));
  }
#endif
}

TEST(thread_arena, is_one_per_thread_and_grows_when_needed) {
  arena& first = thread_arena(100);
  EXPECT_EQ(&thread_arena(50), &first);
  EXPECT_EQ(existing_thread_arena(), &first);
  const arena* elsewhere = nullptr;
  std::thread([&] {
    EXPECT_EQ(existing_thread_arena(), nullptr);
    elsewhere = &thread_arena(100);
  }).join();
  EXPECT_NE(elsewhere, &first);

  arena& bigger = thread_arena(first.capacity() + 1);
  EXPECT_GT(bigger.capacity(), blocks_per_huge_page);
  EXPECT_EQ(existing_thread_arena(), &bigger);
}

TEST(thread_arena, release_thread_arena_gives_the_callers_back) {
  thread_arena(10);
  ASSERT_NE(existing_thread_arena(), nullptr);
  release_thread_arena();
  EXPECT_EQ(existing_thread_arena(), nullptr);
  release_thread_arena();  // none: nothing to do
  EXPECT_GE(thread_arena(10).capacity(), 10U);
}

TEST(thread_arena, wipe_thread_arena_wipes_the_callers) {
  arena& memory = thread_arena(10);
  for (auto& b : memory.use(10)) b.words[0] = 1;
  wipe_thread_arena();
  EXPECT_EQ(memory.dirty_blocks(), 0U);
  EXPECT_TRUE(all_zero(memory.use(10)));
}

}  // namespace
}  // namespace authd::auth::argon2
