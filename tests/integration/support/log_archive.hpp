// What the whole integration run leaves for tests/scan-server-logs: every server's log, and every
// secret the tests sent or received (passwords in request bodies, tokens in Set-Cookie), so that
// a scan after the run can show that no log line of any test holds any of them.
#pragma once

#include <filesystem>
#include <string_view>

namespace authd::itest {

// AUTHD_TEST_LOG_ARCHIVE (a directory the build chooses); created on first use.
const std::filesystem::path& log_archive_dir();

// Keeps a copy of a server's log file in the archive.
void archive_server_log(const std::filesystem::path& log_file);

// Notes what an HTTP exchange carried that must never be logged.
void note_request_secrets(std::string_view body);
void note_set_cookie(std::string_view header_value);

}  // namespace authd::itest
