# Every external library, found once and exposed as an imported target (DESIGN.md section 4).
find_package(Boost 1.81 REQUIRED COMPONENTS json url)
find_package(spdlog REQUIRED)
find_package(CLI11 REQUIRED)
find_package(Threads REQUIRED)
find_package(PkgConfig REQUIRED)
pkg_check_modules(sodium REQUIRED IMPORTED_TARGET libsodium)
pkg_check_modules(jwt REQUIRED IMPORTED_TARGET libjwt)
pkg_check_modules(sqlite3 REQUIRED IMPORTED_TARGET sqlite3)
pkg_check_modules(libpq REQUIRED IMPORTED_TARGET libpq)
pkg_check_modules(idn2 REQUIRED IMPORTED_TARGET libidn2)
# The reference Argon2: what authd's own is compared with (tests, hash-bench); it computes no login.
pkg_check_modules(argon2 REQUIRED IMPORTED_TARGET libargon2)

find_library(ZXCVBN_LIBRARY NAMES zxcvbn REQUIRED)
find_path(ZXCVBN_INCLUDE_DIR zxcvbn.h REQUIRED)
add_library(zxcvbn::zxcvbn UNKNOWN IMPORTED)
set_target_properties(zxcvbn::zxcvbn PROPERTIES IMPORTED_LOCATION ${ZXCVBN_LIBRARY}
                                                INTERFACE_INCLUDE_DIRECTORIES ${ZXCVBN_INCLUDE_DIR})

find_library(UNISTRING_LIBRARY NAMES unistring REQUIRED)
find_path(UNISTRING_INCLUDE_DIR unicase.h REQUIRED)
add_library(unistring::unistring UNKNOWN IMPORTED)
set_target_properties(unistring::unistring PROPERTIES IMPORTED_LOCATION ${UNISTRING_LIBRARY}
                                                      INTERFACE_INCLUDE_DIRECTORIES ${UNISTRING_INCLUDE_DIR})

# Asio and Beast are header-only; these settings make every translation unit agree.
add_library(authd_asio INTERFACE)
target_link_libraries(authd_asio INTERFACE Boost::headers Threads::Threads)
target_compile_definitions(authd_asio INTERFACE BOOST_ASIO_NO_DEPRECATED BOOST_BEAST_USE_STD_STRING_VIEW)
