#include "http/conditional.hpp"

namespace authd::http {

namespace {

// Commas may occur inside a quoted tag, so the list is scanned, not split; a malformed list
// matches nothing from the fault on.
bool list_hits(std::string_view list, std::string_view etag) {
  std::size_t i = 0;
  for (;;) {
    while (i < list.size() && (list[i] == ' ' || list[i] == '\t' || list[i] == ',')) ++i;
    if (i == list.size()) return false;
    if (list[i] == '*') return true;
    if (list.substr(i, 2) == "W/") i += 2;
    if (i == list.size() || list[i] != '"') return false;
    const auto close = list.find('"', i + 1);
    if (close == std::string_view::npos) return false;
    if (list.substr(i, close + 1 - i) == etag) return true;
    i = close + 1;
  }
}

}  // namespace

bool if_none_match_hits(const request& req, std::string_view etag) {
  const std::string_view bare = etag.starts_with("W/") ? etag.substr(2) : etag;
  auto [it, end] = req.equal_range(bhttp::field::if_none_match);
  for (; it != end; ++it)
    if (list_hits(it->value(), bare)) return true;
  return false;
}

}  // namespace authd::http
