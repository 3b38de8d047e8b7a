#include "auth/argon2/argon2.hpp"

#include <sodium.h>

#include <algorithm>
#include <cstring>
#include <limits>
#include <stdexcept>

#include "auth/argon2/fill_layout.hpp"

namespace authd::auth::argon2 {

namespace {

constexpr std::size_t max_length =
    std::numeric_limits<std::uint32_t>::max();  // every length is hashed as LE32

void store_le32(std::uint8_t* out, std::uint32_t value) {
  for (int i = 0; i < 4; ++i) out[i] = static_cast<std::uint8_t>(value >> (8 * i));
}

void update(crypto_generichash_blake2b_state& state, std::span<const std::uint8_t> bytes) {
  crypto_generichash_blake2b_update(&state, bytes.data(), bytes.size());
}

void update_le32(crypto_generichash_blake2b_state& state, std::uint32_t value) {
  std::uint8_t bytes[4];
  store_le32(bytes, value);
  update(state, bytes);
}

// A length-prefixed field of H0's input.
void update_field(crypto_generichash_blake2b_state& state, std::span<const std::uint8_t> bytes) {
  update_le32(state, static_cast<std::uint32_t>(bytes.size()));
  update(state, bytes);
}

// H' (RFC 9106 section 3.3): BLAKE2b stretched to any output length.
void blake2b_long(std::span<std::uint8_t> out, std::span<const std::uint8_t> in) {
  crypto_generichash_blake2b_state state;
  if (out.size() <= crypto_generichash_blake2b_BYTES_MAX) {
    crypto_generichash_blake2b_init(&state, nullptr, 0, out.size());
    update_le32(state, static_cast<std::uint32_t>(out.size()));
    update(state, in);
    crypto_generichash_blake2b_final(&state, out.data(), out.size());
    sodium_memzero(&state, sizeof state);
    return;
  }
  // V1 = H^64(LE32(T) || in), V(i+1) = H^64(Vi); the output is the first half of each Vi, and
  // the last one whole, shortened so that the total is T.
  std::uint8_t v[crypto_generichash_blake2b_BYTES_MAX];
  std::uint8_t next[crypto_generichash_blake2b_BYTES_MAX];
  crypto_generichash_blake2b_init(&state, nullptr, 0, sizeof v);
  update_le32(state, static_cast<std::uint32_t>(out.size()));
  update(state, in);
  crypto_generichash_blake2b_final(&state, v, sizeof v);
  constexpr std::size_t half = sizeof v / 2;
  std::memcpy(out.data(), v, half);
  std::size_t written = half;
  while (out.size() - written > sizeof v) {
    crypto_generichash_blake2b(next, sizeof next, v, sizeof v, nullptr, 0);
    std::memcpy(v, next, sizeof v);
    std::memcpy(out.data() + written, v, half);
    written += half;
  }
  crypto_generichash_blake2b(out.data() + written, out.size() - written, v, sizeof v, nullptr, 0);
  sodium_memzero(v, sizeof v);
  sodium_memzero(next, sizeof next);
  sodium_memzero(&state, sizeof state);
}

// H0: BLAKE2b-512 over the parameters and the inputs, each input prefixed by its length.
void initial_hash(std::span<std::uint8_t, crypto_generichash_blake2b_BYTES_MAX> h0, variant v, const cost& c,
                  std::size_t tag_bytes, const inputs& in) {
  crypto_generichash_blake2b_state state;
  crypto_generichash_blake2b_init(&state, nullptr, 0, h0.size());
  update_le32(state, c.lanes);
  update_le32(state, static_cast<std::uint32_t>(tag_bytes));
  update_le32(state, c.memory_kib);
  update_le32(state, c.passes);
  update_le32(state, version);
  update_le32(state, static_cast<std::uint32_t>(v));
  update_field(state, in.password);
  update_field(state, in.salt);
  update_field(state, in.secret);
  update_field(state, in.associated_data);
  crypto_generichash_blake2b_final(&state, h0.data(), h0.size());
  sodium_memzero(&state, sizeof state);
}

void fill_memory(kernel k, const fill_layout& layout) {
  switch (k) {
    case kernel::portable:
      return fill_memory_portable(layout);
    case kernel::avx2:
      return fill_memory_avx2(layout);
    case kernel::avx512:
      return fill_memory_avx512(layout);
  }
}

// The compression function's working blocks (R and Z of the last block, password-derived) are
// left on the stack below the caller once fill_memory returns; overwriting that stack wipes them.
[[gnu::noinline]] void wipe_stack_below() {
  unsigned char scratch[32 * 1024];  // well beyond the kernels' deepest frames (a few KiB)
  sodium_memzero(scratch, sizeof scratch);
}

void check(const cost& c, const inputs& in, std::size_t tag_bytes, std::size_t memory_size) {
  if (!valid(c)) throw std::invalid_argument("argon2: invalid cost");
  if (in.salt.size() < min_salt_bytes) throw std::invalid_argument("argon2: salt too short");
  if (tag_bytes < min_tag_bytes || tag_bytes > max_length)
    throw std::invalid_argument("argon2: bad tag length");
  for (const auto field : {in.password, in.salt, in.secret, in.associated_data})
    if (field.size() > max_length) throw std::invalid_argument("argon2: input too long");
  if (memory_size < memory_blocks(c)) throw std::invalid_argument("argon2: memory too small");
}

}  // namespace

bool valid(const cost& c) {
  return c.lanes >= 1 && c.lanes <= max_lanes && c.passes >= 1 && c.memory_kib >= 8 * c.lanes;
}

std::size_t memory_blocks(const cost& c) {
  const std::size_t per_slice_round = std::size_t{sync_points} * c.lanes;
  return c.memory_kib / per_slice_round * per_slice_round;
}

void compute(kernel k, variant v, const cost& c, const inputs& in, std::span<std::uint8_t> tag,
             std::span<block> memory) {
  check(c, in, tag.size(), memory.size());
  if (!supported(k)) throw std::invalid_argument("argon2: kernel not supported by this CPU");

  const auto blocks = static_cast<std::uint32_t>(memory_blocks(c));
  const fill_layout layout{.memory = memory.data(),
                           .lanes = c.lanes,
                           .lane_length = blocks / c.lanes,
                           .segment_length = blocks / c.lanes / sync_points,
                           .passes = c.passes,
                           .type = v};

  // H0 followed by two LE32 counters: B[lane][0] = H'(H0 || 0 || lane), B[lane][1] = H'(H0 || 1 || lane).
  std::uint8_t seed[crypto_generichash_blake2b_BYTES_MAX + 8];
  initial_hash(std::span(seed).first<crypto_generichash_blake2b_BYTES_MAX>(), v, c, tag.size(), in);
  for (std::uint32_t lane = 0; lane < c.lanes; ++lane) {
    for (std::uint32_t first = 0; first < 2; ++first) {
      store_le32(seed + 64, first);
      store_le32(seed + 68, lane);
      block& b = memory[std::size_t{lane} * layout.lane_length + first];
      blake2b_long({reinterpret_cast<std::uint8_t*>(b.words), block_bytes}, seed);
    }
  }
  sodium_memzero(seed, sizeof seed);

  fill_memory(k, layout);
  wipe_stack_below();

  // The tag: H' of the XOR of every lane's last block.
  block last = memory[layout.lane_length - 1];
  for (std::uint32_t lane = 1; lane < c.lanes; ++lane) {
    const block& other = memory[std::size_t{lane} * layout.lane_length + layout.lane_length - 1];
    for (std::size_t w = 0; w < block_words; ++w) last.words[w] ^= other.words[w];
  }
  blake2b_long(tag, {reinterpret_cast<const std::uint8_t*>(last.words), block_bytes});
  sodium_memzero(&last, sizeof last);
}

}  // namespace authd::auth::argon2
