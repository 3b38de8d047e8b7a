// A file compiled into the binary by cmake/embed.cmake (migrations, docs assets).
#pragma once

#include <span>
#include <string_view>

namespace authd {

struct embedded_file {
  std::string_view name;
  std::string_view contents;
};

}  // namespace authd
