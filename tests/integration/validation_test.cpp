// The 422 answers, item by item, in pydantic v2's shape and wording.
#include "support/auth_api.hpp"
#include "support/server_test.hpp"

namespace authd::itest {
namespace {

using validation = server_test;
namespace json_ns = boost::json;

const std::string good_password = alice().password;

json_ns::value detail_list(std::initializer_list<json_ns::value> items) {
  return json_ns::object{{"detail", json_ns::array(items.begin(), items.end())}};
}

// The item for a field with a value of the wrong type.
json_ns::value string_type(std::string_view field, const json_ns::value& input) {
  return json_ns::object{{"type", "string_type"},
                         {"loc", json_ns::array{"body", field}},
                         {"msg", "Input should be a valid string"},
                         {"input", input}};
}

// ---- the body as a whole

TEST_F(validation, invalid_json_is_json_invalid_with_the_byte_offset) {
  auto c = client();
  const auto response = c.post_json_text("/auth/register", R"({"name": "a", "email": )");
  ASSERT_EQ(response.status, 422u) << ::testing::PrintToString(response);
  const auto body = response.json();
  ASSERT_EQ(body.at("detail").as_array().size(), 1u);
  const auto& item = body.at("detail").at(0).as_object();
  EXPECT_EQ(item.at("type"), "json_invalid");
  EXPECT_EQ(item.at("msg"), "JSON decode error");
  EXPECT_EQ(item.at("input"), json_ns::object{});
  ASSERT_EQ(item.at("loc").as_array().size(), 2u);
  EXPECT_EQ(item.at("loc").at(0), "body");
  EXPECT_TRUE(item.at("loc").at(1).is_int64()) << item.at("loc");
  EXPECT_TRUE(item.at("ctx").at("error").is_string());
  EXPECT_EQ(response.header("Cache-Control"), "no-store");
}

TEST_F(validation, an_empty_body_is_missing) {
  auto c = client();
  const auto response = c.post_json_text("/auth/register", "");
  EXPECT_EQ(response.status, 422u);
  EXPECT_EQ(response.json(),
            json(R"({"detail":[{"type":"missing","loc":["body"],"msg":"Field required","input":null}]})"));
}

TEST_F(validation, a_body_that_is_not_an_object_is_model_attributes_type) {
  auto c = client();
  for (const char* text : {"[]", R"("x")", "1", "[1,2]"}) {
    const auto response = c.post_json_text("/auth/register", text);
    EXPECT_EQ(response.status, 422u) << text;
    EXPECT_EQ(response.json(),
              detail_list({json_ns::object{
                  {"type", "model_attributes_type"},
                  {"loc", json_ns::array{"body"}},
                  {"msg", "Input should be a valid dictionary or object to extract fields from"},
                  {"input", json(text)}}}))
        << text;
  }
}

TEST_F(validation, every_missing_register_field_is_listed_in_model_order) {
  auto c = client();
  const auto response = c.post_json_text("/auth/register", "{}");
  EXPECT_EQ(response.status, 422u);
  EXPECT_EQ(response.json(), json(R"({"detail":[
      {"type":"missing","loc":["body","name"],"msg":"Field required","input":{}},
      {"type":"missing","loc":["body","email"],"msg":"Field required","input":{}},
      {"type":"missing","loc":["body","password"],"msg":"Field required","input":{}}]})"));
}

TEST_F(validation, a_missing_field_carries_the_whole_body_as_input) {
  auto c = client();
  const json_ns::object body{{"name", "Alice"}, {"password", good_password}};
  const auto response = c.post_json("/auth/register", body);
  EXPECT_EQ(response.status, 422u);
  EXPECT_EQ(response.json(), detail_list({json_ns::object{{"type", "missing"},
                                                          {"loc", json_ns::array{"body", "email"}},
                                                          {"msg", "Field required"},
                                                          {"input", body}}}));
}

TEST_F(validation, every_missing_login_field_is_listed_in_model_order) {
  auto c = client();
  const auto response = c.post_json_text("/auth/login", "{}");
  EXPECT_EQ(response.status, 422u);
  EXPECT_EQ(response.json(), json(R"({"detail":[
      {"type":"missing","loc":["body","email"],"msg":"Field required","input":{}},
      {"type":"missing","loc":["body","password"],"msg":"Field required","input":{}}]})"));
}

