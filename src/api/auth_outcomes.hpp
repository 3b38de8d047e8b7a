// Logins and registrations counted by outcome, for /metrics: what an operator watches for
// credential stuffing (bad credentials, throttled) and for a struggling service (error).
#pragma once

#include <array>
#include <cstddef>
#include <optional>

#include "auth/auth_service.hpp"
#include "obs/metrics.hpp"

namespace authd::api {

enum class auth_outcome {
  success,
  bad_credentials,  // login: unknown email or wrong password
  email_taken,      // registration: the email is already registered
  throttled,        // refused before any password was checked
  invalid_input,    // the body failed validation (422) or was not JSON (415)
  error,            // busy, the database unavailable, or an internal error
};

// The outcome a failed login or registration counts as.
auth_outcome outcome_of(auth::auth_error e);

class auth_outcomes {
 public:
  void login(auth_outcome o) noexcept { logins_[static_cast<std::size_t>(o)].inc(); }
  void registration(auth_outcome o) noexcept { registrations_[static_cast<std::size_t>(o)].inc(); }

  // Adds authd_logins_total and authd_registrations_total; this object must outlive `r`'s scrapes.
  void register_with(obs::registry& r) const;

 private:
  static constexpr std::size_t outcome_count = 6;
  std::array<obs::counter, outcome_count> logins_;
  std::array<obs::counter, outcome_count> registrations_;
};

}  // namespace authd::api
