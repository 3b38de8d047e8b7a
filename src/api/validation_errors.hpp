// The 422 body in FastAPI / pydantic v2's shape: {"detail": [{"type", "loc", "msg", "input", "ctx"?}]}
// with pydantic's type names and wording, so clients of the original service read them unchanged.
#pragma once

#include <boost/json/array.hpp>
#include <boost/json/object.hpp>
#include <boost/json/value.hpp>
#include <cstddef>
#include <initializer_list>
#include <string>
#include <string_view>

namespace authd::api {

// The text with every byte that is not part of valid UTF-8 replaced by U+FFFD: what a client sent
// (a User-Agent, a query parameter) may hold any bytes, and a JSON body must be UTF-8.
std::string valid_utf8(std::string_view text);

class validation_errors {
 public:
  bool empty() const { return items_.empty(); }
  std::size_t size() const { return items_.size(); }

  // The body could not be decoded; `offset` is where the decoder stopped.
  void json_invalid(std::size_t offset, std::string_view error);
  // The body is absent (no bytes at all).
  void body_missing();
  // The body is JSON but not an object.
  void not_an_object(const boost::json::value& input);
  // `field` is absent from `body`.
  void missing(std::string_view field, const boost::json::value& body);
  void not_a_string(std::string_view field, const boost::json::value& input);
  void too_short(std::string_view field, const boost::json::value& input, std::size_t min_length);
  void too_long(std::string_view field, const boost::json::value& input, std::size_t max_length);
  void invalid_email(std::string_view field, const boost::json::value& input, std::string_view reason);
  // A query parameter that is not one of `allowed` (pydantic's Enum / Literal error).
  void not_in_enum(std::string_view parameter, std::string_view input,
                   std::initializer_list<std::string_view> allowed);
  // A custom rule, worded like a pydantic field_validator's ValueError: "Value error, <message>".
  void value_error(std::string_view field, const boost::json::value& input, std::string_view message);

  // {"detail": [...]}
  std::string to_json() const;

 private:
  void add(std::string_view type, boost::json::array loc, std::string msg, const boost::json::value& input,
           boost::json::object ctx = {});
  boost::json::array items_;
};

}  // namespace authd::api
