#include "auth/argon2/arena.hpp"

#include <sodium.h>
#include <sys/mman.h>

#include <algorithm>
#include <cerrno>
#include <cstdint>
#include <cstdio>
#include <fstream>
#include <new>
#include <sstream>
#include <system_error>

namespace authd::auth::argon2 {

namespace {

constexpr std::size_t huge_page_bytes = 2 * 1024 * 1024;
constexpr std::size_t small_page_bytes = 4096;

std::size_t round_up(std::size_t value, std::size_t step) {
  return (value + step - 1) / step * step;
}

// Ordinary memory aligned to a huge page, so that transparent huge pages can back all of it.
void* map_aligned(std::size_t bytes) {
  const std::size_t padded = bytes + huge_page_bytes;
  void* p = mmap(nullptr, padded, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  if (p == MAP_FAILED) return nullptr;
  const auto start = reinterpret_cast<std::uintptr_t>(p);
  const std::uintptr_t aligned = round_up(start, huge_page_bytes);
  if (aligned > start) munmap(p, aligned - start);
  const std::uintptr_t end = start + padded;
  if (end > aligned + bytes) munmap(reinterpret_cast<void*>(aligned + bytes), end - (aligned + bytes));
  return reinterpret_cast<void*>(aligned);
}

// Every page present before the first hash, so that no hash pays for page faults.
void fault_in(void* memory, std::size_t bytes) {
#ifdef MADV_POPULATE_WRITE
  if (madvise(memory, bytes, MADV_POPULATE_WRITE) == 0) return;
#endif
  auto* bytes_of = static_cast<volatile unsigned char*>(memory);
  for (std::size_t offset = 0; offset < bytes; offset += small_page_bytes) bytes_of[offset] = 0;
}

}  // namespace

arena::arena(std::size_t blocks) {
  bytes_ = round_up(std::max<std::size_t>(blocks, 1) * block_bytes, huge_page_bytes);
  void* p = map_aligned(bytes_);
  if (!p) throw std::bad_alloc();
  memory_ = static_cast<block*>(p);
  capacity_ = bytes_ / block_bytes;

  // Out of core dumps and forked children, or not at all: these cannot fail on memory we just
  // mapped, and if they did the promise in docs/security.md would not hold.
  if (madvise(p, bytes_, MADV_DONTDUMP) != 0 || madvise(p, bytes_, MADV_DONTFORK) != 0) {
    const int error = errno;
    munmap(p, bytes_);
    throw std::system_error(error, std::generic_category(), "madvise");
  }
  // These only narrow where the memory can end up or speed it up; a system that refuses them (THP
  // off, RLIMIT_MEMLOCK) still hashes correctly. Reserved huge pages (MAP_HUGETLB) are left to
  // whoever the administrator reserved them for (PostgreSQL, say).
  (void)madvise(p, bytes_, MADV_HUGEPAGE);  // transparent huge pages: fewer TLB misses
  locked_ = mlock(p, bytes_) == 0;          // not in swap
  fault_in(p, bytes_);
}

arena::~arena() {
  sodium_memzero(memory_, bytes_);
  if (locked_) munlock(memory_, bytes_);
  munmap(memory_, bytes_);
}

std::span<block> arena::use(std::size_t count) {
  count = std::min(count, capacity_);
  dirty_ = std::max(dirty_, count);
  return {memory_, count};
}

void arena::wipe() {
  sodium_memzero(memory_, dirty_ * block_bytes);
  dirty_ = 0;
}

}  // namespace authd::auth::argon2

namespace authd::auth::argon2 {

arena::mapping_facts arena::facts() const {
  mapping_facts out;
  const auto begin = reinterpret_cast<std::uintptr_t>(memory_);
  const std::uintptr_t end = begin + bytes_;
  std::ifstream smaps("/proc/self/smaps");
  std::string line;
  bool inside = false;  // the lines after a mapping's header describe that mapping
  while (std::getline(smaps, line)) {
    unsigned long low = 0, high = 0;
    if (std::sscanf(line.c_str(), "%lx-%lx ", &low, &high) == 2) {
      inside = low >= begin && high <= end;
      continue;
    }
    if (!inside) continue;
    std::istringstream fields(line);
    std::string name;
    fields >> name;
    if (name == "AnonHugePages:") {
      std::size_t kib = 0;
      fields >> kib;
      out.huge_page_kib += kib;
    } else if (name == "VmFlags:") {
      for (std::string flag; fields >> flag;) out.vm_flags.push_back(flag);
    }
  }
  return out;
}

}  // namespace authd::auth::argon2
