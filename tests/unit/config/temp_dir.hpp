// A fresh directory under the system temp dir for one test, removed with everything in it.
#pragma once

#include <filesystem>
#include <random>
#include <string>

namespace authd::config::testing {

class temp_dir {
 public:
  temp_dir() {
    std::random_device random;
    path_ = std::filesystem::temp_directory_path() /
            ("authd-config-test-" + std::to_string(random()) + "-" + std::to_string(random()));
    std::filesystem::create_directory(path_);
  }
  ~temp_dir() {
    std::error_code ignored;
    std::filesystem::remove_all(path_, ignored);
  }
  temp_dir(const temp_dir&) = delete;
  temp_dir& operator=(const temp_dir&) = delete;

  const std::filesystem::path& path() const { return path_; }

 private:
  std::filesystem::path path_;
};

}  // namespace authd::config::testing
