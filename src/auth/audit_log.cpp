#include "auth/audit_log.hpp"

#include <boost/json/object.hpp>
#include <boost/json/serialize.hpp>

#include "obs/logging.hpp"

namespace authd::auth {

std::string_view to_string(audit_event event) {
  switch (event) {
    case audit_event::registered:
      return "registered";
    case audit_event::register_refused:
      return "register_refused";
    case audit_event::login_succeeded:
      return "login_succeeded";
    case audit_event::login_failed:
      return "login_failed";
    case audit_event::logged_out:
      return "logged_out";
    case audit_event::throttled:
      return "throttled";
    case audit_event::password_changed:
      return "password_changed";
    case audit_event::session_ended:
      return "session_ended";
  }
  return "unknown";
}

std::string audit_json(audit_event event, std::string_view user_id, const client_info& client,
                       std::string_view detail) {
  boost::json::object o;
  o["event"] = to_string(event);
  o["user_id"] = user_id;
  o["address"] = client.address;
  o["user_agent"] = client.user_agent;
  o["request_id"] = client.request_id;
  if (!detail.empty()) o["detail"] = detail;
  return boost::json::serialize(o);
}

void audit(audit_event event, std::string_view user_id, const client_info& client, std::string_view detail) {
  // JSON logs get the fields as keys of the line; text keeps `audit {json}`, which grep and jq read.
  const std::string text = "audit " + audit_json(event, user_id, client, detail);
  obs::log_event(obs::log_level::info, "audit",
                 {{"event", to_string(event)},
                  {"user_id", user_id},
                  {"address", std::string_view(client.address)},
                  {"user_agent", std::string_view(client.user_agent)},
                  {"request_id", std::string_view(client.request_id)},
                  {"detail", detail}},
                 text);
}

}  // namespace authd::auth
