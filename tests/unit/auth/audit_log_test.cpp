#include "auth/audit_log.hpp"

#include <gtest/gtest.h>

#include <boost/json/parse.hpp>

namespace authd::auth {
namespace {

TEST(audit_log, writes_every_field_as_one_json_object) {
  const client_info client{
      .user_agent = "curl/8 \"quoted\"\n", .address = "203.0.113.7", .request_id = "req-1"};
  const auto json =
      audit_json(audit_event::login_failed, "6f1c5f0e-0000-4000-8000-000000000001", client, "account");
  EXPECT_EQ(json.find('\n'), std::string::npos) << "one line, whatever the user agent holds";
  const auto o = boost::json::parse(json).as_object();
  EXPECT_EQ(o.at("event"), "login_failed");
  EXPECT_EQ(o.at("user_id"), "6f1c5f0e-0000-4000-8000-000000000001");
  EXPECT_EQ(o.at("address"), "203.0.113.7");
  EXPECT_EQ(o.at("user_agent"), "curl/8 \"quoted\"\n");
  EXPECT_EQ(o.at("request_id"), "req-1");
  EXPECT_EQ(o.at("detail"), "account");
}

TEST(audit_log, leaves_detail_out_when_there_is_none) {
  const auto o = boost::json::parse(audit_json(audit_event::registered, "u", {})).as_object();
  EXPECT_FALSE(o.contains("detail"));
  EXPECT_EQ(o.at("user_id"), "u");
}

TEST(audit_log, names_every_event) {
  for (auto e : {audit_event::registered, audit_event::register_refused, audit_event::login_succeeded,
                 audit_event::login_failed, audit_event::logged_out, audit_event::throttled,
                 audit_event::password_changed, audit_event::session_ended})
    EXPECT_NE(to_string(e), "unknown");
}

}  // namespace
}  // namespace authd::auth
