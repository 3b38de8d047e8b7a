// The command line: authd serve | migrate up/down/status | config check | hash-bench | version.
#pragma once

namespace authd::app {

int run_cli(int argc, char** argv);

}  // namespace authd::app
