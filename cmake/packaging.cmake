# The Debian package (`make package`, from the release preset): what is installed where, and
# CPack's DEB settings. packaging/debian holds the unit, the settings template and the maintainer
# scripts; docs/packaging.md explains the choices.

set(authd_packaging_dir ${PROJECT_SOURCE_DIR}/packaging/debian)

install(TARGETS authd RUNTIME DESTINATION bin)
# Absolute paths: these locations are fixed by systemd and Debian, whatever the prefix.
install(FILES ${authd_packaging_dir}/authd.service DESTINATION /usr/lib/systemd/system)
# It holds JWT_SECRET: never world-readable, even for the moment before postinst gives it to the
# authd group.
install(FILES ${authd_packaging_dir}/authd.env DESTINATION /etc/authd
        PERMISSIONS OWNER_READ OWNER_WRITE GROUP_READ)
install(FILES ${PROJECT_SOURCE_DIR}/README.md ${authd_packaging_dir}/copyright DESTINATION share/doc/authd)
file(GLOB authd_docs CONFIGURE_DEPENDS ${PROJECT_SOURCE_DIR}/docs/*.md)
install(FILES ${authd_docs} DESTINATION share/doc/authd)

set(CPACK_GENERATOR DEB)
set(CPACK_PACKAGE_NAME authd)
set(CPACK_PACKAGE_VERSION ${PROJECT_VERSION})
set(CPACK_PACKAGING_INSTALL_PREFIX /usr)
set(CPACK_PACKAGE_CONTACT "authd maintainers <authd@localhost>")
set(CPACK_PACKAGE_DESCRIPTION_SUMMARY "authentication service: register, log in, sessions over a JSON HTTP API")
# Lines of the long description under 80 columns, as Debian's tools display them.
string(CONCAT CPACK_PACKAGE_DESCRIPTION
       "authd serves a small JSON HTTP API to register users, log them in and out and\n"
       "manage their sessions, carried in an HTTP-only cookie holding a JWT. Passwords\n"
       "are hashed with Argon2id; data lives in an embedded SQLite file or in\n"
       "PostgreSQL. Runs as the systemd service authd.service.")
set(CPACK_STRIP_FILES ON)

set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT)  # authd_<version>-<release>_<arch>.deb
set(CPACK_DEBIAN_PACKAGE_RELEASE 1)
set(CPACK_DEBIAN_PACKAGE_SECTION net)
set(CPACK_DEBIAN_PACKAGE_PRIORITY optional)
# The shared libraries' packages, found by dpkg-shlibdeps (dpkg-dev); adduser for postinst and postrm.
set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS ON)
set(CPACK_DEBIAN_PACKAGE_DEPENDS "adduser")
set(CPACK_DEBIAN_PACKAGE_CONTROL_EXTRA
    ${authd_packaging_dir}/conffiles ${authd_packaging_dir}/postinst ${authd_packaging_dir}/prerm
    ${authd_packaging_dir}/postrm)
# Maintainer scripts 0755 and the other control files 0644, whatever the checkout's modes.
set(CPACK_DEBIAN_PACKAGE_CONTROL_STRICT_PERMISSION ON)

include(CPack)
