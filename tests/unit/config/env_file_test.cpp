#include "config/env_file.hpp"

#include <gtest/gtest.h>

#include <fstream>

#include "temp_dir.hpp"

namespace authd::config {
namespace {

std::map<std::string, std::string> parse_ok(std::string_view text) {
  auto parsed = parse_env_file(text);
  EXPECT_TRUE(parsed) << parsed.error();
  return parsed ? *parsed : std::map<std::string, std::string>{};
}

std::string parse_error(std::string_view text) {
  auto parsed = parse_env_file(text);
  EXPECT_FALSE(parsed);
  return parsed ? std::string() : parsed.error();
}

TEST(env_file, plain_assignments_blank_lines_and_comments) {
  auto vars = parse_ok("# a comment\n\nA=1\n   # indented comment\nB = two  \nEMPTY=\n");
  EXPECT_EQ(vars, (std::map<std::string, std::string>{{"A", "1"}, {"B", "two"}, {"EMPTY", ""}}));
}

TEST(env_file, export_prefix_is_ignored) {
  auto vars = parse_ok("export A=1\nexport\tB=2\nexport=3\n");
  EXPECT_EQ(vars, (std::map<std::string, std::string>{{"A", "1"}, {"B", "2"}, {"export", "3"}}));
}

TEST(env_file, unquoted_values_are_cut_at_a_spaced_hash) {
  auto vars = parse_ok("A=value # comment\nB=a#b\nC=#x\nD=x\t# tab comment\n");
  EXPECT_EQ(vars.at("A"), "value");
  EXPECT_EQ(vars.at("B"), "a#b");
  EXPECT_EQ(vars.at("C"), "#x");
  EXPECT_EQ(vars.at("D"), "x");
}

TEST(env_file, single_quotes_are_literal) {
  auto vars = parse_ok("A='a \\n # \"b\"' # comment\n");
  EXPECT_EQ(vars.at("A"), "a \\n # \"b\"");
}

TEST(env_file, double_quotes_understand_escapes) {
  auto vars = parse_ok(R"(A="line1\nline2 \"q\" back\\slash \t tab \x" # comment)");
  EXPECT_EQ(vars.at("A"), "line1\nline2 \"q\" back\\slash \t tab \\x");
}

TEST(env_file, quoted_values_may_span_lines) {
  auto vars = parse_ok("A=\"first\nsecond\"\nB='x\ny'\nC=3\n");
  EXPECT_EQ(vars.at("A"), "first\nsecond");
  EXPECT_EQ(vars.at("B"), "x\ny");
  EXPECT_EQ(vars.at("C"), "3");
}

TEST(env_file, windows_line_endings) {
  auto vars = parse_ok("A=1\r\nB=\"2\"\r\n");
  EXPECT_EQ(vars.at("A"), "1");
  EXPECT_EQ(vars.at("B"), "2");
}

TEST(env_file, the_last_assignment_wins) {
  EXPECT_EQ(parse_ok("A=1\nA=2\n").at("A"), "2");
}

TEST(env_file, no_trailing_newline) {
  EXPECT_EQ(parse_ok("A=1").at("A"), "1");
}

TEST(env_file, invalid_names_are_refused_with_the_line_number) {
  EXPECT_EQ(parse_error("A=1\n1A=2\n").substr(0, 8), "line 2: ");
  EXPECT_NE(parse_error("A-B=1").find("invalid variable name"), std::string::npos);
  EXPECT_NE(parse_error("A.B=1").find("line 1"), std::string::npos);
  EXPECT_NE(parse_error("=1").find("line 1: invalid variable name"), std::string::npos);
  EXPECT_NE(parse_error("\n\nA\n").find("line 3: expected NAME=value"), std::string::npos);
}

TEST(env_file, errors_never_show_values) {
  std::string error = parse_error("hunter2-secret-value\n");
  EXPECT_EQ(error.find("hunter2"), std::string::npos) << error;
  error = parse_error("A=\"s3cret-unterminated\n");
  EXPECT_NE(error.find("line 1: unterminated double-quoted value"), std::string::npos) << error;
  EXPECT_EQ(error.find("s3cret"), std::string::npos) << error;
  error = parse_error("A='s3cret\n");
  EXPECT_NE(error.find("unterminated single-quoted value"), std::string::npos) << error;
  error = parse_error("A=\"s3cret\"garbage\n");
  EXPECT_NE(error.find("line 1: unexpected text after the closing quote"), std::string::npos) << error;
  EXPECT_EQ(error.find("s3cret"), std::string::npos) << error;
}

TEST(env_file, nul_bytes_are_refused) {
  using namespace std::string_view_literals;
  EXPECT_EQ(parse_error("A=1\nB=x\0y\n"sv), "line 2: NUL byte");
}

TEST(env_file, a_missing_file_is_empty) {
  testing::temp_dir dir;
  auto vars = read_env_file(dir.path() / ".env");
  ASSERT_TRUE(vars) << vars.error();
  EXPECT_TRUE(vars->empty());
}

TEST(env_file, reads_a_file_and_prefixes_errors_with_its_path) {
  testing::temp_dir dir;
  std::ofstream(dir.path() / "good.env") << "A=1\n";
  std::ofstream(dir.path() / "bad.env") << "A=1\n2B=x\n";
  auto good = read_env_file(dir.path() / "good.env");
  ASSERT_TRUE(good) << good.error();
  EXPECT_EQ(good->at("A"), "1");
  auto bad = read_env_file(dir.path() / "bad.env");
  ASSERT_FALSE(bad);
  EXPECT_EQ(bad.error(), (dir.path() / "bad.env").string() +
                             ": line 2: invalid variable name (letters, digits "
                             "and _, not starting with a digit)");
}

TEST(env_file, a_directory_or_a_huge_file_is_refused) {
  testing::temp_dir dir;
  EXPECT_FALSE(read_env_file(dir.path()));
  std::ofstream(dir.path() / "huge.env") << std::string(2 * 1024 * 1024, '#');
  auto huge = read_env_file(dir.path() / "huge.env");
  ASSERT_FALSE(huge);
  EXPECT_NE(huge.error().find("larger than"), std::string::npos);
}

}  // namespace
}  // namespace authd::config
