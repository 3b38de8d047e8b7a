// `authd hash-bench`: how fast this machine hashes with the configured Argon2 parameters, so a
// benchmark can put its login throughput next to the limit the hashing pool allows.
#pragma once

#include "config/settings.hpp"

namespace authd::app {

// Hashes for about `seconds` on one thread, then as long on the hashing pool's threads at once;
// prints one JSON line with the time per hash, the limit it implies for logins per second and the
// parallel rate measured. Returns the process exit code.
int hash_bench(const config::settings& settings, double seconds);

}  // namespace authd::app
