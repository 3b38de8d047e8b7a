#include "api/validation_errors.hpp"

#include <unistr.h>

#include <boost/json/serialize.hpp>
#include <cstdint>

namespace authd::api {

namespace {

boost::json::array body_loc(std::string_view field) {
  return boost::json::array{"body", field};
}

// pydantic pluralizes its length messages: "1 character", "8 characters".
std::string characters(std::size_t n) {
  return std::to_string(n) + (n == 1 ? " character" : " characters");
}

}  // namespace

void validation_errors::add(std::string_view type, boost::json::array loc, std::string msg,
                            const boost::json::value& input, boost::json::object ctx) {
  boost::json::object item;
  item["type"] = type;
  item["loc"] = std::move(loc);
  item["msg"] = std::move(msg);
  item["input"] = input;
  if (!ctx.empty()) item["ctx"] = std::move(ctx);
  items_.emplace_back(std::move(item));
}

void validation_errors::json_invalid(std::size_t offset, std::string_view error) {
  add("json_invalid", boost::json::array{"body", offset}, "JSON decode error", boost::json::object{},
      boost::json::object{{"error", error}});
}

void validation_errors::body_missing() {
  add("missing", boost::json::array{"body"}, "Field required", nullptr);
}

void validation_errors::not_an_object(const boost::json::value& input) {
  add("model_attributes_type", boost::json::array{"body"},
      "Input should be a valid dictionary or object to extract fields from", input);
}

void validation_errors::missing(std::string_view field, const boost::json::value& body) {
  add("missing", body_loc(field), "Field required", body);
}

void validation_errors::not_a_string(std::string_view field, const boost::json::value& input) {
  add("string_type", body_loc(field), "Input should be a valid string", input);
}

void validation_errors::too_short(std::string_view field, const boost::json::value& input,
                                  std::size_t min_length) {
  add("string_too_short", body_loc(field), "String should have at least " + characters(min_length), input,
      boost::json::object{{"min_length", min_length}});
}

void validation_errors::too_long(std::string_view field, const boost::json::value& input,
                                 std::size_t max_length) {
  add("string_too_long", body_loc(field), "String should have at most " + characters(max_length), input,
      boost::json::object{{"max_length", max_length}});
}

void validation_errors::invalid_email(std::string_view field, const boost::json::value& input,
                                      std::string_view reason) {
  add("value_error", body_loc(field), "value is not a valid email address: " + std::string(reason), input,
      boost::json::object{{"reason", reason}});
}

void validation_errors::value_error(std::string_view field, const boost::json::value& input,
                                    std::string_view message) {
  add("value_error", body_loc(field), "Value error, " + std::string(message), input,
      boost::json::object{{"error", message}});
}

std::string valid_utf8(std::string_view text) {
  const auto* p = reinterpret_cast<const std::uint8_t*>(text.data());
  const auto* end = p + text.size();
  if (u8_check(p, text.size()) == nullptr) return std::string(text);
  std::string out;
  out.reserve(text.size() + 8);
  while (p < end) {
    ucs4_t c = 0;
    const int n = u8_mbtoucr(&c, p, static_cast<std::size_t>(end - p));
    if (n < 0) {
      out += "\xEF\xBF\xBD";
      ++p;
    } else {
      out.append(reinterpret_cast<const char*>(p), static_cast<std::size_t>(n));
      p += n;
    }
  }
  return out;
}

void validation_errors::not_in_enum(std::string_view parameter, std::string_view input,
                                    std::initializer_list<std::string_view> allowed) {
  // pydantic: "'a', 'b' or 'c'".
  std::string expected;
  std::size_t i = 0;
  for (std::string_view value : allowed) {
    if (i > 0) expected.append(i + 1 == allowed.size() ? " or " : ", ");
    // append, not "'" + std::string(value): g++ 12 at -O3 warns of an impossible memcpy size there.
    expected.append(1, '\'').append(value).append(1, '\'');
    ++i;
  }
  add("enum", boost::json::array{"query", parameter}, "Input should be " + expected,
      boost::json::string(valid_utf8(input)), boost::json::object{{"expected", expected}});
}

std::string validation_errors::to_json() const {
  boost::json::object body;
  body["detail"] = items_;
  return boost::json::serialize(body);
}

}  // namespace authd::api
