// Routes by method and path (exact, or with a last segment that is a parameter); answers the
// contract's 404 and 405 (with Allow).
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "http/message.hpp"

namespace authd::http {

// What the API description (OpenAPI) says of a route; the router only keeps it, so that a test can
// hold the document and the routes to each other.
struct route_doc {
  std::vector<unsigned> statuses;  // every status the handler itself may answer
  bool documented = true;          // false: kept out of the API description (static assets)
};

class router {
 public:
  // Registers `h` for `method` on `path`: exact (e.g. "/auth/login"), or ending in a parameter
  // segment (e.g. "/auth/sessions/{id}"), which matches one non-empty segment without '/'. An exact
  // path wins over a parameter one. A HEAD request is served by the GET handler.
  void add(bhttp::verb method, std::string path, handler h, route_doc doc = {});

  struct match {
    const handler* found = nullptr;    // null: see `path_known`
    bool path_known = false;           // true with found == null means 405
    std::string allow;                 // "GET, POST" for the 405's Allow header
    std::string_view parameter;        // the parameter segment's value (a view into the path), if any
    std::size_t path_index = no_path;  // the registered path that matched (into paths()), for metrics
  };
  static constexpr std::size_t no_path = static_cast<std::size_t>(-1);
  match find(bhttp::verb method, std::string_view path) const;

  // A header that every response under `prefix` carries, whatever answered it (a handler, or the
  // 404 / 405 / 500 the server makes itself).
  void add_prefix_header(std::string prefix, std::string name, std::string value);
  void apply_prefix_headers(std::string_view path, response& res) const;

  struct route {
    bhttp::verb method;
    std::string path;
    route_doc doc;
  };
  // Every registered route, in registration order (the OpenAPI test compares them to the document).
  std::vector<route> routes() const;
  // The distinct registered paths ("/auth/sessions/{id}" as written), in registration order.
  const std::vector<std::string>& paths() const { return paths_; }

 private:
  struct entry {
    bhttp::verb method;
    std::string path;
    handler h;
    route_doc doc;
    std::size_t prefix = 0;  // parameter routes: the length before the parameter; 0: exact
    std::size_t path_index = 0;
  };
  // The parameter's value when `e` matches `path` (empty for an exact route); nullopt otherwise.
  static std::optional<std::string_view> matches(const entry& e, std::string_view path, bool exact_only);
  std::vector<entry> entries_;
  std::vector<std::string> paths_;
  struct prefix_header {
    std::string prefix, name, value;
  };
  std::vector<prefix_header> prefix_headers_;
};

}  // namespace authd::http
