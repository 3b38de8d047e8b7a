#include "api/auth_outcomes.hpp"

#include <string_view>

namespace authd::api {

namespace {

std::string_view label(auth_outcome o) {
  switch (o) {
    case auth_outcome::success:
      return "success";
    case auth_outcome::bad_credentials:
      return "bad_credentials";
    case auth_outcome::email_taken:
      return "email_taken";
    case auth_outcome::throttled:
      return "throttled";
    case auth_outcome::invalid_input:
      return "invalid_input";
    case auth_outcome::error:
      return "error";
  }
  return "error";
}

}  // namespace

auth_outcome outcome_of(auth::auth_error e) {
  switch (e) {
    case auth::auth_error::invalid_credentials:
      return auth_outcome::bad_credentials;
    case auth::auth_error::user_exists:
      return auth_outcome::email_taken;
    case auth::auth_error::throttled:
      return auth_outcome::throttled;
    default:
      return auth_outcome::error;
  }
}

void auth_outcomes::register_with(obs::registry& r) const {
  // Every outcome that applies is written, zeros included, so that a rate() sees it from the start.
  auto family = [&r](std::string name, std::string help,
                     const std::array<obs::counter, outcome_count>& counts, auth_outcome skipped) {
    r.add(std::move(name), std::move(help), obs::metric_type::counter,
          [&counts, skipped](obs::sample_writer& w) {
            for (std::size_t i = 0; i < outcome_count; ++i) {
              const auto o = static_cast<auth_outcome>(i);
              if (o != skipped) w.value({{"outcome", label(o)}}, counts[i].value());
            }
          });
  };
  family("authd_logins_total", "Login attempts, by outcome.", logins_, auth_outcome::email_taken);
  family("authd_registrations_total", "Registration attempts, by outcome.", registrations_,
         auth_outcome::bad_credentials);
}

}  // namespace authd::api
