// What every fuzz target asserts with: a broken invariant prints what broke and aborts, which
// libFuzzer reports as a crash and saves the input that caused it.
#pragma once

#include <boost/json/parse.hpp>
#include <boost/json/value.hpp>
#include <cstdio>
#include <cstdlib>
#include <optional>
#include <string_view>

#define FUZZ_CHECK(condition, what)                                              \
  do {                                                                           \
    if (!(condition)) ::authd::fuzz::fail(__FILE__, __LINE__, #condition, what); \
  } while (false)

namespace authd::fuzz {

// Run before aborting (e.g. to remove a temporary database, which abort() would leave behind).
inline void (*before_abort)() = nullptr;

[[noreturn]] inline void fail(const char* file, int line, const char* condition, std::string_view what) {
  std::fprintf(stderr, "\n%s:%d: invariant broken: %s\n  %.*s\n", file, line, condition,
               static_cast<int>(what.size()), what.data());
  if (before_abort != nullptr) before_abort();
  std::abort();
}

inline std::optional<boost::json::value> parse_json(std::string_view text) {
  boost::system::error_code ec;
  auto value = boost::json::parse(text, ec);
  if (ec) return std::nullopt;
  return value;
}

// A 422 body in FastAPI / pydantic v2's shape: {"detail": [{"type", "loc": ["body", ...], "msg",
// "input", "ctx"?}, ...]}, at least one item, nothing else.
inline void check_validation_body(std::string_view body) {
  const auto value = parse_json(body);
  FUZZ_CHECK(value && value->is_object(), body);
  const auto& object = value->as_object();
  FUZZ_CHECK(object.size() == 1 && object.contains("detail"), body);
  const auto* items = object.at("detail").if_array();
  FUZZ_CHECK(items != nullptr && !items->empty(), body);
  for (const auto& item : *items) {
    const auto* fields = item.if_object();
    FUZZ_CHECK(fields != nullptr, body);
    for (const auto& [key, member] : *fields)
      FUZZ_CHECK(key == "type" || key == "loc" || key == "msg" || key == "input" || key == "ctx", body);
    const auto* type = fields->contains("type") ? fields->at("type").if_string() : nullptr;
    FUZZ_CHECK(type != nullptr && !type->empty(), body);
    const auto* msg = fields->contains("msg") ? fields->at("msg").if_string() : nullptr;
    FUZZ_CHECK(msg != nullptr && !msg->empty(), body);
    const auto* loc = fields->contains("loc") ? fields->at("loc").if_array() : nullptr;
    FUZZ_CHECK(loc != nullptr && !loc->empty() &&
                   (loc->front() == "body" || loc->front() == "query" || loc->front() == "path"),
               body);
    FUZZ_CHECK(fields->contains("input"), body);
    if (fields->contains("ctx")) FUZZ_CHECK(fields->at("ctx").is_object(), body);
  }
}

// {"detail": "<non-empty text>"}: every other error answer.
inline void check_detail_body(std::string_view body) {
  const auto value = parse_json(body);
  FUZZ_CHECK(value && value->is_object() && value->as_object().size() == 1, body);
  const auto* detail = value->as_object().if_contains("detail");
  FUZZ_CHECK(detail != nullptr && detail->is_string() && !detail->as_string().empty(), body);
}

}  // namespace authd::fuzz
