// Trusted proxies: which peers may say who the client is (X-Forwarded-For), and the address that follows.
#pragma once

#include <array>
#include <boost/asio/ip/address.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "http/message.hpp"

namespace authd::http {

// One IP address, or a CIDR block ("10.0.0.0/8", "2001:db8::/32"). IPv4-mapped IPv6 addresses
// count as the IPv4 address they carry, so a dual-stack listener sees one kind of peer.
class address_range {
 public:
  // nullopt unless `text` is an IPv4 or IPv6 address, optionally followed by /prefix (0-32 or
  // 0-128). Host bits below the prefix are ignored ("10.1.2.3/8" is 10.0.0.0/8).
  static std::optional<address_range> parse(std::string_view text);

  bool contains(const boost::asio::ip::address& address) const;

 private:
  address_range() = default;
  bool v6_ = false;
  std::array<unsigned char, 16> bytes_{};
  unsigned prefix_ = 0;
};

// An address as the server reports it: IPv4-mapped IPv6 turned into IPv4.
boost::asio::ip::address unmapped(const boost::asio::ip::address& address);

class trusted_proxies {
 public:
  trusted_proxies() = default;  // trusts no one: the client address is always the peer

  // nullopt when an entry is not an address or CIDR block (see address_range::parse).
  static std::optional<trusted_proxies> parse(const std::vector<std::string>& entries);

  bool empty() const { return ranges_.empty(); }
  bool trusts(const boost::asio::ip::address& address) const;

  // The client address of a request from `peer` carrying `forwarded_for` (every X-Forwarded-For
  // value, joined with commas in order). From a peer that is not trusted the header is ignored:
  // anyone can write it. From a trusted proxy, the entries are walked from the right (the nearest
  // hop first) past the trusted proxies; the first untrusted one is the client. A malformed entry
  // stops the walk at the last good address, since nothing left of it can be vouched for.
  std::string client_address(std::string_view peer, std::string_view forwarded_for) const;

 private:
  std::vector<address_range> ranges_;
};

// Every X-Forwarded-For field of `req`, joined with ',' in their order (RFC 9110 5.3).
std::string forwarded_for(const request& req);

}  // namespace authd::http
