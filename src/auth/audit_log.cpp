#include "auth/audit_log.hpp"

#include <spdlog/spdlog.h>

#include <boost/json/object.hpp>
#include <boost/json/serialize.hpp>

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
  spdlog::info("audit {}", audit_json(event, user_id, client, detail));
}

}  // namespace authd::auth
