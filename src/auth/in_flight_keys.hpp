// At most one password check per key (an account) at a time in this process. The throttle is
// checked before hashing and counted after it, so without this every attempt already past the
// check when a block ends (up to the hash queue's length) would be one more guess.
#pragma once

#include <mutex>
#include <string>
#include <unordered_set>
#include <utility>

namespace authd::auth {

class in_flight_keys {
 public:
  // Holds a key until destroyed; empty (false) when the key was already held.
  class claim {
   public:
    claim() = default;
    claim(claim&& other) noexcept
        : owner_(std::exchange(other.owner_, nullptr)), key_(std::move(other.key_)) {}
    claim& operator=(claim&& other) noexcept {
      if (this != &other) {
        release();
        owner_ = std::exchange(other.owner_, nullptr);
        key_ = std::move(other.key_);
      }
      return *this;
    }
    claim(const claim&) = delete;
    claim& operator=(const claim&) = delete;
    ~claim() { release(); }
    explicit operator bool() const { return owner_ != nullptr; }

   private:
    friend class in_flight_keys;
    claim(in_flight_keys* owner, std::string key) : owner_(owner), key_(std::move(key)) {}
    void release() {
      if (owner_ == nullptr) return;
      std::lock_guard lock(owner_->mutex_);
      owner_->keys_.erase(key_);
      owner_ = nullptr;
    }
    in_flight_keys* owner_ = nullptr;
    std::string key_;
  };

  claim try_claim(std::string key) {
    std::lock_guard lock(mutex_);
    if (!keys_.insert(key).second) return {};
    return claim(this, std::move(key));
  }

  bool held(const std::string& key) const {
    std::lock_guard lock(mutex_);
    return keys_.contains(key);
  }

 private:
  mutable std::mutex mutex_;
  std::unordered_set<std::string> keys_;
};

}  // namespace authd::auth
