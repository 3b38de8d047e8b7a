// Memory for Argon2 that is mapped and faulted in once, then reused hash after hash: transparent
// huge pages where the system offers them, locked in RAM where the limits allow it, never in a
// core dump or a forked child, and wiped when asked and when it goes.
#pragma once

#include <cstddef>
#include <span>
#include <string>
#include <vector>

#include "auth/argon2/block.hpp"

namespace authd::auth::argon2 {

class arena {
 public:
  // At least `blocks` blocks, rounded up to whole 2 MiB huge pages. Throws std::bad_alloc, or
  // std::system_error if the memory cannot be kept out of core dumps.
  explicit arena(std::size_t blocks);
  ~arena();  // wipes, then unmaps
  arena(const arena&) = delete;
  arena& operator=(const arena&) = delete;

  std::size_t capacity() const { return capacity_; }  // in blocks

  // The first `count` blocks (at most capacity()), counted as holding secrets until wipe().
  std::span<block> use(std::size_t count);

  // Zeroes every block used since the last wipe; the pages stay mapped and resident.
  void wipe();
  std::size_t dirty_blocks() const { return dirty_; }

  // What the system granted, for hash-bench and the tests.
  bool locked() const { return locked_; }  // mlock succeeded
  struct mapping_facts {
    std::size_t huge_page_kib = 0;      // backed by huge pages right now
    std::vector<std::string> vm_flags;  // the kernel's VmFlags ("dd": no dump, "dc": no fork, ...)
  };
  // From /proc/self/smaps: costs a read of the whole file, so not for the hashing path.
  mapping_facts facts() const;

 private:
  block* memory_ = nullptr;
  std::size_t bytes_ = 0;
  std::size_t capacity_ = 0;
  std::size_t dirty_ = 0;
  bool locked_ = false;
};

}  // namespace authd::auth::argon2
