// `authd hash-bench`: how fast this machine hashes with the configured Argon2 parameters, so a
// benchmark can put its login throughput next to the limit the hashing pool allows, and an
// operator can calibrate the parameters and compare authd's Argon2 with libsodium's and the
// reference library's.
#pragma once

#include "config/settings.hpp"

namespace authd::app {

// Hashes for about `seconds` on one thread with the configured implementation, then as long on
// the hashing pool's threads at once, then `seconds` with each other implementation this CPU runs
// (authd's other kernels, libsodium, libargon2), one thread each; prints one JSON line with the
// time per hash of each, the limit the configured one implies for logins per second, the
// parallel rate measured, and what the system granted the hashing memory. Returns the exit code.
int hash_bench(const config::settings& settings, double seconds);

}  // namespace authd::app
