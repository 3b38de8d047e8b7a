// Address ranges and the client address behind trusted proxies: CIDR matching on IPv4 and IPv6,
// X-Forwarded-For ignored from untrusted peers, chains walked from the right.
#include "http/trusted_proxies.hpp"

#include <gtest/gtest.h>

namespace authd::http {
namespace {

namespace ip = boost::asio::ip;

bool in(std::string_view range, std::string_view address) {
  auto parsed = address_range::parse(range);
  EXPECT_TRUE(parsed) << range;
  return parsed && parsed->contains(ip::make_address(std::string(address)));
}

trusted_proxies trusting(std::vector<std::string> entries) {
  auto parsed = trusted_proxies::parse(entries);
  EXPECT_TRUE(parsed);
  return parsed ? *parsed : trusted_proxies{};
}

TEST(address_range, matches_ipv4_cidr_blocks) {
  EXPECT_TRUE(in("10.0.0.0/8", "10.255.1.2"));
  EXPECT_FALSE(in("10.0.0.0/8", "11.0.0.1"));
  EXPECT_TRUE(in("192.168.1.0/24", "192.168.1.77"));
  EXPECT_FALSE(in("192.168.1.0/24", "192.168.2.1"));
  EXPECT_TRUE(in("172.16.0.0/12", "172.31.255.255"));
  EXPECT_FALSE(in("172.16.0.0/12", "172.32.0.0"));
  EXPECT_TRUE(in("0.0.0.0/0", "203.0.113.9"));
  EXPECT_TRUE(in("10.1.2.3/8", "10.9.9.9")) << "host bits below the prefix are ignored";
}

TEST(address_range, a_plain_address_matches_only_itself) {
  EXPECT_TRUE(in("127.0.0.1", "127.0.0.1"));
  EXPECT_FALSE(in("127.0.0.1", "127.0.0.2"));
  EXPECT_TRUE(in("::1", "::1"));
  EXPECT_FALSE(in("::1", "::2"));
}

TEST(address_range, matches_ipv6_cidr_blocks) {
  EXPECT_TRUE(in("2001:db8::/32", "2001:db8:ffff::1"));
  EXPECT_FALSE(in("2001:db8::/32", "2001:db9::1"));
  EXPECT_TRUE(in("fd00::/7", "fdff::1"));
  EXPECT_FALSE(in("fd00::/7", "fe00::1"));
  EXPECT_TRUE(in("2001:db8::/127", "2001:db8::1"));
  EXPECT_FALSE(in("2001:db8::/127", "2001:db8::2"));
  EXPECT_TRUE(in("::/0", "2001:db8::1"));
}

TEST(address_range, families_do_not_mix_except_ipv4_mapped) {
  EXPECT_FALSE(in("::/0", "10.0.0.1"));
  EXPECT_FALSE(in("0.0.0.0/0", "2001:db8::1"));
  EXPECT_TRUE(in("10.0.0.0/8", "::ffff:10.1.1.1")) << "a dual-stack socket reports IPv4 peers mapped";
  EXPECT_TRUE(in("::ffff:10.0.0.1", "10.0.0.1"));
}

TEST(address_range, refuses_what_is_not_an_address_or_block) {
  for (const char* bad : {"", "10.0.0.0/33", "::/129", "10.0.0.0/", "10.0.0.0/-1", "10.0.0.0/8x", "localhost",
                          "10.0.0", "*", "fe80::1%eth0", "10.0.0.0/8/8", "2001:db8::/0032"})
    EXPECT_FALSE(address_range::parse(bad)) << bad;
}

TEST(trusted_proxies, parse_refuses_a_list_with_one_bad_entry) {
  EXPECT_TRUE(trusted_proxies::parse({"10.0.0.0/8", "::1"}));
  EXPECT_FALSE(trusted_proxies::parse({"10.0.0.0/8", "proxy.internal"}));
}

TEST(trusted_proxies, trusting_none_the_client_is_the_peer_whatever_it_claims) {
  const trusted_proxies none;
  EXPECT_EQ(none.client_address("203.0.113.9", "198.51.100.1"), "203.0.113.9");
}

TEST(trusted_proxies, forwarded_for_from_an_untrusted_peer_is_ignored) {
  const auto proxies = trusting({"10.0.0.0/8"});
  EXPECT_EQ(proxies.client_address("203.0.113.9", "198.51.100.1"), "203.0.113.9");
  EXPECT_EQ(proxies.client_address("203.0.113.9", "10.0.0.1"), "203.0.113.9");
}

TEST(trusted_proxies, from_a_trusted_proxy_the_last_entry_is_the_client) {
  const auto proxies = trusting({"10.0.0.0/8"});
  EXPECT_EQ(proxies.client_address("10.0.0.5", "198.51.100.1"), "198.51.100.1");
  EXPECT_EQ(proxies.client_address("10.0.0.5", "  198.51.100.1 "), "198.51.100.1");
  EXPECT_EQ(proxies.client_address("10.0.0.5", ""), "10.0.0.5") << "no header: the proxy itself";
}

TEST(trusted_proxies, a_spoofed_left_part_of_the_chain_is_not_believed) {
  // The client sent "X-Forwarded-For: 1.2.3.4"; the proxy appended the address it saw.
  const auto proxies = trusting({"10.0.0.0/8"});
  EXPECT_EQ(proxies.client_address("10.0.0.5", "1.2.3.4, 198.51.100.1"), "198.51.100.1");
}

TEST(trusted_proxies, a_chain_of_trusted_proxies_is_walked_from_the_right) {
  const auto proxies = trusting({"10.0.0.0/8", "2001:db8::/32"});
  EXPECT_EQ(proxies.client_address("10.0.0.5", "1.2.3.4, 198.51.100.1, 10.0.0.9, 2001:db8::7"),
            "198.51.100.1");
  EXPECT_EQ(proxies.client_address("2001:db8::1", "2001:db8:1::1, 198.51.100.1"), "198.51.100.1");
  EXPECT_EQ(proxies.client_address("10.0.0.5", "2001:db9::1, 10.0.0.9"), "2001:db9::1");
}

TEST(trusted_proxies, when_every_hop_is_trusted_the_left_most_is_the_client) {
  const auto proxies = trusting({"10.0.0.0/8"});
  EXPECT_EQ(proxies.client_address("10.0.0.5", "10.1.1.1, 10.0.0.9"), "10.1.1.1");
}

TEST(trusted_proxies, a_malformed_entry_stops_at_the_last_good_address) {
  const auto proxies = trusting({"10.0.0.0/8"});
  EXPECT_EQ(proxies.client_address("10.0.0.5", "198.51.100.1, unknown"), "10.0.0.5");
  EXPECT_EQ(proxies.client_address("10.0.0.5", "198.51.100.1, garbage, 10.0.0.9"), "10.0.0.9");
}

TEST(trusted_proxies, empty_elements_are_skipped_and_brackets_accepted) {
  const auto proxies = trusting({"10.0.0.0/8"});
  EXPECT_EQ(proxies.client_address("10.0.0.5", "198.51.100.1,,"), "198.51.100.1");
  EXPECT_EQ(proxies.client_address("10.0.0.5", "[2001:db8::5]"), "2001:db8::5");
  EXPECT_EQ(proxies.client_address("10.0.0.5", "::ffff:198.51.100.1"), "198.51.100.1");
}

TEST(trusted_proxies, a_port_after_the_address_is_dropped) {
  const auto proxies = trusting({"10.0.0.0/8"});
  EXPECT_EQ(proxies.client_address("10.0.0.5", "198.51.100.1:5678"), "198.51.100.1");
  EXPECT_EQ(proxies.client_address("10.0.0.5", "[2001:db8::5]:443"), "2001:db8::5");
  EXPECT_EQ(proxies.client_address("10.0.0.5", "198.51.100.1:5678, 10.0.0.7:80"), "198.51.100.1");
  // Not a port: the walk stops at the last good address, as for any malformed entry.
  EXPECT_EQ(proxies.client_address("10.0.0.5", "198.51.100.1:http"), "10.0.0.5");
  EXPECT_EQ(proxies.client_address("10.0.0.5", "198.51.100.1:1234567"), "10.0.0.5");
  EXPECT_EQ(proxies.client_address("10.0.0.5", "[2001:db8::5]x"), "10.0.0.5");
  EXPECT_EQ(proxies.client_address("10.0.0.5", "2001:db8::5:443"), "2001:db8::5:443")
      << "IPv6 needs brackets";
}

TEST(trusted_proxies, every_forwarded_for_field_counts_in_order) {
  request req{bhttp::verb::get, "/", 11};
  req.insert("X-Forwarded-For", "1.2.3.4");
  req.insert("X-Forwarded-For", "198.51.100.1, 10.0.0.9");
  EXPECT_EQ(forwarded_for(req), "1.2.3.4,198.51.100.1, 10.0.0.9");
  const auto proxies = trusting({"10.0.0.0/8"});
  EXPECT_EQ(proxies.client_address("10.0.0.5", forwarded_for(req)), "198.51.100.1");
}

}  // namespace
}  // namespace authd::http
