#include "config/env_file.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <string>
#include <system_error>

#include "config/posix_file.hpp"

namespace authd::config {

namespace {

// A .env file is written by an operator, but it is still read into memory whole: cap it.
constexpr std::size_t max_env_file_bytes = 1024 * 1024;

bool is_name_start(char c) {
  return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || c == '_';
}
bool is_name_char(char c) {
  return is_name_start(c) || (c >= '0' && c <= '9');
}
bool is_blank(char c) {
  return c == ' ' || c == '\t' || c == '\r';
}

bool is_valid_name(std::string_view name) {
  if (name.empty() || !is_name_start(name.front())) return false;
  for (char c : name)
    if (!is_name_char(c)) return false;
  return true;
}

std::string line_error(std::size_t line, std::string_view why) {
  return "line " + std::to_string(line) + ": " + std::string(why);
}

// Not a string: result<std::string, std::string> could not tell a value from an error.
struct value_error {
  std::size_t line = 0;
  const char* why = "";
};

// Walks the text once; quoted values may span lines, so this is not a line-by-line split.
class env_parser {
 public:
  explicit env_parser(std::string_view text) : text_(text) {}

  boost::system::result<std::map<std::string, std::string>, std::string> parse() {
    std::map<std::string, std::string> out;
    while (true) {
      skip_blanks();
      if (at_end()) return out;
      if (peek() == '\n') {
        advance();
        continue;
      }
      if (peek() == '#') {
        skip_to_end_of_line();
        continue;
      }
      const std::size_t line = line_;
      skip_export_keyword();
      std::string_view name = read_name();
      skip_blanks();
      if (at_end() || peek() != '=') {
        // Without '=' the "name" may well be a pasted secret: never echo it.
        if (!name.empty() && is_valid_name(name)) return line_error(line, "expected NAME=value");
        return line_error(line, "invalid variable name (letters, digits and _, not starting with a digit)");
      }
      if (!is_valid_name(name))
        return line_error(line, "invalid variable name (letters, digits and _, not starting with a digit)");
      advance();  // '='
      skip_blanks();
      auto value = read_value(line);
      if (!value) return line_error(value.error().line, value.error().why);
      out.insert_or_assign(std::string(name), std::move(*value));  // the last assignment wins, as in dotenv
    }
  }

 private:
  bool at_end() const { return pos_ >= text_.size(); }
  char peek() const { return text_[pos_]; }
  void advance() {
    if (text_[pos_] == '\n') ++line_;
    ++pos_;
  }
  void skip_blanks() {
    while (!at_end() && is_blank(peek())) advance();
  }
  void skip_to_end_of_line() {
    while (!at_end() && peek() != '\n') advance();
  }

  void skip_export_keyword() {
    constexpr std::string_view keyword = "export";
    std::string_view rest = text_.substr(pos_);
    if (rest.starts_with(keyword) && rest.size() > keyword.size() &&
        (rest[keyword.size()] == ' ' || rest[keyword.size()] == '\t')) {
      pos_ += keyword.size();
      skip_blanks();
    }
  }

  std::string_view read_name() {
    const std::size_t start = pos_;
    while (!at_end() && peek() != '=' && peek() != '\n' && !is_blank(peek())) advance();
    return text_.substr(start, pos_ - start);
  }

  boost::system::result<std::string, value_error> read_value(std::size_t line) {
    if (at_end()) return std::string();
    if (peek() == '\'') return read_quoted(line, '\'');
    if (peek() == '"') return read_quoted(line, '"');
    return read_unquoted();
  }

  // Cut at " #" (a comment needs whitespace before it, so "a#b" stays whole), then trimmed.
  std::string read_unquoted() {
    const std::size_t start = pos_;
    skip_to_end_of_line();
    std::string_view value = text_.substr(start, pos_ - start);
    for (std::size_t i = 1; i < value.size(); ++i) {
      if (value[i] == '#' && is_blank(value[i - 1])) {
        value = value.substr(0, i);
        break;
      }
    }
    while (!value.empty() && is_blank(value.back())) value.remove_suffix(1);
    return std::string(value);
  }

  boost::system::result<std::string, value_error> read_quoted(std::size_t line, char quote) {
    advance();  // opening quote
    std::string value;
    while (true) {
      if (at_end())
        return value_error{
            line, quote == '\'' ? "unterminated single-quoted value" : "unterminated double-quoted value"};
      char c = peek();
      advance();
      if (c == quote) break;
      if (quote == '"' && c == '\\' && !at_end()) {
        char escaped = peek();
        advance();
        switch (escaped) {
          case 'n':
            value += '\n';
            break;
          case 'r':
            value += '\r';
            break;
          case 't':
            value += '\t';
            break;
          case '"':
          case '\\':
          case '\'':
            value += escaped;
            break;
          default:  // unknown escapes stay as written, as python-dotenv leaves them
            value += '\\';
            value += escaped;
        }
        continue;
      }
      value += c;
    }
    skip_blanks();
    if (!at_end() && peek() == '#') skip_to_end_of_line();
    if (!at_end() && peek() != '\n') return value_error{line_, "unexpected text after the closing quote"};
    return value;
  }

  std::string_view text_;
  std::size_t pos_ = 0;
  std::size_t line_ = 1;
};

}  // namespace

boost::system::result<std::map<std::string, std::string>, std::string> parse_env_file(std::string_view text) {
  // The environment cannot carry NUL bytes; a value holding one would be cut short silently.
  if (auto nul = text.find('\0'); nul != std::string_view::npos) {
    std::size_t line = 1;
    for (std::size_t i = 0; i < nul; ++i)
      if (text[i] == '\n') ++line;
    return line_error(line, "NUL byte");
  }
  return env_parser(text).parse();
}

boost::system::result<std::map<std::string, std::string>, std::string> read_env_file(
    const std::filesystem::path& path) {
  const std::string shown = path.string();
  int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) {
    if (errno == ENOENT) return std::map<std::string, std::string>{};
    return shown + ": cannot open: " + errno_text(errno);
  }
  fd_closer closer{fd};
  struct stat info {};
  if (::fstat(fd, &info) != 0) return shown + ": cannot read: " + errno_text(errno);
  if (!S_ISREG(info.st_mode)) return shown + ": not a regular file";
  if (static_cast<std::size_t>(info.st_size) > max_env_file_bytes)
    return shown + ": larger than " + std::to_string(max_env_file_bytes) + " bytes";

  std::string text;
  char buffer[8192];
  while (true) {
    ssize_t n = ::read(fd, buffer, sizeof buffer);
    if (n < 0) {
      if (errno == EINTR) continue;
      return shown + ": cannot read: " + errno_text(errno);
    }
    if (n == 0) break;
    text.append(buffer, static_cast<std::size_t>(n));
    if (text.size() > max_env_file_bytes)
      return shown + ": larger than " + std::to_string(max_env_file_bytes) + " bytes";
  }
  auto parsed = parse_env_file(text);
  if (!parsed) return shown + ": " + parsed.error();
  return parsed;
}

}  // namespace authd::config
