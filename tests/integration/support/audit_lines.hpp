// The audit trail as the tests read it: every `audit {json}` line of a server's log, parsed.
#pragma once

#include <boost/json/object.hpp>
#include <string_view>
#include <vector>

namespace authd::itest {

// The JSON object of each audit line in `log`, in order (lines that do not parse are a test failure).
std::vector<boost::json::object> audit_lines(std::string_view log);

// The audit lines whose "event" is `event`.
std::vector<boost::json::object> audit_lines(std::string_view log, std::string_view event);

}  // namespace authd::itest
