// AUTHD_METRICS_ADDR: the API's listener by default, "off", or host:port for a listener of its own.
#include <gtest/gtest.h>

#include "config/settings.hpp"
#include "fake_env.hpp"

namespace authd::config {
namespace {

using testing::load_error;
using testing::load_ok;
using place = settings::metrics_place;

TEST(metrics_address, defaults_to_the_api_listener) {
  EXPECT_EQ(load_ok({}).metrics, place::api_listener);
  EXPECT_EQ(load_ok({{"AUTHD_METRICS_ADDR", ""}}).metrics, place::api_listener);
  EXPECT_NE(("\n" + describe(load_ok({}))).find("\nAUTHD_METRICS_ADDR=\n"), std::string::npos);
}

TEST(metrics_address, off_turns_it_off) {
  EXPECT_EQ(load_ok({{"AUTHD_METRICS_ADDR", "off"}}).metrics, place::off);
  EXPECT_EQ(load_ok({{"AUTHD_METRICS_ADDR", "OFF"}}).metrics, place::off);
  EXPECT_NE(describe(load_ok({{"AUTHD_METRICS_ADDR", "off"}})).find("AUTHD_METRICS_ADDR=off\n"),
            std::string::npos);
}

TEST(metrics_address, host_and_port_give_a_listener_of_its_own) {
  const auto v4 = load_ok({{"AUTHD_METRICS_ADDR", "127.0.0.1:9100"}});
  EXPECT_EQ(v4.metrics, place::own_listener);
  EXPECT_EQ(v4.metrics_host, "127.0.0.1");
  EXPECT_EQ(v4.metrics_port, 9100);
  const auto v6 = load_ok({{"AUTHD_METRICS_ADDR", "[::1]:0"}});
  EXPECT_EQ(v6.metrics, place::own_listener);
  EXPECT_EQ(v6.metrics_host, "::1");
  EXPECT_EQ(v6.metrics_port, 0);
  EXPECT_NE(describe(v6).find("AUTHD_METRICS_ADDR=[::1]:0\n"), std::string::npos);
  EXPECT_NE(describe(v4).find("AUTHD_METRICS_ADDR=127.0.0.1:9100\n"), std::string::npos);
}

TEST(metrics_address, anything_else_is_refused_with_the_variable_named) {
  for (const char* bad : {"9100", "localhost:9100", "127.0.0.1", "127.0.0.1:", "127.0.0.1:65536",
                          "127.0.0.1:x", ":9100", "::1:9100x", "on", "127.0.0.1:-1"}) {
    const auto error = load_error({{"AUTHD_METRICS_ADDR", bad}});
    EXPECT_EQ(error.rfind("AUTHD_METRICS_ADDR: expected off, or host:port", 0), 0u) << bad << ": " << error;
  }
}

}  // namespace
}  // namespace authd::config