TEST_F(validation, login_invalid_json_is_json_invalid) {
  auto c = client();
  const auto response = c.post_json_text("/auth/login", "{nope}");
  ASSERT_EQ(response.status, 422u);
  EXPECT_EQ(response.json().at("detail").at(0).at("type"), "json_invalid");
}

// ---- fields

TEST_F(validation, a_number_for_a_string_is_string_type) {
  auto c = client();
  auto body = register_body(alice());
  body["name"] = 5;
  const auto response = c.post_json("/auth/register", body);
  EXPECT_EQ(response.status, 422u);
  EXPECT_EQ(response.json(), detail_list({string_type("name", 5)}));
}

TEST_F(validation, a_bad_email_is_a_value_error_with_the_reason) {
  auto c = client();
  auto body = register_body(alice());
  body["email"] = "foo";
  const auto response = c.post_json("/auth/register", body);
  EXPECT_EQ(response.status, 422u);
  EXPECT_EQ(response.json(), json(R"({"detail":[{"type":"value_error","loc":["body","email"],
      "msg":"value is not a valid email address: An email address must have an @-sign.","input":"foo",
      "ctx":{"reason":"An email address must have an @-sign."}}]})"));
}

TEST_F(validation, other_bad_emails_are_value_errors) {
  auto c = client();
  for (const char* email :
       {"a@", "@example.com", "a@@example.com", "a b@example.com", "a@example..com", ""}) {
    auto body = register_body(alice());
    body["email"] = email;
    const auto response = c.post_json("/auth/register", body);
    ASSERT_EQ(response.status, 422u) << email;
    const auto item = response.json().at("detail").at(0);
    EXPECT_EQ(item.at("type"), "value_error") << email;
    EXPECT_EQ(item.at("loc"), json(R"(["body","email"])")) << email;
    EXPECT_TRUE(item.at("msg").as_string().starts_with("value is not a valid email address: "))
        << item.at("msg");
    EXPECT_EQ(item.at("input"), email);
  }
}

TEST_F(validation, a_short_password_is_string_too_short) {
  auto c = client();
  auto body = register_body(alice());
  body["password"] = "abc";
  const auto response = c.post_json("/auth/register", body);
  EXPECT_EQ(response.status, 422u);
  EXPECT_EQ(response.json(), json(R"({"detail":[{"type":"string_too_short","loc":["body","password"],
      "msg":"String should have at least 8 characters","input":"abc","ctx":{"min_length":8}}]})"));
}

TEST_F(validation, password_length_counts_characters_not_bytes) {
  auto c = client();
  auto body = register_body(alice());
  body["password"] = "\u00e9\u00e8\u00ea\u00eb\u00e0\u00e2\u00e4";  // 7 characters, 14 bytes
  const auto response = c.post_json("/auth/register", body);
  ASSERT_EQ(response.status, 422u) << ::testing::PrintToString(response);
  EXPECT_EQ(response.json().at("detail").at(0).at("type"), "string_too_short");
}

TEST_F(validation, an_empty_name_is_string_too_short) {
  auto c = client();
  auto body = register_body(alice());
  body["name"] = "";
  const auto response = c.post_json("/auth/register", body);
  EXPECT_EQ(response.status, 422u);
  EXPECT_EQ(response.json(), json(R"({"detail":[{"type":"string_too_short","loc":["body","name"],
      "msg":"String should have at least 1 character","input":"","ctx":{"min_length":1}}]})"));
}

TEST_F(validation, a_long_name_or_password_is_string_too_long) {
  auto c = client();
  for (const char* field : {"name", "password"}) {
    auto body = register_body(alice());
    const std::string long_value(257, 'q');
    body[field] = long_value;
    const auto response = c.post_json("/auth/register", body);
    EXPECT_EQ(response.status, 422u) << field;
    EXPECT_EQ(response.json(),
              detail_list({json_ns::object{{"type", "string_too_long"},
                                           {"loc", json_ns::array{"body", field}},
                                           {"msg", "String should have at most 256 characters"},
                                           {"input", long_value},
                                           {"ctx", {{"max_length", 256}}}}}))
        << field;
  }
}

