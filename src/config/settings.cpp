#include "config/settings.hpp"

#include <algorithm>
#include <boost/asio/ip/address.hpp>
#include <boost/url/encode.hpp>
#include <boost/url/parse.hpp>
#include <boost/url/rfc/unreserved_chars.hpp>
#include <boost/url/url.hpp>
#include <charconv>
#include <cstdlib>
#include <limits>
#include <string_view>
#include <thread>
#include <vector>

#include "config/jwt_secret.hpp"
#include "obs/logging.hpp"

namespace authd::config {

namespace {

// A value echoed in an error is cut and escaped: it may be long or hold control characters.
std::string shown_value(std::string_view value) {
  constexpr std::size_t max_shown = 64;
  static constexpr char hex[] = "0123456789abcdef";
  std::string out = "\"";
  for (std::size_t i = 0; i < value.size() && i < max_shown; ++i) {
    auto c = static_cast<unsigned char>(value[i]);
    if (c == '"' || c == '\\') {
      out += '\\';
      out += static_cast<char>(c);
    } else if (c < 0x20 || c == 0x7f) {
      out += "\\x";
      out += hex[c >> 4];
      out += hex[c & 0xf];
    } else {
      out += static_cast<char>(c);
    }
  }
  if (value.size() > max_shown) out += "...";
  return out + "\"";
}

std::string ascii_lower(std::string_view text) {
  std::string out(text);
  for (char& c : out)
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  return out;
}

unsigned number_of_cores() {
  return std::max(1u, std::thread::hardware_concurrency());
}

// RFC 6265 cookie-name = token (RFC 2616): visible ASCII except separators.
bool is_cookie_token(std::string_view name) {
  constexpr std::string_view separators = "()<>@,;:\\\"/[]?={}";
  if (name.empty()) return false;
  for (char c : name) {
    auto u = static_cast<unsigned char>(c);
    if (u <= 0x20 || u >= 0x7f || separators.find(c) != std::string_view::npos) return false;
  }
  return true;
}

// Reads variables one by one and keeps the first error; later reads are then skipped, so
// load_settings reads as a flat list of settings.
class variables {
 public:
  explicit variables(const env_lookup& env) : env_(env) {}

  bool failed() const { return error_.has_value(); }
  const std::string& error() const { return *error_; }

  // An empty value counts as unset, so that a copied .env.example (JWT_SECRET=) means "default".
  std::optional<std::string> get(const char* name) const {
    auto value = env_(name);
    if (value && value->empty()) return std::nullopt;
    return value;
  }

  void fail(const char* name, const std::string& why) {
    if (!error_) error_ = std::string(name) + ": " + why;
  }

  template <class T>
  void integer(const char* name, std::uint64_t min, std::uint64_t max, T& out) {
    static_assert(std::is_unsigned_v<T>);
    if (failed()) return;
    auto value = get(name);
    if (!value) return;
    std::uint64_t parsed = 0;
    const char* end = value->data() + value->size();
    auto [stop, ec] = std::from_chars(value->data(), end, parsed);
    if (ec != std::errc{} || stop != end || parsed < min || parsed > max ||
        parsed > std::numeric_limits<T>::max()) {
      fail(name, "expected an integer from " + std::to_string(min) + " to " + std::to_string(max) + ", got " +
                     shown_value(*value));
      return;
    }
    out = static_cast<T>(parsed);
  }

  void seconds(const char* name, std::uint64_t min, std::uint64_t max, std::chrono::seconds& out) {
    auto count = static_cast<std::uint64_t>(out.count());
    integer(name, min, max, count);
    out = std::chrono::seconds(static_cast<std::chrono::seconds::rep>(count));
  }

  void boolean(const char* name, bool& out) {
    if (failed()) return;
    auto value = get(name);
    if (!value) return;
    auto lowered = ascii_lower(*value);
    if (lowered == "true" || lowered == "1" || lowered == "yes" || lowered == "on") {
      out = true;
    } else if (lowered == "false" || lowered == "0" || lowered == "no" || lowered == "off") {
      out = false;
    } else {
      fail(name, "expected true or false (or 1/0, yes/no, on/off), got " + shown_value(*value));
    }
  }

