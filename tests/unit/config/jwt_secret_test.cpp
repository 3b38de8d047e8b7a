#include "config/jwt_secret.hpp"

#include <gtest/gtest.h>
#include <sys/stat.h>

#include <fstream>
#include <sstream>
#include <thread>
#include <vector>

#include "temp_dir.hpp"

namespace authd::config {
namespace {

namespace fs = std::filesystem;

std::string read_file(const fs::path& path) {
  std::ifstream in(path);
  std::stringstream content;
  content << in.rdbuf();
  return content.str();
}

unsigned mode_of(const fs::path& path) {
  struct stat info {};
  EXPECT_EQ(::stat(path.c_str(), &info), 0);
  return info.st_mode & 07777;
}

void write_file(const fs::path& path, const std::string& content, fs::perms perms) {
  std::ofstream(path) << content;
  fs::permissions(path, perms);
}

const std::string valid_hex = std::string(32, 'a') + std::string(32, '0');

TEST(jwt_secret, a_strong_configured_secret_is_used_as_is) {
  testing::temp_dir dir;
  const std::string strong = "0123456789abcdef0123456789abcdef";
  auto secret = resolve_jwt_secret(strong, dir.path() / "data");
  ASSERT_TRUE(secret) << secret.error();
  EXPECT_EQ(secret->value, strong);
  EXPECT_FALSE(secret->generated);
  EXPECT_FALSE(fs::exists(dir.path() / "data"));  // nothing written when configured
}

TEST(jwt_secret, a_short_secret_is_refused) {
  testing::temp_dir dir;
  const std::string short_secret = "0123456789abcdef0123456789abcde";  // 31 bytes
  auto secret = resolve_jwt_secret(short_secret, dir.path());
  ASSERT_FALSE(secret);
  EXPECT_EQ(secret.error().rfind("JWT_SECRET: shorter than 32 bytes", 0), 0u) << secret.error();
  EXPECT_EQ(secret.error().find(short_secret), std::string::npos);
}

TEST(jwt_secret, placeholders_are_refused_whatever_their_case_or_length) {
  testing::temp_dir dir;
  std::string first_error;
  for (const char* placeholder :
       {"secret", "SECRET", "changeme", "change-me", "your-secret-key", "jwt_secret", "Password",
        "9e1399cf13d06e24491d5494bb4c7167956e994a1e5525b1d9cd3c8fde36271e",
        "9E1399CF13D06E24491D5494BB4C7167956E994A1E5525B1D9CD3C8FDE36271E"}) {
    SCOPED_TRACE(placeholder);
    auto secret = resolve_jwt_secret(std::string(placeholder), dir.path());
    ASSERT_FALSE(secret);
    EXPECT_EQ(secret.error().rfind("JWT_SECRET: a well-known placeholder", 0), 0u) << secret.error();
    // the message never depends on (so never shows) the value
    if (first_error.empty()) first_error = secret.error();
    EXPECT_EQ(secret.error(), first_error);
  }
}

// `authd config check` asks without resolving: the same verdict, and nothing touched.
TEST(jwt_secret, weakness_gives_resolve_jwt_secrets_verdict) {
  testing::temp_dir dir;
  for (const std::string candidate :
       {"secret", "0123456789abcdef0123456789abcde", "0123456789abcdef0123456789abcdef"}) {
    SCOPED_TRACE(candidate);
    auto resolved = resolve_jwt_secret(candidate, dir.path() / "data");
    auto why = jwt_secret_weakness(candidate);
    EXPECT_EQ(why.has_value(), !resolved);
    if (why && !resolved) {
      EXPECT_EQ(*why, resolved.error());
    }
  }
  EXPECT_FALSE(fs::exists(dir.path() / "data"));
}

TEST(jwt_secret, generated_once_then_reused) {
  testing::temp_dir dir;
  const fs::path data = dir.path() / "nested" / "data";
  auto first = resolve_jwt_secret(std::nullopt, data);
  ASSERT_TRUE(first) << first.error();
  EXPECT_TRUE(first->generated);
  EXPECT_EQ(first->value.size(), 64u);
  EXPECT_EQ(first->value.find_first_not_of("0123456789abcdef"), std::string::npos);
  EXPECT_EQ(read_file(data / "jwt_secret"), first->value);

  auto second = resolve_jwt_secret(std::nullopt, data);
  ASSERT_TRUE(second) << second.error();
  EXPECT_TRUE(second->generated);
  EXPECT_EQ(second->value, first->value);

  testing::temp_dir other;
  auto elsewhere = resolve_jwt_secret(std::nullopt, other.path());
  ASSERT_TRUE(elsewhere) << elsewhere.error();
  EXPECT_NE(elsewhere->value, first->value);
}

TEST(jwt_secret, concurrent_starters_agree_on_one_secret) {
  testing::temp_dir dir;
  std::vector<std::string> values(6);
  std::vector<std::thread> starters;
  for (auto& value : values)
    starters.emplace_back([&value, &dir] {
      auto secret = resolve_jwt_secret(std::nullopt, dir.path() / "data");
      value = secret ? secret->value : "error: " + secret.error();
    });
  for (auto& starter : starters) starter.join();
  for (const auto& value : values) EXPECT_EQ(value, values.front());
  EXPECT_EQ(values.front().size(), 64u) << values.front();
}

TEST(jwt_secret, the_file_is_private_and_the_directory_too) {
  testing::temp_dir dir;
  const fs::path data = dir.path() / "data";
  ASSERT_TRUE(resolve_jwt_secret(std::nullopt, data));
  EXPECT_EQ(mode_of(data / "jwt_secret"), 0600u);
  EXPECT_EQ(mode_of(data), 0700u);
  // no temporary file is left behind
  EXPECT_EQ(std::distance(fs::directory_iterator(data), fs::directory_iterator()), 1);
}

TEST(jwt_secret, an_existing_file_is_read_with_a_trailing_newline) {
  testing::temp_dir dir;
  write_file(dir.path() / "jwt_secret", valid_hex + "\n", fs::perms::owner_read | fs::perms::owner_write);
  auto secret = resolve_jwt_secret(std::nullopt, dir.path());
  ASSERT_TRUE(secret) << secret.error();
  EXPECT_EQ(secret->value, valid_hex);
}

TEST(jwt_secret, loose_permissions_are_refused) {
  testing::temp_dir dir;
  for (auto extra : {fs::perms::group_read, fs::perms::others_read, fs::perms::group_write}) {
    write_file(dir.path() / "jwt_secret", valid_hex, fs::perms::owner_read | fs::perms::owner_write | extra);
    auto secret = resolve_jwt_secret(std::nullopt, dir.path());
    ASSERT_FALSE(secret);
    EXPECT_NE(secret.error().find("permissions 06"), std::string::npos) << secret.error();
    EXPECT_NE(secret.error().find("chmod 600"), std::string::npos) << secret.error();
    EXPECT_EQ(secret.error().find(valid_hex), std::string::npos);
  }
}

TEST(jwt_secret, a_corrupt_file_is_refused_not_regenerated) {
  testing::temp_dir dir;
  const fs::path file = dir.path() / "jwt_secret";
  for (const std::string& content : {std::string(), valid_hex.substr(0, 40), valid_hex + "00",
                                     std::string(63, 'a') + "g", std::string(5000, 'a')}) {
    SCOPED_TRACE(content.size());
    write_file(file, content, fs::perms::owner_read | fs::perms::owner_write);
    auto secret = resolve_jwt_secret(std::nullopt, dir.path());
    ASSERT_FALSE(secret);
    EXPECT_NE(secret.error().find("does not hold a 64-character hex secret"), std::string::npos)
        << secret.error();
    EXPECT_EQ(read_file(file), content);  // left alone
  }
}

TEST(jwt_secret, a_data_dir_that_is_a_file_is_refused) {
  testing::temp_dir dir;
  std::ofstream(dir.path() / "file") << "x";
  auto secret = resolve_jwt_secret(std::nullopt, dir.path() / "file");
  ASSERT_FALSE(secret);
  EXPECT_EQ(secret.error().rfind("AUTHD_DATA_DIR: ", 0), 0u) << secret.error();
}

}  // namespace
}  // namespace authd::config
