#include "auth/argon2/thread_arena.hpp"

#include <memory>

namespace authd::auth::argon2 {

namespace {

thread_local std::unique_ptr<arena> this_thread_arena;

}  // namespace

arena& thread_arena(std::size_t blocks) {
  if (!this_thread_arena || this_thread_arena->capacity() < blocks) {
    this_thread_arena.reset();  // the old one goes (wiped) before the new one is mapped
    this_thread_arena = std::make_unique<arena>(blocks);
  }
  return *this_thread_arena;
}

void wipe_thread_arena() {
  if (this_thread_arena) this_thread_arena->wipe();
}

void release_thread_arena() {
  this_thread_arena.reset();
}

const arena* existing_thread_arena() {
  return this_thread_arena.get();
}

}  // namespace authd::auth::argon2