  template <class Parser>
  void checked_word(const char* name, Parser parse, std::string& out) {
    if (failed()) return;
    auto value = get(name);
    if (!value) return;
    auto lowered = ascii_lower(*value);
    if (auto parsed = parse(lowered); !parsed) {
      fail(name, parsed.error() + ", got " + shown_value(*value));
      return;
    }
    out = lowered;
  }

  // A name from argon2::implementation_named that this CPU can run.
  void argon2_implementation(const char* name, auth::argon2::implementation& out) {
    if (failed()) return;
    auto value = get(name);
    if (!value) return;
    const auto parsed = auth::argon2::implementation_named(ascii_lower(*value));
    if (!parsed) {
      fail(name, "expected one of " + auth::argon2::implementation_names() + ", got " + shown_value(*value));
    } else if (!auth::argon2::supported(*parsed)) {
      fail(name, "this CPU cannot run " + std::string(auth::argon2::name_of(*parsed)) +
                     " (auto picks what it can)");
    } else {
      out = *parsed;
    }
  }

  void host(const char* name, std::string& out) {
    if (failed()) return;
    auto value = get(name);
    if (!value) return;
    if (ascii_lower(*value) == "localhost") {
      out = "localhost";
      return;
    }
    boost::system::error_code ec;
    boost::asio::ip::make_address(*value, ec);
    if (ec) {
      fail(name, "expected an IPv4 or IPv6 address, or localhost, got " + shown_value(*value));
      return;
    }
    out = *value;
  }

  // "", "off" or "host:port" (an IPv6 host in brackets).
  void metrics_address(const char* name, settings& s) {
    if (failed()) return;
    auto value = get(name);
    if (!value || value->empty()) return;
    if (ascii_lower(*value) == "off") {
      s.metrics = settings::metrics_place::off;
      return;
    }
    const auto colon = value->rfind(':');
    std::string host = colon == std::string::npos ? std::string() : value->substr(0, colon);
    if (host.size() > 2 && host.front() == '[' && host.back() == ']') host = host.substr(1, host.size() - 2);
    boost::system::error_code ec;
    if (!host.empty()) boost::asio::ip::make_address(host, ec);
    std::uint32_t port = 0;
    const std::string port_text = colon == std::string::npos ? std::string() : value->substr(colon + 1);
    const auto [end, parse_ec] = std::from_chars(port_text.data(), port_text.data() + port_text.size(), port);
    if (host.empty() || ec || port_text.empty() || parse_ec != std::errc() ||
        end != port_text.data() + port_text.size() || port > 65535) {
      fail(name, "expected off, or host:port with an IP address (e.g. 127.0.0.1:9100, [::1]:9100), got " +
                     shown_value(*value));
      return;
    }
    s.metrics = settings::metrics_place::own_listener;
    s.metrics_host = host;
    s.metrics_port = static_cast<std::uint16_t>(port);
  }

  // A comma-separated list, each element trimmed and checked by `parse` (a list_item: the value
  // to keep, or an error); empty elements are skipped.
  template <class Parser>
  void list(const char* name, Parser parse, std::vector<std::string>& out) {
    if (failed()) return;
    auto value = get(name);
    if (!value) return;
    std::vector<std::string> items;
    std::string_view rest = *value;
    while (true) {
      const auto comma = rest.find(',');
      std::string_view item = rest.substr(0, comma);
      while (!item.empty() && (item.front() == ' ' || item.front() == '\t')) item.remove_prefix(1);
      while (!item.empty() && (item.back() == ' ' || item.back() == '\t')) item.remove_suffix(1);
      if (!item.empty()) {
        auto parsed = parse(item);
        if (!parsed.error.empty()) {
          fail(name, parsed.error + ", got " + shown_value(item));
          return;
        }
        items.push_back(std::move(parsed.value));
      }
      if (comma == std::string_view::npos) break;
      rest.remove_prefix(comma + 1);
    }
    out = std::move(items);
  }

  void path(const char* name, std::filesystem::path& out) {
    if (failed()) return;
    if (auto value = get(name)) out = *value;
  }

