// What find_user_and_session last read for a session, kept in memory so that /auth/me, the hot
// path, does not open a SQLite read transaction (two fcntl locks and four b-tree descents) each time.
//
// Exact, not eventually consistent: every write that can change a cached answer goes through the
// same store, which invalidates after its commit; and sqlite_store holds an exclusive lock on the
// database while it is open, so no other process can write behind the cache's back. A read that
// raced with an invalidation is not cached (the generation check): it may have seen the old row.
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>

#include "store/store.hpp"

namespace authd::store::sqlite {

class session_cache {
 public:
  // At most `capacity` entries of at most `max_entry_bytes` of text each, so memory stays bounded
  // whatever clients send (a user agent may be kilobytes long: such sessions are not cached).
  static constexpr std::size_t max_entry_bytes = 1024;
  explicit session_cache(std::size_t capacity) : capacity_(capacity) {}

  // Taken before reading the database; remember() needs it.
  std::uint64_t generation() const;
  // The cached answer for this user and session, if any.
  std::optional<user_and_session> find(std::string_view user_id, std::string_view session_id) const;
  // Caches an answer that names both a user and their session, unless something was invalidated
  // since `generation` (the answer may predate it), or it is larger than max_entry_bytes. When
  // full, starts again from empty.
  void remember(const user_and_session& found, std::uint64_t generation);

  // After a committed write: the session, a user's sessions, or everything.
  void forget_session(std::string_view session_id);
  void forget_user(std::string_view user_id);
  void forget_all();

  std::size_t size() const;

 private:
  const std::size_t capacity_;
  mutable std::mutex mutex_;
  std::uint64_t generation_ = 0;
  // Looked up by string_view on every /auth/me: a transparent hash spares building a std::string.
  struct text_hash {
    using is_transparent = void;
    std::size_t operator()(std::string_view text) const noexcept {
      return std::hash<std::string_view>{}(text);
    }
  };
  std::unordered_map<std::string, user_and_session, text_hash, std::equal_to<>> entries_;  // by session id
};

}  // namespace authd::store::sqlite
