# Installing and packaging: the binary, its man page and the README, and a
# Debian package of them built by CPack (scripts/package.sh). Runtime
# dependencies are found by dpkg-shlibdeps from the libraries the binary links.
include(GNUInstallDirs)

install(FILES ${PROJECT_SOURCE_DIR}/docs/loader.1 DESTINATION ${CMAKE_INSTALL_MANDIR}/man1)
install(FILES ${PROJECT_SOURCE_DIR}/README.md DESTINATION ${CMAKE_INSTALL_DOCDIR})

set(CPACK_GENERATOR DEB)
set(CPACK_PACKAGE_NAME loader)
set(CPACK_PACKAGE_VERSION ${PROJECT_VERSION})
set(CPACK_PACKAGE_DESCRIPTION_SUMMARY "${PROJECT_DESCRIPTION}")
set(CPACK_PACKAGE_CONTACT "loader maintainers <loader@localhost>")
set(CPACK_PACKAGING_INSTALL_PREFIX /usr)
set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT)
set(CPACK_DEBIAN_PACKAGE_SECTION database)
set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS ON)
# psql runs the load-postgres.sql scripts of --emit-import and --fallback-dir.
set(CPACK_DEBIAN_PACKAGE_RECOMMENDS postgresql-client)
include(CPack)
