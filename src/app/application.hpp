// The composition root: settings -> store -> services -> routes -> server. Nothing else lives here.
#pragma once

#include "config/settings.hpp"

namespace authd::app {

// `authd serve`: runs until SIGINT/SIGTERM; returns the process exit code.
int serve(const config::settings& settings);

enum class migrate_command { up, down, status };

// `authd migrate up | down [steps] | status`: returns the process exit code.
int migrate(const config::settings& settings, migrate_command command, int steps);

}  // namespace authd::app
