// authd: an authentication service. See README.md.
#include "app/cli.hpp"

int main(int argc, char** argv) {
  return authd::app::run_cli(argc, argv);
}
