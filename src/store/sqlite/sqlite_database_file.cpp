#include "store/sqlite/sqlite_database_file.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <system_error>
#include <vector>

namespace authd::store::sqlite {

namespace {

std::string errno_text() {
  return std::error_code(errno, std::generic_category()).message();
}

// Opening ourselves with the mode (rather than chmod after SQLite created it 0644) leaves no
// moment in which the file is readable by others.
boost::system::result<void, std::string> make_owner_only(const std::filesystem::path& file, bool create) {
  const int flags = O_RDWR | O_CLOEXEC | (create ? O_CREAT : 0);
  const int fd = ::open(file.c_str(), flags, 0600);
  if (fd < 0) {
    if (!create && errno == ENOENT) return {};
    return "cannot open " + file.string() + ": " + errno_text();
  }
  const int rc = ::fchmod(fd, 0600);
  const int chmod_errno = errno;
  ::close(fd);
  if (rc != 0) {
    return "cannot make " + file.string() +
           " private (mode 0600): " + std::error_code(chmod_errno, std::generic_category()).message();
  }
  return {};
}

}  // namespace

boost::system::result<void, std::string> prepare_database_file(const std::filesystem::path& file) {
  std::vector<std::filesystem::path> missing;
  std::error_code ec;
  for (auto dir = file.parent_path(); !dir.empty() && !std::filesystem::exists(dir, ec);
       dir = dir.parent_path()) {
    if (ec) break;
    missing.push_back(dir);
    if (dir == dir.parent_path()) break;
  }
  for (auto it = missing.rbegin(); it != missing.rend(); ++it) {
    if (::mkdir(it->c_str(), 0700) != 0 && errno != EEXIST) {
      return "cannot create directory " + it->string() + ": " + errno_text();
    }
  }
  if (auto made = make_owner_only(file, true); !made) return made;
  for (const char* suffix : {"-wal", "-shm"}) {
    auto companion = file;
    companion += suffix;
    if (auto made = make_owner_only(companion, false); !made) return made;
  }
  return {};
}

}  // namespace authd::store::sqlite
