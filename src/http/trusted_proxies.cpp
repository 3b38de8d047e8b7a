#include "http/trusted_proxies.hpp"

#include <algorithm>
#include <charconv>

namespace authd::http {

namespace ip = boost::asio::ip;

namespace {

std::string_view trimmed(std::string_view text) {
  while (!text.empty() && (text.front() == ' ' || text.front() == '\t')) text.remove_prefix(1);
  while (!text.empty() && (text.back() == ' ' || text.back() == '\t')) text.remove_suffix(1);
  return text;
}

// Only plain addresses: a zone id ("fe80::1%eth0") names a local interface, never a remote client.
std::optional<ip::address> parse_address(std::string_view text) {
  if (text.empty() || text.find('%') != std::string_view::npos) return std::nullopt;
  boost::system::error_code ec;
  auto address = ip::make_address(std::string(text), ec);
  if (ec) return std::nullopt;
  return unmapped(address);
}

// ":<1 to 5 digits>", the port some proxies append (IIS ARR, Azure Application Gateway).
bool is_port_suffix(std::string_view text) {
  if (text.size() < 2 || text.size() > 6 || text.front() != ':') return false;
  return std::all_of(text.begin() + 1, text.end(), [](char c) { return c >= '0' && c <= '9'; });
}

// An X-Forwarded-For entry: an address; an IPv6 address in brackets; either with a port
// ("198.51.100.1:5678", "[2001:db8::1]:443"), which is dropped.
std::optional<ip::address> parse_forwarded_entry(std::string_view text) {
  if (text.size() > 2 && text.front() == '[') {
    const auto close = text.find(']');
    if (close == std::string_view::npos) return std::nullopt;
    const auto after = text.substr(close + 1);
    if (!after.empty() && !is_port_suffix(after)) return std::nullopt;
    auto inner = parse_address(text.substr(1, close - 1));
    if (inner && inner->is_v6()) return inner;
    return std::nullopt;
  }
  // One colon: IPv4 with a port (an IPv6 address has several, and needs brackets for a port).
  if (const auto colon = text.find(':');
      colon != std::string_view::npos && text.find(':', colon + 1) == std::string_view::npos) {
    if (!is_port_suffix(text.substr(colon))) return std::nullopt;
    auto address = parse_address(text.substr(0, colon));
    if (address && address->is_v4()) return address;
    return std::nullopt;
  }
  return parse_address(text);
}

}  // namespace

ip::address unmapped(const ip::address& address) {
  if (address.is_v6() && address.to_v6().is_v4_mapped())
    return ip::make_address_v4(ip::v4_mapped, address.to_v6());
  return address;
}

std::optional<address_range> address_range::parse(std::string_view text) {
  text = trimmed(text);
  const auto slash = text.find('/');
  auto address = parse_address(text.substr(0, slash));
  if (!address) return std::nullopt;
  address_range range;
  range.v6_ = address->is_v6();
  const unsigned max_prefix = range.v6_ ? 128 : 32;
  range.prefix_ = max_prefix;
  if (slash != std::string_view::npos) {
    const std::string_view digits = text.substr(slash + 1);
    unsigned prefix = 0;
    auto [end, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), prefix);
    if (digits.empty() || digits.size() > 3 || ec != std::errc{} || end != digits.data() + digits.size() ||
        prefix > max_prefix)
      return std::nullopt;
    range.prefix_ = prefix;
  }
  if (range.v6_) {
    range.bytes_ = address->to_v6().to_bytes();
  } else {
    const auto v4 = address->to_v4().to_bytes();
    std::copy(v4.begin(), v4.end(), range.bytes_.begin());
  }
  return range;
}

bool address_range::contains(const ip::address& candidate) const {
  const auto address = unmapped(candidate);
  if (address.is_v6() != v6_) return false;
  std::array<unsigned char, 16> bytes{};
  if (v6_) {
    bytes = address.to_v6().to_bytes();
  } else {
    const auto v4 = address.to_v4().to_bytes();
    std::copy(v4.begin(), v4.end(), bytes.begin());
  }
  const unsigned whole = prefix_ / 8;
  for (unsigned i = 0; i < whole; ++i)
    if (bytes[i] != bytes_[i]) return false;
  const unsigned rest = prefix_ % 8;
  if (rest == 0) return true;
  const auto mask = static_cast<unsigned char>(0xff << (8 - rest));
  return (bytes[whole] & mask) == (bytes_[whole] & mask);
}

std::optional<trusted_proxies> trusted_proxies::parse(const std::vector<std::string>& entries) {
  trusted_proxies out;
  for (const auto& entry : entries) {
    auto range = address_range::parse(entry);
    if (!range) return std::nullopt;
    out.ranges_.push_back(*range);
  }
  return out;
}

bool trusted_proxies::trusts(const ip::address& address) const {
  for (const auto& range : ranges_)
    if (range.contains(address)) return true;
  return false;
}

std::string trusted_proxies::client_address(std::string_view peer, std::string_view forwarded) const {
  if (ranges_.empty() || forwarded.empty()) return std::string(peer);
  auto current = parse_address(peer);
  if (!current || !trusts(*current)) return std::string(peer);
  // Right to left over the comma-separated entries; empty list elements are skipped (RFC 9110 5.6.1).
  std::string_view rest = forwarded;
  while (!rest.empty()) {
    const auto comma = rest.rfind(',');
    const std::string_view entry = trimmed(comma == std::string_view::npos ? rest : rest.substr(comma + 1));
    rest = comma == std::string_view::npos ? std::string_view{} : rest.substr(0, comma);
    if (entry.empty()) continue;
    auto address = parse_forwarded_entry(entry);
    if (!address) break;
    current = address;
    if (!trusts(*current)) break;
  }
  return current->to_string();
}

std::string forwarded_for(const request& req) {
  std::string joined;
  auto [first, last] = req.equal_range("X-Forwarded-For");
  for (auto it = first; it != last; ++it) {
    if (!joined.empty()) joined += ',';
    joined.append(it->value().data(), it->value().size());
  }
  return joined;
}

}  // namespace authd::http
