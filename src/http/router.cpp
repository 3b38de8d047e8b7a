#include "http/router.hpp"

#include <algorithm>
#include <utility>

namespace authd::http {

void router::add(bhttp::verb method, std::string path, handler h, route_doc doc) {
  std::size_t prefix = 0;
  // "/a/b/{name}": a parameter as the whole last segment.
  if (path.ends_with('}')) {
    const auto slash = path.rfind('/');
    if (slash != std::string::npos && slash + 1 < path.size() && path[slash + 1] == '{') prefix = slash + 1;
  }
  const auto known = std::find(paths_.begin(), paths_.end(), path);
  const auto path_index = static_cast<std::size_t>(known - paths_.begin());
  if (known == paths_.end()) paths_.push_back(path);
  entries_.push_back(entry{method, std::move(path), std::move(h), std::move(doc), prefix, path_index});
}

std::optional<std::string_view> router::matches(const entry& e, std::string_view path, bool exact_only) {
  if (e.prefix == 0)
    return e.path == path ? std::optional<std::string_view>(std::string_view()) : std::nullopt;
  if (exact_only || path.size() <= e.prefix) return std::nullopt;
  if (path.substr(0, e.prefix) != std::string_view(e.path).substr(0, e.prefix)) return std::nullopt;
  const std::string_view value = path.substr(e.prefix);
  if (value.find('/') != std::string_view::npos) return std::nullopt;
  return value;
}

router::match router::find(bhttp::verb method, std::string_view path) const {
  match result;
  // An exact route hides parameter routes for that path (e.g. "/x/new" beside "/x/{id}").
  bool exact_only = false;
  for (const auto& e : entries_)
    if (e.prefix == 0 && e.path == path) {
      exact_only = true;
      break;
    }

  const handler* get_handler = nullptr;
  std::string_view get_parameter;
  std::size_t get_path_index = no_path;
  for (const auto& e : entries_) {
    const auto value = matches(e, path, exact_only);
    if (!value) continue;
    if (!result.path_known) result.path_index = e.path_index;
    result.path_known = true;
    if (e.method == method) {
      result.found = &e.h;
      result.parameter = *value;
      result.path_index = e.path_index;
      return result;
    }
    if (e.method == bhttp::verb::get && get_handler == nullptr) {
      get_handler = &e.h;
      get_parameter = *value;
      get_path_index = e.path_index;
    }
  }
  // HEAD falls back to GET only when no explicit HEAD route exists (checked by the loop above).
  if (method == bhttp::verb::head && get_handler != nullptr) {
    result.found = get_handler;
    result.parameter = get_parameter;
    result.path_index = get_path_index;
    return result;
  }
  if (!result.path_known) return result;

  // Only a 405 pays for building the Allow list.
  bool has_head = false;
  for (const auto& e : entries_)
    if (matches(e, path, exact_only) && e.method == bhttp::verb::head) has_head = true;
  auto append = [&result](std::string_view name) {
    if (!result.allow.empty()) result.allow += ", ";
    result.allow += name;
  };
  for (const auto& e : entries_) {
    if (!matches(e, path, exact_only)) continue;
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
