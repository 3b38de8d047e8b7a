// Small POSIX file helpers shared by the .env reader and the JWT secret file.
#pragma once

#include <unistd.h>

#include <string>
#include <system_error>

namespace authd::config {

inline std::string errno_text(int error) {
  return std::generic_category().message(error);
}

// Closes the descriptor on every path out.
struct fd_closer {
  int fd;
  ~fd_closer() {
    if (fd >= 0) ::close(fd);
  }
};

}  // namespace authd::config
