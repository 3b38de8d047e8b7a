#include "config/jwt_secret.hpp"

#include <fcntl.h>
#include <sodium.h>
#include <sys/stat.h>
#include <unistd.h>

#include <array>
#include <cerrno>
#include <charconv>
#include <string_view>
#include <system_error>

#include "config/posix_file.hpp"

namespace authd::config {

namespace {

constexpr std::size_t generated_secret_bytes = 32;
constexpr std::size_t generated_secret_hex_chars = generated_secret_bytes * 2;
constexpr std::string_view secret_file_name = "jwt_secret";

constexpr std::string_view how_to_fix =
    "; set JWT_SECRET to at least 32 random bytes (e.g. the output of `openssl rand -hex 32`), or unset it "
    "to have one generated in the data directory";

constexpr std::string_view how_to_fix_previous =
    "; remove it from the list: anyone who guesses it can forge tokens that are accepted";

// Values from tutorials and example files: anyone can sign tokens with them, whatever their length.
constexpr std::array<std::string_view, 7> placeholders = {
    "secret",
    "changeme",
    "change-me",
    "your-secret-key",
    "jwt_secret",
    "password",
    // JWT_SECRET in the original service's published .env.example
    "9e1399cf13d06e24491d5494bb4c7167956e994a1e5525b1d9cd3c8fde36271e",
};

bool iequals(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i) {
    auto lower = [](char c) { return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c; };
    if (lower(a[i]) != lower(b[i])) return false;
  }
  return true;
}

// Why `secret` must not sign or verify tokens, or nothing when it is strong enough; `variable` and
// `fix` make the sentence.
std::optional<std::string> weakness(std::string_view secret, std::string_view variable,
                                    std::string_view fix) {
  for (auto placeholder : placeholders)
    if (iequals(secret, placeholder))
      return std::string(variable) + ": a well-known placeholder value that anyone can use to forge tokens" +
             std::string(fix);
  if (secret.size() < min_jwt_secret_bytes)
    return std::string(variable) + ": shorter than " + std::to_string(min_jwt_secret_bytes) +
           " bytes, which is guessable" + std::string(fix);
  return std::nullopt;
}

// result<T, std::string> cannot tell a string error from a T built from a string: this says which.
struct failure {
  std::string message;
  template <class T>
  operator boost::system::result<T, std::string>() && {
    return {boost::system::in_place_error, std::move(message)};
  }
};

// What a step found: the secret, or nothing when the file is absent (read) or when another
// process published its own first (create).
struct secret_found {
  bool found = false;
  std::string value;
};

// Only the last component gets 0700; parents are ordinary directories the operator may share.
boost::system::result<void, std::string> ensure_private_directory(std::filesystem::path dir) {
  if (!dir.has_filename()) dir = dir.parent_path();  // "data/" -> "data"
  std::error_code ec;
  if (std::filesystem::is_directory(dir, ec)) return {};
  if (dir.has_parent_path()) {
    std::filesystem::create_directories(dir.parent_path(), ec);
    if (ec) return "AUTHD_DATA_DIR: cannot create " + dir.parent_path().string() + ": " + ec.message();
  }
  if (::mkdir(dir.c_str(), 0700) != 0 && errno != EEXIST)
    return "AUTHD_DATA_DIR: cannot create " + dir.string() + ": " + errno_text(errno);
  if (!std::filesystem::is_directory(dir, ec))
    return "AUTHD_DATA_DIR: " + dir.string() + " is not a directory";
  return {};
}

bool is_hex(std::string_view text) {
  for (char c : text)
    if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F'))) return false;
  return true;
}

// found=false (not an error) when the file does not exist yet.
boost::system::result<secret_found, std::string> read_secret_file(const std::filesystem::path& file) {
  const std::string shown = file.string();
  int fd = ::open(file.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) {
    if (errno == ENOENT) return secret_found{};
    return failure{shown + ": cannot open the token signing secret: " + errno_text(errno)};
  }
  fd_closer closer{fd};
  struct stat info {};
  if (::fstat(fd, &info) != 0) return failure{shown + ": cannot read: " + errno_text(errno)};
  if (!S_ISREG(info.st_mode)) return failure{shown + ": not a regular file"};
  if ((info.st_mode & (S_IRWXG | S_IRWXO)) != 0) {
    std::array<char, 8> mode{};
    auto [end, ec] = std::to_chars(mode.data(), mode.data() + mode.size(), info.st_mode & 07777, 8);
    (void)ec;  // 8 characters always hold 12 bits in octal
    return failure{shown + ": permissions 0" + std::string(mode.data(), end) +
                   " let group or others read the token signing secret; run chmod 600 " + shown};
  }

  // Room for the hex and a trailing newline an editor may add; anything longer is not ours.
  std::array<char, generated_secret_hex_chars + 8> buffer{};
  std::size_t size = 0;
  while (size < buffer.size()) {
    ssize_t n = ::read(fd, buffer.data() + size, buffer.size() - size);
    if (n < 0) {
      if (errno == EINTR) continue;
      return failure{shown + ": cannot read: " + errno_text(errno)};
    }
    if (n == 0) break;
    size += static_cast<std::size_t>(n);
  }
  std::string_view content(buffer.data(), size);
  while (!content.empty() && (content.back() == '\n' || content.back() == '\r' || content.back() == ' '))
    content.remove_suffix(1);
  // Regenerating would sign every user out and hide the damage: refuse and say what to do.
  if (content.size() != generated_secret_hex_chars || !is_hex(content))
    return failure{
        shown + ": does not hold a " + std::to_string(generated_secret_hex_chars) +
        "-character hex secret (truncated or corrupt?); restore it from a backup, or delete it to generate a "
        "new one (which signs every user out)"};
  return secret_found{true, std::string(content)};
}

boost::system::result<void, std::string> write_all(int fd, std::string_view data, const std::string& shown) {
  while (!data.empty()) {
    ssize_t n = ::write(fd, data.data(), data.size());
    if (n < 0) {
      if (errno == EINTR) continue;
      return shown + ": cannot write: " + errno_text(errno);
    }
    data.remove_prefix(static_cast<std::size_t>(n));
  }
  if (::fsync(fd) != 0) return shown + ": cannot write: " + errno_text(errno);
  return {};
}

std::string random_hex(std::size_t bytes) {
  std::array<unsigned char, generated_secret_bytes> raw{};
  randombytes_buf(raw.data(), bytes);
  std::string hex(bytes * 2 + 1, '\0');
  sodium_bin2hex(hex.data(), hex.size(), raw.data(), bytes);
  sodium_memzero(raw.data(), raw.size());
  hex.pop_back();
  return hex;
}

// The secret is written to a private temporary file and then published with link(2), which
// fails rather than replaces when the name exists: a concurrent starter never sees a partial
// file, and when two race, exactly one secret wins. found=false (not an error) when we lost the race.
boost::system::result<secret_found, std::string> create_secret_file(const std::filesystem::path& dir,
                                                                    const std::filesystem::path& file) {
  if (sodium_init() < 0)
    return failure{std::string("cannot initialise libsodium to generate the token signing secret")};
  std::string secret = random_hex(generated_secret_bytes);
  const std::filesystem::path temporary =
      dir / ("." + std::string(secret_file_name) + "." + random_hex(8) + ".tmp");
  const std::string shown = temporary.string();

  int fd = ::open(temporary.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600);
  if (fd < 0) return failure{shown + ": cannot create: " + errno_text(errno)};
  {
    fd_closer closer{fd};
    if (auto written = write_all(fd, secret, shown); !written) {
      ::unlink(temporary.c_str());
      return failure{written.error()};
    }
  }
  const int linked = ::link(temporary.c_str(), file.c_str());
  const int link_error = errno;
  ::unlink(temporary.c_str());
  if (linked != 0) {
    if (link_error == EEXIST) return secret_found{};
    return failure{file.string() + ": cannot create: " + errno_text(link_error)};
  }
  // Make the new name durable: losing it in a crash would sign everyone out at the next start.
  if (int dir_fd = ::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC); dir_fd >= 0) {
    fd_closer dir_closer{dir_fd};
    ::fsync(dir_fd);
  }
  return secret_found{true, std::move(secret)};
}

}  // namespace

