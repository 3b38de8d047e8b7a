#include "http/router.hpp"

#include <utility>

namespace authd::http {

void router::add(bhttp::verb method, std::string path, handler h, route_doc doc) {
  entries_.push_back(entry{method, std::move(path), std::move(h), std::move(doc)});
}

router::match router::find(bhttp::verb method, std::string_view path) const {
  match result;
  const handler* get_handler = nullptr;
  for (const auto& e : entries_) {
    if (e.path != path) continue;
    result.path_known = true;
    if (e.method == method) {
      result.found = &e.h;
      return result;
    }
    if (e.method == bhttp::verb::get && get_handler == nullptr) get_handler = &e.h;
  }
  // HEAD falls back to GET only when no explicit HEAD route exists (checked by the loop above).
  if (method == bhttp::verb::head && get_handler != nullptr) {
    result.found = get_handler;
    return result;
  }
  if (!result.path_known) return result;

  // Only a 405 pays for building the Allow list.
  bool has_head = false;
  for (const auto& e : entries_)
    if (e.path == path && e.method == bhttp::verb::head) has_head = true;
  auto append = [&result](std::string_view name) {
    if (!result.allow.empty()) result.allow += ", ";
    result.allow += name;
  };
  for (const auto& e : entries_) {
    if (e.path != path) continue;
    append(bhttp::to_string(e.method));
    if (e.method == bhttp::verb::get && !has_head) append("HEAD");
  }
  return result;
}

void router::add_prefix_header(std::string prefix, std::string name, std::string value) {
  prefix_headers_.push_back({std::move(prefix), std::move(name), std::move(value)});
}

void router::apply_prefix_headers(std::string_view path, response& res) const {
  for (const auto& h : prefix_headers_)
    if (path.starts_with(h.prefix)) res.set(h.name, h.value);
}

std::vector<router::route> router::routes() const {
  std::vector<route> out;
  out.reserve(entries_.size());
  for (const auto& e : entries_) out.push_back(route{e.method, e.path, e.doc});
  return out;
}

}  // namespace authd::http
