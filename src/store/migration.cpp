#include "store/migration.hpp"

#include <sodium.h>

#include <algorithm>
#include <array>
#include <cstdio>
#include <map>
#include <optional>
#include <stdexcept>

namespace authd::store {

namespace {

enum class direction { up, down };

struct parsed_name {
  int version = 0;
  std::string name;
  direction dir = direction::up;
};

bool is_name_char(char c) {
  return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_';
}

// NNNN_name.up.sql or NNNN_name.down.sql, name in [a-z0-9_]: strict, so that a stray file or a
// typo is an error at build-test time rather than a migration silently never applied.
std::optional<parsed_name> parse_file_name(std::string_view file) {
  parsed_name out;
  constexpr std::string_view up_suffix = ".up.sql";
  constexpr std::string_view down_suffix = ".down.sql";
  if (file.ends_with(up_suffix)) {
    file.remove_suffix(up_suffix.size());
  } else if (file.ends_with(down_suffix)) {
    file.remove_suffix(down_suffix.size());
    out.dir = direction::down;
  } else {
    return std::nullopt;
  }
  if (file.size() < 6 || file[4] != '_') return std::nullopt;
  for (char c : file.substr(0, 4)) {
    if (c < '0' || c > '9') return std::nullopt;
    out.version = out.version * 10 + (c - '0');
  }
  std::string_view name = file.substr(5);
  if (!std::all_of(name.begin(), name.end(), is_name_char)) return std::nullopt;
  out.name = std::string(file);
  return out;
}

std::string version_text(int version) {
  std::array<char, 16> buffer{};
  std::snprintf(buffer.data(), buffer.size(), "%04d", version);
  return buffer.data();
}

std::string up_file(const migration& m) {
  return m.name + ".up.sql";
}

const applied_migration* find_applied(const std::vector<applied_migration>& applied, int version) {
  auto it = std::find_if(applied.begin(), applied.end(),
                         [&](const applied_migration& a) { return a.version == version; });
  return it == applied.end() ? nullptr : &*it;
}

const migration* find_known(const std::vector<migration>& known, int version) {
  auto it =
      std::find_if(known.begin(), known.end(), [&](const migration& m) { return m.version == version; });
  return it == known.end() ? nullptr : &*it;
}

std::string unknown_version_error(const applied_migration& a) {
  return "the database has migration " + version_text(a.version) + " (" + a.name +
         ") that this authd does not know; it was migrated by a newer version";
}

std::string changed_error(const migration& m) {
  return "migration " + version_text(m.version) + " was applied from a different " + up_file(m) +
         " than the one in this authd (checksum mismatch); applied migrations must never change";
}

}  // namespace

std::string sha256_hex(std::string_view data) {
  // sodium_init is idempotent and thread-safe; failing means no usable libsodium at all.
  static const int sodium_ready = sodium_init();
  if (sodium_ready < 0) throw std::runtime_error("libsodium failed to initialize");
  std::array<unsigned char, crypto_hash_sha256_BYTES> digest{};
  crypto_hash_sha256(digest.data(), reinterpret_cast<const unsigned char*>(data.data()), data.size());
  std::array<char, crypto_hash_sha256_BYTES * 2 + 1> hex{};
  sodium_bin2hex(hex.data(), hex.size(), digest.data(), digest.size());
  return std::string(hex.data(), crypto_hash_sha256_BYTES * 2);
}

migration_result<std::vector<migration>> load_migrations(std::span<const embedded_file> files) {
  struct pair {
    std::optional<std::string_view> up, down;
    std::string up_name, down_name;
  };
  std::map<int, pair> by_version;
  for (const embedded_file& file : files) {
    auto parsed = parse_file_name(file.name);
    if (!parsed) {
      return "migration file " + std::string(file.name) +
             " is not named NNNN_name.up.sql or NNNN_name.down.sql (name in a-z, 0-9, _)";
    }
    if (parsed->version == 0) return "migration file " + std::string(file.name) + ": versions start at 0001";
    pair& p = by_version[parsed->version];
    auto& slot = parsed->dir == direction::up ? p.up : p.down;
    auto& slot_name = parsed->dir == direction::up ? p.up_name : p.down_name;
    if (slot) return "migration file " + std::string(file.name) + " appears twice";
    slot = file.contents;
    slot_name = parsed->name;
  }

  std::vector<migration> out;
  int expected = 1;
  for (auto& [version, p] : by_version) {
    if (version != expected) {
      return "migration " + version_text(expected) + " is missing: versions must follow each other from 0001";
    }
    ++expected;
    if (!p.up) return "migration " + p.down_name + ".down.sql has no " + p.down_name + ".up.sql";
    if (!p.down) return "migration " + p.up_name + ".up.sql has no " + p.up_name + ".down.sql";
    if (p.up_name != p.down_name) {
      return "migration files " + p.up_name + ".up.sql and " + p.down_name + ".down.sql share a version";
    }
    migration m;
    m.version = version;
    m.name = p.up_name;
    m.up_sql = std::string(*p.up);
    m.down_sql = std::string(*p.down);
    m.checksum = sha256_hex(m.up_sql);
    out.push_back(std::move(m));
  }
  return out;
}

std::vector<migration_state> plan_status(const std::vector<migration>& known,
                                         const std::vector<applied_migration>& applied) {
  std::vector<migration_state> out;
  for (const migration& m : known) {
    migration_state s;
    s.version = m.version;
    s.name = m.name;
    if (const applied_migration* a = find_applied(applied, m.version)) {
      s.applied_at = a->applied_at;
      s.checksum_mismatch = a->checksum != m.checksum;
    }
    out.push_back(std::move(s));
  }
  for (const applied_migration& a : applied) {
    if (find_known(known, a.version)) continue;
    migration_state s;
    s.version = a.version;
    s.name = a.name;
    s.applied_at = a.applied_at;
    s.unknown = true;
    out.push_back(std::move(s));
  }
  std::sort(out.begin(), out.end(),
            [](const migration_state& a, const migration_state& b) { return a.version < b.version; });
  return out;
}

migration_result<std::vector<migration>> plan_up(const std::vector<migration>& known,
                                                 const std::vector<applied_migration>& applied) {
  int newest_applied = 0;
  for (const applied_migration& a : applied) {
    const migration* m = find_known(known, a.version);
    if (!m) return unknown_version_error(a);
    if (m->checksum != a.checksum) return changed_error(*m);
    newest_applied = std::max(newest_applied, a.version);
  }
  std::vector<migration> out;
  for (const migration& m : known) {
    if (find_applied(applied, m.version)) continue;
    // A hole below the newest applied version means the history was edited by hand; applying an
    // old migration on top of newer ones could do anything, so refuse.
    if (m.version < newest_applied) {
      return "migration " + version_text(m.version) + " is not applied but the newer " +
             version_text(newest_applied) + " is; the migration history was changed by hand";
    }
    out.push_back(m);
  }
  return out;
}

migration_result<std::vector<migration>> plan_down(const std::vector<migration>& known,
                                                   const std::vector<applied_migration>& applied, int steps) {
  if (steps < 1) return std::string("the number of migrations to revert must be at least 1");
  if (static_cast<std::size_t>(steps) > applied.size()) {
    return "cannot revert " + std::to_string(steps) + " migrations: only " + std::to_string(applied.size()) +
           " applied";
  }
  std::vector<applied_migration> newest_first = applied;
  std::sort(newest_first.begin(), newest_first.end(),
            [](const applied_migration& a, const applied_migration& b) { return a.version > b.version; });
  std::vector<migration> out;
  for (int i = 0; i < steps; ++i) {
    const applied_migration& a = newest_first[static_cast<std::size_t>(i)];
    const migration* m = find_known(known, a.version);
    if (!m) return unknown_version_error(a);
    if (m->checksum != a.checksum) return changed_error(*m);
    out.push_back(*m);
  }
  return out;
}

}  // namespace authd::store
