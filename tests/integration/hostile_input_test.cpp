// Input an attacker would send: broken JSON, wrong types, huge and deep bodies, bad UTF-8, NUL
// bytes, SQL. Each gets the contract's error, and the server keeps serving.
#include "support/auth_api.hpp"
#include "support/raw_connection.hpp"
#include "support/server_test.hpp"

namespace authd::itest {
namespace {

using hostile_input = server_test;
namespace json_ns = boost::json;

std::string nested_arrays(std::size_t depth) {
  return std::string(depth, '[') + std::string(depth, ']');
}

TEST_F(hostile_input, malformed_json_is_json_invalid) {
  auto c = client();
  for (const char* text :
       {"{", R"({"name":)", R"({'name':'a'})", R"({"name":"a",})", R"({"name":"a"} x)",
        R"({"name":"a" "email":"b"})", "nul", "{\"name\":\"unterminated}", "\xef\xbb\xbf{}"}) {
    const auto response = c.post_json_text("/auth/register", text);
    ASSERT_EQ(response.status, 422u) << text << "\n" << ::testing::PrintToString(response);
    const auto item = response.json().at("detail").at(0);
    EXPECT_EQ(item.at("type"), "json_invalid") << text;
    EXPECT_EQ(item.at("msg"), "JSON decode error") << text;
    EXPECT_TRUE(item.at("loc").at(1).is_int64()) << text;
  }
  EXPECT_TRUE(serving(server().port()));
}

TEST_F(hostile_input, every_wrong_type_is_string_type_with_the_value) {
  auto c = client();
  const json_ns::value wrong_values[] = {5,    nullptr, json_ns::array{},    json_ns::object{},
                                         true, 1.5,     json_ns::array{"a"}, json_ns::object{{"$ne", ""}}};
  for (const char* field : {"name", "email", "password"}) {
    for (const auto& wrong : wrong_values) {
      auto body = register_body(alice());
      body[field] = wrong;
      const auto response = c.post_json("/auth/register", body);
      ASSERT_EQ(response.status, 422u) << field << " = " << wrong;
      EXPECT_EQ(response.json(), (json_ns::object{{"detail", json_ns::array{json_ns::object{
                                                                 {"type", "string_type"},
                                                                 {"loc", json_ns::array{"body", field}},
                                                                 {"msg", "Input should be a valid string"},
                                                                 {"input", wrong}}}}}))
          << field << " = " << wrong;
    }
  }
  auto login_body_object = login_body(alice().email, alice().password);
  login_body_object["password"] = json_ns::object{{"$gt", ""}};
  const auto response = c.post_json("/auth/login", login_body_object);
  EXPECT_EQ(response.status, 422u);
  EXPECT_EQ(response.json().at("detail").at(0).at("type"), "string_type");
  EXPECT_TRUE(serving(server().port()));
}

TEST_F(hostile_input, a_two_megabyte_body_is_413) {
  auto c = client();
  const std::string huge =
      R"({"name":")" + std::string(2 * 1024 * 1024, 'a') + R"(","email":"a@b.co","password":"x"})";
  const auto response = c.post_json_text("/auth/register", huge);
  EXPECT_TRUE(has_detail(response, 413, "Request Entity Too Large"));
  EXPECT_TRUE(response.header("X-Request-Id"));
  EXPECT_TRUE(serving(server().port()));
  EXPECT_EQ(register_user(c, alice()).status, 201u) << "nothing of it was stored";
}

TEST_F(hostile_input, a_two_megabyte_chunked_body_is_413) {
  raw_connection connection(server().port());
  std::string request =
      "POST /auth/register HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
      "Transfer-Encoding: chunked\r\n\r\n";
  const std::string chunk(64 * 1024, 'a');
  for (int i = 0; i < 32; ++i) request += "10000\r\n" + chunk + "\r\n";
  request += "0\r\n\r\n";
  const auto response = connection.send_and_read(request);
  ASSERT_TRUE(response) << "closed without an answer";
  EXPECT_TRUE(has_detail(*response, 413, "Request Entity Too Large"));
  EXPECT_TRUE(serving(server().port()));
}

TEST_F(hostile_input, an_absurd_content_length_is_refused) {
  raw_connection connection(server().port());
  const auto response = connection.send_and_read(
      "POST /auth/register HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
      "Content-Length: 99999999999999999999999\r\n\r\n{}");
  ASSERT_TRUE(response) << "closed without an answer";
  EXPECT_TRUE(response->status == 400 || response->status == 413) << ::testing::PrintToString(*response);
  EXPECT_TRUE(serving(server().port()));
}

TEST_F(hostile_input, thousand_deep_nesting_is_422) {
  auto c = client();
  const auto whole = c.post_json_text("/auth/register", nested_arrays(1000));
  EXPECT_EQ(whole.status, 422u) << ::testing::PrintToString(whole);
  EXPECT_TRUE(whole.json().at("detail").is_array());

  const auto in_a_field = c.post_json_text(
      "/auth/login", R"({"email":)" + nested_arrays(1000) + R"(,"password":"whatever long"})");
  EXPECT_EQ(in_a_field.status, 422u) << ::testing::PrintToString(in_a_field);
  EXPECT_TRUE(in_a_field.json().at("detail").is_array());

  std::string objects;
  for (int i = 0; i < 1000; ++i) objects += R"({"a":)";
  objects += "1" + std::string(1000, '}');
  EXPECT_EQ(c.post_json_text("/auth/register", objects).status, 422u);
  EXPECT_TRUE(serving(server().port()));
}

TEST_F(hostile_input, invalid_utf8_in_a_string_is_422) {
  auto c = client();
  for (const char* bad : {"\xff\xfe", "\xc3\x28", "\xed\xa0\x80", "\xf8\x88\x80\x80\x80", "a\x80"}) {
    const std::string body = std::string(R"({"name":")") + bad +
                             R"(","email":"utf8@example.com","password":")" + alice().password + R"("})";
    const auto response = c.post_json_text("/auth/register", body);
    EXPECT_EQ(response.status, 422u) << ::testing::PrintToString(response);
  }
  const std::string in_password =
      std::string(R"({"email":"utf8@example.com","password":"long enough )") + "\xff" + R"("})";
  EXPECT_EQ(c.post_json_text("/auth/login", in_password).status, 422u);
  EXPECT_TRUE(serving(server().port()));
}

TEST_F(hostile_input, an_escaped_nul_in_the_name_is_422) {
  auto c = client();
  const std::string body =
      R"({"name":"a\u0000b","email":"nul@example.com","password":")" + alice().password + R"("})";
  const auto response = c.post_json_text("/auth/register", body);
  ASSERT_EQ(response.status, 422u) << ::testing::PrintToString(response);
  EXPECT_EQ(response.json().at("detail").at(0).at("type"), "value_error");
  EXPECT_TRUE(serving(server().port()));
}

TEST_F(hostile_input, a_raw_nul_byte_in_the_body_is_422) {
  auto c = client();
  const std::string body = std::string(R"({"name":"a)") + '\0' +
                           R"(b","email":"nul@example.com","password":")" + alice().password + R"("})";
  EXPECT_EQ(c.post_json_text("/auth/register", body).status, 422u);
  const std::string after = R"({"name":"a","email":"nul@example.com","password":")" + alice().password +
                            R"("})" + std::string(1, '\0');
  EXPECT_EQ(c.post_json_text("/auth/register", after).status, 422u);
  EXPECT_TRUE(serving(server().port()));
}

