// Shared by the harness' process runners: private temporary directories and wait statuses.
#pragma once

#include <stdlib.h>
#include <sys/wait.h>

#include <cerrno>
#include <filesystem>
#include <string>
#include <system_error>

namespace authd::itest {

// A new private directory under the system's temporary directory, named `prefix`-XXXXXX.
inline std::filesystem::path make_temp_dir(const std::string& prefix) {
  std::string pattern = (std::filesystem::temp_directory_path() / (prefix + "-XXXXXX")).string();
  if (::mkdtemp(pattern.data()) == nullptr)
    throw std::system_error(errno, std::generic_category(), "mkdtemp");
  return pattern;
}

// The exit code, or 128 + the signal that ended the process, or -1.
inline int decode_status(int status) {
  if (WIFEXITED(status)) return WEXITSTATUS(status);
  if (WIFSIGNALED(status)) return 128 + WTERMSIG(status);
  return -1;
}

}  // namespace authd::itest
