// Creates the SQLite database file and its directory owner-only: the file holds password hashes.
#pragma once

#include <boost/system/result.hpp>
#include <filesystem>
#include <string>

namespace authd::store::sqlite {

// Creates the missing parent directories (0700) and the file (0600) if absent, and brings an
// existing file and its -wal/-shm companions to 0600. Errors are sentences for the operator.
boost::system::result<void, std::string> prepare_database_file(const std::filesystem::path& file);

}  // namespace authd::store::sqlite
