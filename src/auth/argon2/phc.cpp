#include "auth/argon2/phc.hpp"

#include <sodium.h>

#include <limits>

namespace authd::auth::argon2 {

namespace {

constexpr int base64_variant = sodium_base64_VARIANT_ORIGINAL_NO_PADDING;

std::string_view name_of(variant type) {
  switch (type) {
    case variant::d:
      return "argon2d";
    case variant::i:
      return "argon2i";
    case variant::id:
      return "argon2id";
  }
  return "";
}

bool consume(std::string_view& text, std::string_view literal) {
  if (!text.starts_with(literal)) return false;
  text.remove_prefix(literal.size());
  return true;
}

// A decimal number below 2^32 without leading zeros (libsodium refuses them too).
std::optional<std::uint32_t> consume_decimal(std::string_view& text) {
  std::size_t digits = 0;
  while (digits < text.size() && text[digits] >= '0' && text[digits] <= '9') ++digits;
  if (digits == 0 || (digits > 1 && text[0] == '0')) return std::nullopt;
  std::uint64_t value = 0;
  for (std::size_t i = 0; i < digits; ++i) {
    value = value * 10 + static_cast<std::uint64_t>(text[i] - '0');
    if (value > std::numeric_limits<std::uint32_t>::max()) return std::nullopt;
  }
  text.remove_prefix(digits);
  return static_cast<std::uint32_t>(value);
}

// Base64 up to the next '$' (or the end); libsodium refuses non-alphabet characters and
// non-zero padding bits.
std::optional<std::vector<std::uint8_t>> consume_base64(std::string_view& text) {
  const std::string_view field = text.substr(0, text.find('$'));
  std::vector<std::uint8_t> bytes(field.size() * 3 / 4 + 1);
  std::size_t length = 0;
  if (sodium_base642bin(bytes.data(), bytes.size(), field.data(), field.size(), nullptr, &length, nullptr,
                        base64_variant) != 0) {
    return std::nullopt;
  }
  bytes.resize(length);
  text.remove_prefix(field.size());
  return bytes;
}

}  // namespace

std::optional<phc_hash> parse_phc(std::string_view text) {
  phc_hash out;
  if (consume(text, "$argon2id$")) {
    out.type = variant::id;
  } else if (consume(text, "$argon2i$")) {
    out.type = variant::i;
  } else if (consume(text, "$argon2d$")) {
    out.type = variant::d;
  } else {
    return std::nullopt;
  }

  if (!consume(text, "v=")) return std::nullopt;
  if (consume_decimal(text) != version) return std::nullopt;
  std::optional<std::uint32_t> m, t, p;
  if (!consume(text, "$m=") || !(m = consume_decimal(text)) ||  //
      !consume(text, ",t=") || !(t = consume_decimal(text)) ||  //
      !consume(text, ",p=") || !(p = consume_decimal(text)) || !consume(text, "$")) {
    return std::nullopt;
  }
  out.cost = {.memory_kib = *m, .passes = *t, .lanes = *p};

  auto salt = consume_base64(text);
  if (!salt || !consume(text, "$")) return std::nullopt;
  auto tag = consume_base64(text);
  if (!tag || !text.empty()) return std::nullopt;
  out.salt = std::move(*salt);
  out.tag = std::move(*tag);

  if (!valid(out.cost) || out.salt.size() < min_salt_bytes || out.tag.size() < min_tag_bytes)
    return std::nullopt;
  return out;
}

std::string format_phc(variant type, const cost& c, std::span<const std::uint8_t> salt,
                       std::span<const std::uint8_t> tag) {
  auto base64 = [](std::span<const std::uint8_t> bytes) {
    std::string text(sodium_base64_encoded_len(bytes.size(), base64_variant), '\0');
    sodium_bin2base64(text.data(), text.size(), bytes.data(), bytes.size(), base64_variant);
    text.resize(text.size() - 1);  // the terminating NUL
    return text;
  };
  std::string text = "$";
  text.append(name_of(type))
      .append("$v=")
      .append(std::to_string(version))
      .append("$m=")
      .append(std::to_string(c.memory_kib))
      .append(",t=")
      .append(std::to_string(c.passes))
      .append(",p=")
      .append(std::to_string(c.lanes))
      .append("$")
      .append(base64(salt))
      .append("$")
      .append(base64(tag));
  return text;
}

}  // namespace authd::auth::argon2
