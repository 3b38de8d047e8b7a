// Each hashing thread's own arena: one per hashing-pool worker, so hashes never wait for memory
// and never share it.
#pragma once

#include <cstddef>

#include "auth/argon2/arena.hpp"

namespace authd::auth::argon2 {

// The calling thread's arena with room for at least `blocks` blocks: created on first use, and
// replaced (the old one wiped and unmapped) when a bigger one is needed. Wiped and unmapped when
// the thread ends. Throws std::bad_alloc.
arena& thread_arena(std::size_t blocks);

// Wipes the calling thread's arena, if it has one: what the hashing pool's workers do whenever
// they run out of work, so password-derived memory outlives a hash only while more hashes wait.
void wipe_thread_arena();

// Wipes and unmaps the calling thread's arena, if it has one: what the hashing pool's workers do
// once they have had no work for a while, so that a quiet service gives the memory back.
void release_thread_arena();

// The calling thread's arena, or null if it has none (for hash-bench and the tests).
const arena* existing_thread_arena();

}  // namespace authd::auth::argon2