std::optional<std::string> jwt_secret_weakness(std::string_view secret) {
  return weakness(secret, "JWT_SECRET", how_to_fix);
}

std::optional<std::string> previous_jwt_secret_weakness(std::string_view secret, std::string_view entry) {
  return weakness(secret, entry, how_to_fix_previous);
}

boost::system::result<jwt_secret, std::string> resolve_jwt_secret(
    const std::optional<std::string>& configured, const std::filesystem::path& data_dir) {
  if (configured) {
    if (auto why = jwt_secret_weakness(*configured)) return failure{*why};
    return jwt_secret{*configured, false};
  }

  if (auto made = ensure_private_directory(data_dir); !made) return failure{made.error()};
  const std::filesystem::path file = data_dir / secret_file_name;
  // Read, else create, else (another process created it meanwhile) read again.
  for (int attempt = 0; attempt < 2; ++attempt) {
    auto existing = read_secret_file(file);
    if (!existing) return failure{existing.error()};
    if (existing->found) return jwt_secret{std::move(existing->value), true};
    auto created = create_secret_file(data_dir, file);
    if (!created) return failure{created.error()};
    if (created->found) return jwt_secret{std::move(created->value), true};
  }
  return failure{file.string() + ": appeared and vanished while starting; is another process deleting it?"};
}

}  // namespace authd::config
