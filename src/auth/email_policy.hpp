// Email addresses as the python email-validator library checks and normalizes them (syntax only,
// no deliverability), which is what the original service's pydantic EmailStr did.
#pragma once

#include <boost/system/result.hpp>
#include <string>
#include <string_view>

namespace authd::auth {

struct normalized_email {
  std::string email;  // trimmed; local part NFC; domain lowercased / IDNA-normalized (shown to users)
  std::string key;    // the whole address case-folded: equal keys are one account
};

// On failure, the reason in email-validator's own words, e.g. "An email address must have an
// @-sign." (the API prefixes "value is not a valid email address: ").
boost::system::result<normalized_email, std::string> normalize_email(std::string_view input);

// The key of an address stored before authd checked it (a database taken over from the original
// service): normalize_email's key when the address is valid today, else the address case-folded.
std::string stored_email_key(std::string_view email);

}  // namespace authd::auth
