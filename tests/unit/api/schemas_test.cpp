// The request schemas: what passes, and the exact pydantic-shaped 422 items for what does not.
#include "api/schemas.hpp"

#include <gtest/gtest.h>

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>

namespace authd::api {
namespace {

const auth::password_limits limits{.min_length = 8, .max_length = 256};

boost::json::array items(const validation_errors& errors) {
  return boost::json::parse(errors.to_json()).as_object().at("detail").as_array();
}

boost::json::array register_errors(std::string_view body) {
  auto parsed = parse_register(body, limits);
  EXPECT_FALSE(parsed.has_value()) << body;
  return parsed ? boost::json::array{} : items(parsed.error());
}

TEST(register_schema, accepts_a_valid_body_and_normalizes_the_email) {
  auto parsed = parse_register(
      R"({"name":"Ada","email":" Ada@Example.COM ","password":"correct horse battery"})", limits);
  ASSERT_TRUE(parsed.has_value());
  EXPECT_EQ(parsed->name, "Ada");
  EXPECT_EQ(parsed->email.email, "Ada@example.com");
  EXPECT_EQ(parsed->password, "correct horse battery");
}

TEST(register_schema, empty_body_is_body_missing) {
  auto e = register_errors("");
  ASSERT_EQ(e.size(), 1u);
  EXPECT_EQ(boost::json::serialize(e[0]),
            R"({"type":"missing","loc":["body"],"msg":"Field required","input":null})");
}

TEST(register_schema, invalid_json_reports_json_invalid_with_offset) {
  auto e = register_errors(R"({"name": )");
  ASSERT_EQ(e.size(), 1u);
  EXPECT_EQ(e[0].at("type"), "json_invalid");
  EXPECT_EQ(e[0].at("msg"), "JSON decode error");
  EXPECT_EQ(e[0].at("loc").as_array()[0], "body");
  EXPECT_TRUE(e[0].at("loc").as_array()[1].is_number());
  EXPECT_TRUE(e[0].at("input").as_object().empty());
  EXPECT_TRUE(e[0].at("ctx").at("error").is_string());
}

TEST(register_schema, deep_nesting_is_refused_not_recursed) {
  std::string deep(1000, '[');
  deep += std::string(1000, ']');
  auto e = register_errors(deep);
  ASSERT_EQ(e.size(), 1u);
  EXPECT_EQ(e[0].at("type"), "json_invalid");
}

TEST(register_schema, invalid_utf8_is_json_invalid) {
  auto e = register_errors("{\"name\":\"\xff\xfe\",\"email\":\"a@example.com\",\"password\":\"x\"}");
  ASSERT_EQ(e.size(), 1u);
  EXPECT_EQ(e[0].at("type"), "json_invalid");
}

TEST(register_schema, non_object_is_model_attributes_type_with_the_input) {
  auto e = register_errors(R"([1,2])");
  ASSERT_EQ(e.size(), 1u);
  EXPECT_EQ(
      boost::json::serialize(e[0]),
      R"({"type":"model_attributes_type","loc":["body"],"msg":"Input should be a valid dictionary or object to extract fields from","input":[1,2]})");
}

TEST(register_schema, every_missing_field_in_model_order_with_the_body_as_input) {
  auto e = register_errors(R"({"other":1})");
  ASSERT_EQ(e.size(), 3u);
  EXPECT_EQ(e[0].at("loc"), (boost::json::array{"body", "name"}));
  EXPECT_EQ(e[1].at("loc"), (boost::json::array{"body", "email"}));
  EXPECT_EQ(e[2].at("loc"), (boost::json::array{"body", "password"}));
  for (const auto& item : e) {
    EXPECT_EQ(item.at("type"), "missing");
    EXPECT_EQ(item.at("msg"), "Field required");
    EXPECT_EQ(item.at("input"), (boost::json::object{{"other", 1}}));
  }
}

TEST(register_schema, wrong_types_are_string_type) {
  auto e = register_errors(R"({"name":1,"email":null,"password":["x"]})");
  ASSERT_EQ(e.size(), 3u);
  EXPECT_EQ(
      boost::json::serialize(e[0]),
      R"({"type":"string_type","loc":["body","name"],"msg":"Input should be a valid string","input":1})");
  EXPECT_EQ(e[1].at("input"), nullptr);
  EXPECT_EQ(e[2].at("input"), (boost::json::array{"x"}));
}

TEST(register_schema, bad_email_is_a_value_error_with_the_reason) {
  auto e = register_errors(R"({"name":"A","email":"foo","password":"correct horse battery"})");
  ASSERT_EQ(e.size(), 1u);
  EXPECT_EQ(
      boost::json::serialize(e[0]),
      R"({"type":"value_error","loc":["body","email"],"msg":"value is not a valid email address: An email address must have an @-sign.","input":"foo","ctx":{"reason":"An email address must have an @-sign."}})");
}

TEST(register_schema, length_rules_use_pydantic_wording_and_plurals) {
  auto e = register_errors(R"({"name":"","email":"a@example.com","password":"abc"})");
  ASSERT_EQ(e.size(), 2u);
  EXPECT_EQ(
      boost::json::serialize(e[0]),
      R"({"type":"string_too_short","loc":["body","name"],"msg":"String should have at least 1 character","input":"","ctx":{"min_length":1}})");
  EXPECT_EQ(
      boost::json::serialize(e[1]),
      R"({"type":"string_too_short","loc":["body","password"],"msg":"String should have at least 8 characters","input":"abc","ctx":{"min_length":8}})");

  std::string long_password(257, 'x');
  auto too_long =
      register_errors(R"({"name":"A","email":"a@example.com","password":")" + long_password + "\"}");
  ASSERT_EQ(too_long.size(), 1u);
  EXPECT_EQ(too_long[0].at("type"), "string_too_long");
  EXPECT_EQ(too_long[0].at("msg"), "String should have at most 256 characters");
  EXPECT_EQ(too_long[0].at("ctx").at("max_length"), 256);
}

TEST(register_schema, length_counts_characters_not_bytes) {
  // Eight two-byte characters: 16 bytes, 8 characters, long enough.
  auto parsed = parse_register(R"({"name":"A","email":"a@example.com","password":"éüßçñøåæ"})", limits);
  EXPECT_TRUE(parsed.has_value());
}

TEST(register_schema, common_password_and_control_characters_are_value_errors) {
  auto e = register_errors(R"({"name":"a\u0007b","email":"a@example.com","password":"password123"})");
  ASSERT_EQ(e.size(), 2u);
  EXPECT_EQ(e[0].at("type"), "value_error");
  EXPECT_EQ(e[0].at("msg"), "Value error, name must not contain control characters");
  EXPECT_EQ(e[1].at("msg"), "Value error, password is too common");
  EXPECT_EQ(e[1].at("ctx").at("error"), "password is too common");
}

TEST(login_schema, does_not_apply_the_minimum_length_but_does_the_maximum) {
  auto shorter = parse_login(R"({"email":"a@example.com","password":"test123"})", limits);
  ASSERT_TRUE(shorter.has_value());
  EXPECT_EQ(shorter->password, "test123");

  auto longer =
      parse_login(R"({"email":"a@example.com","password":")" + std::string(300, 'x') + "\"}", limits);
  ASSERT_FALSE(longer.has_value());
  EXPECT_EQ(items(longer.error())[0].at("type"), "string_too_long");
}

