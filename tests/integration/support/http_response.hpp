// One HTTP response as the tests see it: status, every header (repeats kept), body.
#pragma once

#include <boost/json/value.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace authd::itest {

using header_list = std::vector<std::pair<std::string, std::string>>;

struct http_response {
  unsigned status = 0;
  header_list headers;
  std::string body;
  bool keep_alive = false;  // what the response itself says (HTTP/1.1 default, Connection header)

  // The first header of that name (case-insensitive), if any.
  std::optional<std::string> header(std::string_view name) const;
  // Every header of that name, in order (e.g. several Set-Cookie).
  std::vector<std::string> headers_named(std::string_view name) const;
  // The body parsed as JSON; a body that is not JSON is a test failure, reported with the body.
  boost::json::value json() const;
};

// The body {"detail": text} that every non-422 error of the contract has.
boost::json::value detail(std::string_view text);

// gtest prints responses readably when an assertion on one fails.
void PrintTo(const http_response& r, std::ostream* os);

}  // namespace authd::itest
