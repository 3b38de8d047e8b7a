#include "store/sqlite/session_cache.hpp"

#include <iterator>

namespace authd::store::sqlite {

namespace {

std::size_t text_bytes(const user_and_session& found) {
  const auto& u = *found.user;
  const auto& s = *found.session;
  return u.id.size() + u.name.size() + u.email.size() + u.email_key.size() + u.password_hash.size() +
         s.id.size() + s.user_id.size() + s.user_agent.size() + s.client_address.size();
}

}  // namespace

std::uint64_t session_cache::generation() const {
  std::lock_guard lock(mutex_);
  return generation_;
}

std::optional<user_and_session> session_cache::find(std::string_view user_id,
                                                    std::string_view session_id) const {
  std::lock_guard lock(mutex_);
  const auto it = entries_.find(session_id);
  if (it == entries_.end() || it->second.user->id != user_id) return std::nullopt;
  return it->second;
}

void session_cache::remember(const user_and_session& found, std::uint64_t generation) {
  if (capacity_ == 0 || !found.user || !found.session || found.session->user_id != found.user->id) return;
  if (text_bytes(found) > max_entry_bytes) return;
  std::lock_guard lock(mutex_);
  if (generation != generation_) return;
  if (entries_.size() >= capacity_) entries_.clear();
  entries_.insert_or_assign(found.session->id, found);
}

void session_cache::forget_session(std::string_view session_id) {
  std::lock_guard lock(mutex_);
  ++generation_;
  if (const auto it = entries_.find(session_id); it != entries_.end()) entries_.erase(it);
}

void session_cache::forget_user(std::string_view user_id) {
  std::lock_guard lock(mutex_);
  ++generation_;
  for (auto it = entries_.begin(); it != entries_.end();)
    it = it->second.user->id == user_id ? entries_.erase(it) : std::next(it);
}

void session_cache::forget_all() {
  std::lock_guard lock(mutex_);
  ++generation_;
  entries_.clear();
}

std::size_t session_cache::size() const {
  std::lock_guard lock(mutex_);
  return entries_.size();
}

}  // namespace authd::store::sqlite
