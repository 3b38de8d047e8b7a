// The audit trail: one structured line per authentication event, with who and from where, never a
// password, a token or a hash (only ids and what the client sent about itself).
#pragma once

#include <string>
#include <string_view>

namespace authd::auth {

// Who is asking: kept on the session row and written to the audit trail.
struct client_info {
  std::string user_agent;
  std::string address;
  std::string request_id;
};

enum class audit_event {
  registered,        // an account was created (and its first session)
  register_refused,  // the email is taken
  login_succeeded,
  login_failed,      // unknown email or wrong password (indistinguishable, also here)
  logged_out,        // the current session ended by logout
  throttled,         // an attempt refused by throttling, before any password was checked
  password_changed,  // the password changed; the other sessions ended
  session_ended,     // a session ended by the user (from the sessions list or logout scope)
};

std::string_view to_string(audit_event event);

// Writes the event as "audit {json}" on the log at info level: event, user_id (empty when not
// known), address, user_agent, request_id, and `detail` (e.g. "scope=others", "account") when given.
void audit(audit_event event, std::string_view user_id, const client_info& client,
           std::string_view detail = {});

// The JSON object that audit() writes (for tests).
std::string audit_json(audit_event event, std::string_view user_id, const client_info& client,
                       std::string_view detail = {});

}  // namespace authd::auth
