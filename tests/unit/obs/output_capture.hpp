// Test helpers: an unlinked temporary file to log into, and stderr redirected to one (for
// setup_logging, which writes to stderr), restoring stderr and spdlog's logger after.
#pragma once

#include <gtest/gtest.h>
#include <spdlog/spdlog.h>
#include <unistd.h>

#include <cstdlib>
#include <memory>
#include <string>

namespace authd::obs {

class temp_file {
 public:
  temp_file() {
    std::string name = ::testing::TempDir() + "authd-log-XXXXXX";
    fd_ = ::mkstemp(name.data());
    if (fd_ < 0) std::abort();
    ::unlink(name.c_str());
  }
  ~temp_file() { ::close(fd_); }
  temp_file(const temp_file&) = delete;
  temp_file& operator=(const temp_file&) = delete;
  int fd() const { return fd_; }
  std::string contents() const {
    std::string out;
    char buf[65536];
    for (off_t offset = 0;;) {
      const ssize_t n = ::pread(fd_, buf, sizeof buf, offset);
      if (n <= 0) break;
      out.append(buf, static_cast<std::size_t>(n));
      offset += n;
    }
    return out;
  }

 private:
  int fd_ = -1;
};

class stderr_capture {
 public:
  stderr_capture() : saved_(::dup(2)), previous_logger_(spdlog::default_logger()) { ::dup2(file_.fd(), 2); }
  ~stderr_capture() {
    ::dup2(saved_, 2);
    ::close(saved_);
    spdlog::set_default_logger(previous_logger_);
  }
  stderr_capture(const stderr_capture&) = delete;
  stderr_capture& operator=(const stderr_capture&) = delete;
  std::string contents() const { return file_.contents(); }

 private:
  temp_file file_;
  int saved_;
  std::shared_ptr<spdlog::logger> previous_logger_;
};

}  // namespace authd::obs