  void cookie_name(const char* name, bool secure, std::string& out) {
    if (failed()) return;
    auto value = get(name);
    if (!value) return;
    if (!is_cookie_token(*value)) {
      fail(name, "expected a cookie name (visible ASCII without spaces or ()<>@,;:\\\"/[]?={}), got " +
                     shown_value(*value));
      return;
    }
    // Browsers drop prefixed cookies set without Secure: every login would silently fail.
    auto lowered = ascii_lower(*value);
    for (std::string_view prefix : {"__host-", "__secure-"}) {
      if (lowered.starts_with(prefix) && !secure) {
        fail(name, "the " + value->substr(0, prefix.size()) +
                       " prefix requires AUTHD_COOKIE_SECURE=true (browsers refuse such cookies without "
                       "Secure, which also needs HTTPS)");
        return;
      }
    }
    out = *value;
  }

 private:
  const env_lookup& env_;
  std::optional<std::string> error_;
};

// Commas separate: no secret generator in common use (openssl rand -hex or -base64, the data
// directory's file) writes one, while spaces do occur in passphrases; blanks around an entry are
// trimmed and empty entries (a trailing comma) skipped. The values are never shown, only their rank.
void read_previous_secrets(variables& vars, const std::optional<std::string>& current,
                           std::vector<std::string>& out) {
  constexpr const char* name = "JWT_PREVIOUS_SECRETS";
  constexpr std::size_t max_entries = 16;
  if (vars.failed()) return;
  auto value = vars.get(name);
  if (!value) return;
  std::vector<std::string> secrets;
  std::string_view rest = *value;
  while (true) {
    const auto comma = rest.find(',');
    std::string_view entry = rest.substr(0, comma);
    while (!entry.empty() && (entry.front() == ' ' || entry.front() == '\t')) entry.remove_prefix(1);
    while (!entry.empty() && (entry.back() == ' ' || entry.back() == '\t')) entry.remove_suffix(1);
    if (!entry.empty()) {
      const std::string rank = "entry " + std::to_string(secrets.size() + 1);
      if (auto why = previous_jwt_secret_weakness(entry, rank)) return vars.fail(name, *why);
      if (current && entry == *current)
        return vars.fail(name, rank +
                                   " is JWT_SECRET itself: list only the secrets that signed before it "
                                   "(was the new JWT_SECRET not set?)");
      for (std::size_t i = 0; i < secrets.size(); ++i)
        if (secrets[i] == entry) return vars.fail(name, rank + " repeats entry " + std::to_string(i + 1));
      secrets.emplace_back(entry);
      if (secrets.size() > max_entries)
        return vars.fail(name,
                         "more than " + std::to_string(max_entries) +
                             " secrets; keep only those that signed tokens still within their lifetime");
    }
    if (comma == std::string_view::npos) break;
    rest.remove_prefix(comma + 1);
  }
  out = std::move(secrets);
}

// One element of a list setting: the value to keep, or why it is refused (error not empty).
struct list_item {
  std::string value;
  std::string error;
};

// An origin as browsers serialize it in the Origin header: scheme://host[:port], lowercase, the
// default port of http and https left out, so that the server can compare exactly.
list_item origin_value(std::string_view text) {
  const std::string usage =
      "expected origins like https://app.example.com (scheme://host[:port], no path, no *)";
  if (text.find('*') != std::string_view::npos)
    return {.value = {}, .error = usage + "; list each origin, wildcards are not allowed"};
  auto parsed = boost::urls::parse_absolute_uri(text);
  if (!parsed || !parsed->has_authority() || parsed->encoded_host().empty() || parsed->has_userinfo() ||
      parsed->has_query() || parsed->has_fragment())
    return {.value = {}, .error = usage};
  if (!parsed->encoded_path().empty())
    return {.value = {}, .error = usage + "; no path, not even a trailing /"};
  const std::string scheme = ascii_lower(parsed->scheme());
  std::string out = scheme + "://" + ascii_lower(parsed->encoded_host());
  if (parsed->has_port()) {
    if (parsed->port().empty()) return {.value = {}, .error = usage};
    const bool default_port = (scheme == "http" && parsed->port_number() == 80) ||
                              (scheme == "https" && parsed->port_number() == 443);
    if (!default_port) out += ":" + std::string(parsed->port());
  }
  return {.value = out, .error = {}};
}

// An IP address or a CIDR block, kept as written (the server parses it again).
list_item proxy_value(std::string_view text) {
  const std::string usage = "expected IP addresses or CIDR blocks like 10.0.0.0/8 or 2001:db8::/32";
  const auto slash = text.find('/');
  boost::system::error_code ec;
  const auto address = boost::asio::ip::make_address(std::string(text.substr(0, slash)), ec);
  if (ec || text.find('%') != std::string_view::npos) return {.value = {}, .error = usage};
  if (slash != std::string_view::npos) {
    const std::string_view digits = text.substr(slash + 1);
    unsigned prefix = 0;
    auto [stop, parse_ec] = std::from_chars(digits.data(), digits.data() + digits.size(), prefix);
    if (digits.empty() || parse_ec != std::errc{} || stop != digits.data() + digits.size() ||
        prefix > (address.is_v6() ? 128u : 32u))
      return {.value = {}, .error = usage + " (the prefix length is 0-32 for IPv4, 0-128 for IPv6)"};
  }
  return {.value = std::string(text), .error = {}};
}

using database_choice = std::variant<sqlite_settings, postgres_settings>;

constexpr std::string_view not_shown = " (the value is not shown: it may hold a password)";

boost::system::result<database_choice, std::string> sqlite_from_url(const boost::urls::url_view& url) {
  const std::string usage =
      "expected sqlite:///relative/path.db or sqlite:////absolute/path.db" + std::string(not_shown);
  if (!url.has_authority() || !url.encoded_authority().empty() || url.has_query() || url.has_fragment())
    return usage;
  // SQLAlchemy's convention: the path after "sqlite:///" is the file; a fourth slash makes it absolute.
  std::string path = url.path();
  if (path.size() < 2 || path.front() != '/' || path.back() == '/' || path.find('\0') != std::string::npos)
    return usage;
  path.erase(0, 1);
  if (path == ":memory:") return "an in-memory SQLite database would lose every user at exit";
  return database_choice(sqlite_settings{path});
}

boost::system::result<database_choice, std::string> database_from_url(const std::string& value) {
  auto parsed = boost::urls::parse_uri(value);
  if (!parsed) return "not a valid URL" + std::string(not_shown);
  const std::string scheme = ascii_lower(parsed->scheme());
  if (scheme == "sqlite") return sqlite_from_url(*parsed);
  // The original service's SQLAlchemy URLs name a Python driver after '+'; libpq knows none.
  if (scheme == "postgresql" || scheme == "postgres" || scheme == "postgresql+asyncpg" ||
      scheme == "postgresql+psycopg" || scheme == "postgresql+psycopg2") {
    if (!parsed->has_authority())
      return "expected postgresql://[user[:password]@]host[:port][/database]" + std::string(not_shown);
    boost::urls::url url(*parsed);
    url.set_scheme("postgresql");
    return database_choice(postgres_settings{std::string(url.buffer())});
  }
  return "expected a postgresql://, postgres:// or sqlite:/// URL" + std::string(not_shown);
}

std::string percent_encoded(std::string_view text) {
  return boost::urls::encode(text, boost::urls::unreserved_chars);
}

// DATABASE_* as the original service reads them, turned into one libpq URL.
void database_from_parts(variables& vars, const std::string& host, database_choice& out) {
  std::uint16_t port = 5432;
  vars.integer("DATABASE_PORT", 1, 65535, port);
  auto user = vars.get("DATABASE_USER");
  auto password = vars.get("DATABASE_PASSWORD");
  auto name = vars.get("DATABASE_NAME");
  if (vars.failed()) return;
  if (password && !user) {
    vars.fail("DATABASE_PASSWORD", "set without DATABASE_USER");
    return;
  }
  boost::urls::url url;
  url.set_scheme("postgresql");
  // Every reserved character is encoded, so a password holding '@', ':' or '/' survives libpq.
  if (user) url.set_encoded_user(percent_encoded(*user));
  if (password) url.set_encoded_password(percent_encoded(*password));
  std::string_view bare_host = host;
  if (bare_host.size() > 2 && bare_host.front() == '[' && bare_host.back() == ']')
    bare_host = bare_host.substr(1, bare_host.size() - 2);
  url.set_host_address(bare_host);
  url.set_port_number(port);
  if (name) url.set_encoded_path("/" + percent_encoded(*name));
  out = postgres_settings{std::string(url.buffer())};
}

void read_database(variables& vars, const std::filesystem::path& data_dir, database_choice& out) {
  if (vars.failed()) return;
  if (auto url = vars.get("DATABASE_URL")) {
    auto chosen = database_from_url(*url);
    if (!chosen) {
      vars.fail("DATABASE_URL", chosen.error());
      return;
    }
    out = std::move(*chosen);
    return;
  }
  if (auto host = vars.get("DATABASE_HOST")) {
    database_from_parts(vars, *host, out);
    return;
  }
  out = sqlite_settings{data_dir / "authd.db"};
}

// Passwords can sit in the userinfo and, for libpq, in the query string too.
std::string redacted_postgres_url(const std::string& text) {
  auto parsed = boost::urls::parse_uri(text);
  if (!parsed) return "<redacted: not a valid URL>";
  boost::urls::url url(*parsed);
  if (url.has_password()) url.set_encoded_password("***");
  if (url.has_query()) {
    std::vector<boost::urls::param> params(url.params().begin(), url.params().end());
    for (auto& p : params) {
      auto key = ascii_lower(p.key);
      if (key == "password" || key == "sslpassword") p.value = "***";
    }
    url.params().assign(params.begin(), params.end());
  }
  return std::string(url.buffer());
}

std::string sqlite_url(const std::filesystem::path& file) {
  return "sqlite:///" + file.string();
}

}  // namespace

env_lookup process_environment() {
  return [](const std::string& name) -> std::optional<std::string> {
    if (const char* value = std::getenv(name.c_str())) return std::string(value);
    return std::nullopt;
  };
}

env_lookup with_fallback(env_lookup first, std::map<std::string, std::string> fallback) {
  return [first = std::move(first), fallback = std::move(fallback)](const std::string& name) {
    if (auto value = first(name)) return value;
    if (auto it = fallback.find(name); it != fallback.end()) return std::optional<std::string>(it->second);
    return std::optional<std::string>();
  };
}

boost::system::result<settings, std::string> load_settings(const env_lookup& env) {
  settings s;
  variables vars(env);

  vars.host("AUTHD_HOST", s.host);
  vars.integer("AUTHD_PORT", 0, 65535, s.port);  // 0: any free port (tests); the server logs the real one
  vars.integer("AUTHD_THREADS", 0, 256, s.threads);
  vars.path("AUTHD_DATA_DIR", s.data_dir);

  read_database(vars, s.data_dir, s.database);
  s.migrate_on_start = std::holds_alternative<sqlite_settings>(s.database);
  vars.boolean("AUTHD_MIGRATE_ON_START", s.migrate_on_start);
  vars.integer("AUTHD_DB_POOL_SIZE", 1, 1000, s.db_pool_size);
  vars.seconds("AUTHD_DB_TIMEOUT_SECONDS", 1, 600, s.db_timeout);

  s.jwt_secret = vars.get("JWT_SECRET");
  read_previous_secrets(vars, s.jwt_secret, s.jwt_previous_secrets);
  vars.seconds("AUTHD_TOKEN_LIFETIME_SECONDS", 60, 2592000, s.token_lifetime);
  vars.boolean("AUTHD_COOKIE_SECURE", s.cookie_secure);
  vars.cookie_name("AUTHD_COOKIE_NAME", s.cookie_secure, s.cookie_name);
  vars.seconds("AUTHD_SESSION_SWEEP_SECONDS", 1, 86400, s.session_sweep_interval);
  vars.list("AUTHD_ALLOWED_ORIGINS", origin_value, s.allowed_origins);
  vars.list("AUTHD_TRUSTED_PROXIES", proxy_value, s.trusted_proxies);

  // 1 GiB: the most a stored hash may ask for (auth/password_hasher.hpp).
  vars.integer("AUTHD_ARGON2_MEMORY_KIB", 1024, 1048576, s.argon2_memory_kib);
  vars.integer("AUTHD_ARGON2_ITERATIONS", 1, 64, s.argon2_iterations);
  vars.argon2_implementation("AUTHD_ARGON2_IMPLEMENTATION", s.argon2_implementation);
  vars.integer("AUTHD_HASH_THREADS", 0, 256, s.hash_threads);
  vars.integer("AUTHD_HASH_QUEUE", 1, 100000, s.hash_queue);
  vars.seconds("AUTHD_HASH_MEMORY_KEEP_SECONDS", 0, 86400, s.hash_memory_keep);

  vars.integer("AUTHD_THROTTLE_ACCOUNT_FAILURES", 0, 1000000, s.throttle_account_failures);
  vars.integer("AUTHD_THROTTLE_ADDRESS_FAILURES", 0, 1000000, s.throttle_address_failures);
  vars.integer("AUTHD_THROTTLE_ADDRESS_REGISTRATIONS", 0, 1000000, s.throttle_address_registrations);
  vars.seconds("AUTHD_THROTTLE_WINDOW_SECONDS", 1, 86400, s.throttle_window);
  vars.seconds("AUTHD_THROTTLE_BLOCK_SECONDS", 1, 86400, s.throttle_block);
  vars.seconds("AUTHD_THROTTLE_MAX_BLOCK_SECONDS", 1, 86400, s.throttle_max_block);
  if (!vars.failed() && s.throttle_max_block < s.throttle_block)
    vars.fail("AUTHD_THROTTLE_MAX_BLOCK_SECONDS", "must not be less than AUTHD_THROTTLE_BLOCK_SECONDS (" +
                                                      std::to_string(s.throttle_block.count()) + ")");

  vars.integer("AUTHD_PASSWORD_MIN_LENGTH", 1, 1024, s.password_min_length);
  vars.integer("AUTHD_PASSWORD_MAX_LENGTH", std::max<std::size_t>(s.password_min_length, 1), 4096,
               s.password_max_length);
  if (!vars.failed() && s.password_max_length < s.password_min_length)  // only the minimum was raised
    vars.fail("AUTHD_PASSWORD_MIN_LENGTH",
              "must not exceed AUTHD_PASSWORD_MAX_LENGTH (" + std::to_string(s.password_max_length) + ")");

  vars.integer("AUTHD_MAX_HEADER_BYTES", 1024, 1024 * 1024, s.max_header_bytes);
  vars.integer("AUTHD_MAX_BODY_BYTES", 1024, 16 * 1024 * 1024, s.max_body_bytes);
  vars.seconds("AUTHD_READ_TIMEOUT_SECONDS", 1, 3600, s.read_timeout);
  vars.seconds("AUTHD_IDLE_TIMEOUT_SECONDS", 1, 3600, s.idle_timeout);
  vars.integer("AUTHD_MAX_CONNECTIONS", 1, 1000000, s.max_connections);
  vars.seconds("AUTHD_SHUTDOWN_TIMEOUT_SECONDS", 1, 3600, s.shutdown_timeout);

  vars.metrics_address("AUTHD_METRICS_ADDR", s);
  vars.checked_word("AUTHD_LOG_LEVEL", obs::parse_log_level, s.log_level);
  vars.checked_word("AUTHD_LOG_FORMAT", obs::parse_log_format, s.log_format);

  // Spelled out: settings is an aggregate whose first member is a string, so a bare string is ambiguous.
  if (vars.failed()) return {boost::system::in_place_error, vars.error()};
  if (s.threads == 0) s.threads = number_of_cores();
  if (s.hash_threads == 0) s.hash_threads = number_of_cores();
  return s;
}

std::string describe(const settings& s) {
  std::string out;
  auto line = [&out](std::string_view name, const std::string& value) {
    out.append(name).append("=").append(value).append("\n");
  };
  auto flag = [](bool b) { return std::string(b ? "true" : "false"); };

  line("AUTHD_HOST", s.host);
  line("AUTHD_PORT", std::to_string(s.port));
  line("AUTHD_THREADS", std::to_string(s.threads));
  line("AUTHD_DATA_DIR", s.data_dir.string());
  if (const auto* sqlite = std::get_if<sqlite_settings>(&s.database))
    line("DATABASE_URL", sqlite_url(sqlite->file));
  if (const auto* postgres = std::get_if<postgres_settings>(&s.database))
    line("DATABASE_URL", redacted_postgres_url(postgres->url));
  line("AUTHD_MIGRATE_ON_START", flag(s.migrate_on_start));
  line("AUTHD_DB_POOL_SIZE", std::to_string(s.db_pool_size));
  line("AUTHD_DB_TIMEOUT_SECONDS", std::to_string(s.db_timeout.count()));
  line("JWT_SECRET", s.jwt_secret ? "<set, redacted>" : "<unset: generated in data dir>");
  line("JWT_PREVIOUS_SECRETS", s.jwt_previous_secrets.empty()
                                   ? "<none>"
                                   : "<" + std::to_string(s.jwt_previous_secrets.size()) + " set, redacted>");
  line("AUTHD_TOKEN_LIFETIME_SECONDS", std::to_string(s.token_lifetime.count()));
  line("AUTHD_COOKIE_NAME", s.cookie_name);
  line("AUTHD_COOKIE_SECURE", flag(s.cookie_secure));
  line("AUTHD_SESSION_SWEEP_SECONDS", std::to_string(s.session_sweep_interval.count()));
  auto joined = [](const std::vector<std::string>& items) {
    std::string text;
    for (const auto& item : items) text += (text.empty() ? "" : ",") + item;
    return text;
  };
  line("AUTHD_ALLOWED_ORIGINS", joined(s.allowed_origins));
  line("AUTHD_TRUSTED_PROXIES", joined(s.trusted_proxies));
  line("AUTHD_ARGON2_MEMORY_KIB", std::to_string(s.argon2_memory_kib));
  line("AUTHD_ARGON2_ITERATIONS", std::to_string(s.argon2_iterations));
  line("AUTHD_ARGON2_IMPLEMENTATION", std::string(auth::argon2::name_of(s.argon2_implementation)));
  line("AUTHD_HASH_THREADS", std::to_string(s.hash_threads));
  line("AUTHD_HASH_QUEUE", std::to_string(s.hash_queue));
  line("AUTHD_HASH_MEMORY_KEEP_SECONDS", std::to_string(s.hash_memory_keep.count()));
  line("AUTHD_THROTTLE_ACCOUNT_FAILURES", std::to_string(s.throttle_account_failures));
  line("AUTHD_THROTTLE_ADDRESS_FAILURES", std::to_string(s.throttle_address_failures));
  line("AUTHD_THROTTLE_ADDRESS_REGISTRATIONS", std::to_string(s.throttle_address_registrations));
  line("AUTHD_THROTTLE_WINDOW_SECONDS", std::to_string(s.throttle_window.count()));
  line("AUTHD_THROTTLE_BLOCK_SECONDS", std::to_string(s.throttle_block.count()));
  line("AUTHD_THROTTLE_MAX_BLOCK_SECONDS", std::to_string(s.throttle_max_block.count()));
  line("AUTHD_PASSWORD_MIN_LENGTH", std::to_string(s.password_min_length));
  line("AUTHD_PASSWORD_MAX_LENGTH", std::to_string(s.password_max_length));
  line("AUTHD_MAX_HEADER_BYTES", std::to_string(s.max_header_bytes));
  line("AUTHD_MAX_BODY_BYTES", std::to_string(s.max_body_bytes));
  line("AUTHD_READ_TIMEOUT_SECONDS", std::to_string(s.read_timeout.count()));
  line("AUTHD_IDLE_TIMEOUT_SECONDS", std::to_string(s.idle_timeout.count()));
  line("AUTHD_MAX_CONNECTIONS", std::to_string(s.max_connections));
  line("AUTHD_SHUTDOWN_TIMEOUT_SECONDS", std::to_string(s.shutdown_timeout.count()));
  switch (s.metrics) {
    case settings::metrics_place::api_listener:
      line("AUTHD_METRICS_ADDR", "");
      break;
    case settings::metrics_place::off:
      line("AUTHD_METRICS_ADDR", "off");
      break;
    case settings::metrics_place::own_listener:
      line("AUTHD_METRICS_ADDR",
           (s.metrics_host.find(':') == std::string::npos ? s.metrics_host : "[" + s.metrics_host + "]") +
               ":" + std::to_string(s.metrics_port));
      break;
  }
  line("AUTHD_LOG_LEVEL", s.log_level);
  line("AUTHD_LOG_FORMAT", s.log_format);
  return out;
}

}  // namespace authd::config
