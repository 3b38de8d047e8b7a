#include "http/request_id.hpp"

#include <array>
#include <cstdint>
#include <random>

namespace authd::http {

namespace {

constexpr std::size_t max_incoming_length = 64;

bool is_safe_id_char(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '.' || c == '_' ||
         c == '-';
}

// Request ids only correlate log lines, they guard nothing, so a per-thread PRNG seeded from the OS
// is enough and keeps the hot path free of system calls and locks.
std::uint64_t next_random() {
  thread_local std::mt19937_64 engine = [] {
    std::random_device device;
    std::seed_seq seed{device(), device(), device(), device()};
    return std::mt19937_64(seed);
  }();
  return engine();
}

}  // namespace

std::string new_request_id() {
  static constexpr std::array<char, 16> hex = {'0', '1', '2', '3', '4', '5', '6', '7',
                                               '8', '9', 'a', 'b', 'c', 'd', 'e', 'f'};
  std::uint64_t value = next_random();
  std::string id(16, '0');
  for (auto it = id.rbegin(); it != id.rend(); ++it) {
    *it = hex[value & 0xf];
    value >>= 4;
  }
  return id;
}

std::string accept_or_new_request_id(std::string_view incoming) {
  if (incoming.empty() || incoming.size() > max_incoming_length) return new_request_id();
  for (char c : incoming)
    if (!is_safe_id_char(c)) return new_request_id();
  return std::string(incoming);
}

}  // namespace authd::http
