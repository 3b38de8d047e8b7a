// nginx in front of authd instances, configured by docs/nginx/authd.conf itself (the documented
// configuration is the tested one), on free ports of 127.0.0.1, in a temporary directory of its own.
#pragma once

#include <sys/types.h>

#include <cstdint>
#include <filesystem>
#include <string>
#include <string_view>

namespace authd::itest {

// The site configuration as the test runs it: the two upstream servers at `first` and `second`,
// the HTTPS server on plain HTTP at `port`, the redirecting one at `redirect_port`, logs in
// `log_dir`, IPv6 listeners and ssl_* lines left out. Throws std::runtime_error naming the line
// it expected when `conf` no longer has it.
std::string render_site_for_test(std::string_view conf, std::uint16_t port, std::uint16_t redirect_port,
                                 std::uint16_t first, std::uint16_t second, const std::string& log_dir);

class nginx_proxy {
 public:
  // Starts nginx balancing the authd instances listening on 127.0.0.1:`first` and :`second`, and
  // returns once it accepts connections; throws std::runtime_error (with nginx's error log) when
  // nginx is missing or does not start.
  nginx_proxy(std::uint16_t first, std::uint16_t second);
  // Stops nginx and removes the directory (the logs are printed first when the test failed).
  ~nginx_proxy();
  nginx_proxy(const nginx_proxy&) = delete;
  nginx_proxy& operator=(const nginx_proxy&) = delete;

  // The HTTPS server block of the documented configuration, speaking plain HTTP.
  std::uint16_t port() const { return port_; }
  // The port-80 server block, which redirects to HTTPS.
  std::uint16_t redirect_port() const { return redirect_port_; }

  std::string access_log() const;
  std::string error_log() const;

 private:
  bool start(std::uint16_t first, std::uint16_t second);  // false: a port was taken meanwhile
  void stop();

  std::filesystem::path dir_;
  pid_t pid_ = -1;
  std::uint16_t port_ = 0;
  std::uint16_t redirect_port_ = 0;
};

}  // namespace authd::itest