TEST(login_schema, reports_email_then_password) {
  auto parsed = parse_login(R"({"email":5})", limits);
  ASSERT_FALSE(parsed.has_value());
  auto e = items(parsed.error());
  ASSERT_EQ(e.size(), 2u);
  EXPECT_EQ(e[0].at("type"), "string_type");
  EXPECT_EQ(e[1].at("type"), "missing");
}

TEST(rendering, timestamps_are_pydantic_style_utc) {
  EXPECT_EQ(format_timestamp(0), "1970-01-01T00:00:00Z");
  EXPECT_EQ(format_timestamp(1'700'000'000'123'456), "2023-11-14T22:13:20.123456Z");
  EXPECT_EQ(format_timestamp(1'700'000'000'000'001), "2023-11-14T22:13:20.000001Z");
}

TEST(rendering, user_bodies_have_the_contract_fields_in_order) {
  store::user_record u{.id = "0b5f7a9e-1c2d-4e3f-8a9b-0c1d2e3f4a5b",
                       .name = "Ada \"the\" first",
                       .email = "ada@example.com",
                       .email_key = "ada@example.com",
                       .password_hash = "$argon2id$secret",
                       .created = 1'700'000'000'000'000};
  EXPECT_EQ(render_registered(u), R"({"id":"0b5f7a9e-1c2d-4e3f-8a9b-0c1d2e3f4a5b"})");
  EXPECT_EQ(
      render_logged_in(u),
      R"({"id":"0b5f7a9e-1c2d-4e3f-8a9b-0c1d2e3f4a5b","name":"Ada \"the\" first","email":"ada@example.com"})");
  EXPECT_EQ(
      render_me(u),
      R"({"id":"0b5f7a9e-1c2d-4e3f-8a9b-0c1d2e3f4a5b","name":"Ada \"the\" first","email":"ada@example.com","created":"2023-11-14T22:13:20Z"})");
  EXPECT_EQ(render_me(u).find("argon2"), std::string::npos);
}

TEST(rendering, sessions_have_the_contract_fields_and_mark_the_current_one) {
  store::session_record a;
  a.id = "5d2c8a1e-3b4f-4c6d-8e9f-0a1b2c3d4e5f";
  a.created = 1'764'063'108'123'456;
  a.last_used = 1'764'063'902'500'000;
  a.user_agent = "curl/8";
  a.client_address = "192.0.2.1";
  store::session_record b = a;
  b.id = "9a8b7c6d-5e4f-4a3b-8c2d-1e0f9a8b7c6d";
  EXPECT_EQ(
      render_sessions({a, b}, b.id),
      R"([{"id":"5d2c8a1e-3b4f-4c6d-8e9f-0a1b2c3d4e5f","created":"2025-11-25T09:31:48.123456Z",)"
      R"("last_used":"2025-11-25T09:45:02.500000Z","user_agent":"curl/8","address":"192.0.2.1","current":false},)"
      R"({"id":"9a8b7c6d-5e4f-4a3b-8c2d-1e0f9a8b7c6d","created":"2025-11-25T09:31:48.123456Z",)"
      R"("last_used":"2025-11-25T09:45:02.500000Z","user_agent":"curl/8","address":"192.0.2.1","current":true}])");
  EXPECT_EQ(render_sessions({}, ""), "[]");
}

TEST(rendering, a_user_agent_that_is_not_utf8_is_rendered_as_valid_json) {
  store::session_record s;
  s.user_agent = "agent \xff\xfe caf\xc3\xa9 cut \xe2\x82";  // invalid bytes, and a sequence cut short
  const std::string body = render_sessions({s}, "");
  boost::system::error_code ec;
  const auto parsed = boost::json::parse(body, ec);
  ASSERT_FALSE(ec) << body;
  EXPECT_EQ(parsed.at(0).at("user_agent"),
            "agent \xef\xbf\xbd\xef\xbf\xbd caf\xc3\xa9 cut \xef\xbf\xbd\xef\xbf\xbd");
}

}  // namespace
}  // namespace authd::api

namespace authd::api {
namespace {

// Found by the request fuzzer: POST /auth/logout?scope=<bytes> echoed invalid UTF-8 into the 422.
TEST(validation_errors, a_query_value_that_is_not_utf8_is_echoed_with_replacement_characters) {
  validation_errors errors;
  errors.not_in_enum("scope", "others\xff", {"current", "others", "all"});
  boost::system::error_code ec;
  const auto body = boost::json::parse(errors.to_json(), ec);
  ASSERT_FALSE(ec) << "the 422 body is valid JSON (UTF-8): " << errors.to_json();
  EXPECT_EQ(body.at("detail").at(0).at("input"), "others\xEF\xBF\xBD");
}

}  // namespace
}  // namespace authd::api