TEST_F(validation, the_limits_themselves_are_accepted) {
  auto c = client();
  // 256 characters that no common-password check could call guessable.
  std::string password;
  unsigned state = 12345;
  while (password.size() < 256) {
    state = state * 1103515245u + 12345u;
    password += "abcdefghijkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789#%+-"[(state >> 16) % 60];
  }
  user u{std::string(256, 'n'), "limits@example.com", password};
  EXPECT_EQ(register_user(c, u).status, 201u);
  user short_name{"N", "short@example.com", "kx8#Lq2!"};  // exactly 8 characters
  EXPECT_EQ(register_user(c, short_name).status, 201u);
}

TEST_F(validation, a_common_password_is_a_value_error) {
  auto c = client();
  for (const char* password : {"password123", "12345678"}) {
    auto body = register_body(alice());
    body["password"] = password;
    const auto response = c.post_json("/auth/register", body);
    EXPECT_EQ(response.status, 422u) << password;
    EXPECT_EQ(response.json(), detail_list({json_ns::object{{"type", "value_error"},
                                                            {"loc", json_ns::array{"body", "password"}},
                                                            {"msg", "Value error, password is too common"},
                                                            {"input", password},
                                                            {"ctx", {{"error", "password is too common"}}}}}))
        << password;
  }
}

TEST_F(validation, a_control_character_in_the_name_is_a_value_error) {
  auto c = client();
  for (const std::string& name : {std::string("a\0b", 3), std::string("a\x07"), std::string("tab\there")}) {
    auto body = register_body(alice());
    body["name"] = name;
    const auto response = c.post_json("/auth/register", body);
    ASSERT_EQ(response.status, 422u) << ::testing::PrintToString(response);
    const auto detail_items = response.json().at("detail").as_array();
    ASSERT_EQ(detail_items.size(), 1u);
    EXPECT_EQ(detail_items.at(0).at("type"), "value_error");
    EXPECT_EQ(detail_items.at(0).at("loc"), json(R"(["body","name"])"));
    EXPECT_EQ(detail_items.at(0).at("msg"), "Value error, name must not contain control characters");
    EXPECT_EQ(detail_items.at(0).at("input"), json_ns::string(name));
  }
}

TEST_F(validation, every_problem_is_listed_in_model_order) {
  auto c = client();
  const auto response = c.post_json_text("/auth/register", R"({"password":"abc","email":"foo","name":""})");
  EXPECT_EQ(response.status, 422u);
  const auto body = response.json();
  ASSERT_EQ(body.at("detail").as_array().size(), 3u) << body;
  EXPECT_EQ(body.at("detail").at(0).at("loc"), json(R"(["body","name"])"));
  EXPECT_EQ(body.at("detail").at(1).at("loc"), json(R"(["body","email"])"));
  EXPECT_EQ(body.at("detail").at(2).at("loc"), json(R"(["body","password"])"));
  EXPECT_EQ(body.at("detail").at(0).at("type"), "string_too_short");
  EXPECT_EQ(body.at("detail").at(1).at("type"), "value_error");
  EXPECT_EQ(body.at("detail").at(2).at("type"), "string_too_short");
}

TEST_F(validation, nothing_is_created_by_an_invalid_request) {
  auto c = client();
  auto body = register_body(alice());
  body["password"] = "abc";
  ASSERT_EQ(c.post_json("/auth/register", body).status, 422u);
  EXPECT_FALSE(c.cookies().token());
  EXPECT_EQ(register_user(c, alice()).status, 201u);
}

TEST_F(validation, unknown_fields_are_ignored) {
  auto c = client();
  auto body = register_body(alice());
  body["is_admin"] = true;
  EXPECT_EQ(c.post_json("/auth/register", body).status, 201u);
}

}  // namespace
}  // namespace authd::itest
