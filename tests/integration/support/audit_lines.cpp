#include "support/audit_lines.hpp"

#include <gtest/gtest.h>

#include <boost/json/parse.hpp>

namespace authd::itest {

std::vector<boost::json::object> audit_lines(std::string_view log) {
  constexpr std::string_view marker = "audit {";
  std::vector<boost::json::object> out;
  for (std::size_t at = log.find(marker); at != std::string_view::npos; at = log.find(marker, at + 1)) {
    const auto start = at + marker.size() - 1;
    const auto end = log.find('\n', start);
    const auto text = log.substr(start, end == std::string_view::npos ? std::string_view::npos : end - start);
    boost::system::error_code ec;
    auto value = boost::json::parse(text, ec);
    if (ec || !value.is_object()) {
      ADD_FAILURE() << "audit line is not one JSON object: " << text;
      continue;
    }
    out.push_back(std::move(value.as_object()));
  }
  return out;
}

std::vector<boost::json::object> audit_lines(std::string_view log, std::string_view event) {
  std::vector<boost::json::object> out;
  for (auto& line : audit_lines(log))
    if (const auto* e = line.if_contains("event"); e && e->is_string() && e->as_string() == event)
      out.push_back(std::move(line));
  return out;
}

}  // namespace authd::itest