TEST_F(hostile_input, a_nul_byte_in_the_email_is_refused) {
  auto c = client();
  auto body = register_body(alice());
  body["email"] = std::string("alice@example.com\0.evil.com", 27);
  EXPECT_EQ(c.post_json("/auth/register", body).status, 422u);
  EXPECT_TRUE(serving(server().port()));
}

TEST_F(hostile_input, a_lone_surrogate_never_causes_a_500) {
  auto c = client();
  const std::string body =
      R"({"name":"\ud800","email":"surrogate@example.com","password":")" + alice().password + R"("})";
  const auto response = c.post_json_text("/auth/register", body);
  EXPECT_LT(response.status, 500u) << ::testing::PrintToString(response);
  EXPECT_TRUE(serving(server().port()));
}

TEST_F(hostile_input, sql_looking_strings_are_just_data) {
  auto c = client();
  user sql{"'; DROP TABLE users; --", "o'brien@example.com", "' OR '1'='1'; --"};
  const auto created = register_user(c, sql);
  ASSERT_EQ(created.status, 201u) << ::testing::PrintToString(created);
  const auto me = c.get("/auth/me");
  ASSERT_EQ(me.status, 200u);
  EXPECT_EQ(me.json().at("name"), boost::json::string(sql.name));
  EXPECT_EQ(me.json().at("email"), boost::json::string(sql.email));

  http_client other(server().port());
  const auto injected = other.post_json("/auth/login", login_body("x' OR '1'='1", "' OR '1'='1"));
  EXPECT_TRUE(injected.status == 401 || injected.status == 422) << ::testing::PrintToString(injected);
  EXPECT_FALSE(other.cookies().token());
  EXPECT_TRUE(has_detail(other.post_json("/auth/login", login_body(sql.email, "' OR '1'='1")), 401,
                         "Invalid credentials"));
  // The table is still there and whole: the user logs in, and another can register.
  EXPECT_EQ(login(other, sql).status, 200u);
  EXPECT_EQ(register_user(other, bob()).status, 201u);
  EXPECT_TRUE(serving(server().port()));
}

TEST_F(hostile_input, a_very_long_email_is_422) {
  auto c = client();
  auto body = register_body(alice());
  body["email"] = std::string(300, 'a') + "@example.com";
  const auto response = c.post_json("/auth/register", body);
  EXPECT_EQ(response.status, 422u);
  EXPECT_EQ(response.json().at("detail").at(0).at("loc"), json(R"(["body","email"])"));
  EXPECT_TRUE(serving(server().port()));
}

}  // namespace
}  // namespace authd::itest
