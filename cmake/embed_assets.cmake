# The docs UI's files: npm packages pinned by a lock file, installed into the build tree at build
# time, then compiled into a target with the assembler's .incbin (a C++ array of a few megabytes
# takes seconds to generate and compile; .incbin takes none).

# authd_npm_version(<var> <lock_file> <package>): the exact version that the lock pins for <package>.
# CMake configures again when the lock changes, so the version never goes stale.
function(authd_npm_version var lock package)
  file(READ ${lock} json)
  string(JSON version GET "${json}" packages "node_modules/${package}" version)
  set_property(DIRECTORY APPEND PROPERTY CMAKE_CONFIGURE_DEPENDS ${lock})
  set(${var} ${version} PARENT_SCOPE)
endfunction()

# authd_npm_ci(<dir> <source_dir> <files...>): installs what <source_dir>/package-lock.json pins into
# <dir>/node_modules (in the build tree, never the source tree) with `npm ci`. <files...> are paths
# under node_modules that the build uses; the install runs again only when the lock changes.
function(authd_npm_ci dir source_dir)
  find_program(AUTHD_NPM npm REQUIRED)
  set(outputs "")
  foreach(file IN LISTS ARGN)
    list(APPEND outputs ${dir}/node_modules/${file})
  endforeach()
  add_custom_command(
    OUTPUT ${outputs}
    COMMAND ${CMAKE_COMMAND} -E make_directory ${dir}
    COMMAND ${CMAKE_COMMAND} -E copy ${source_dir}/package.json ${source_dir}/package-lock.json ${dir}
    # No install scripts (nothing runs but npm); no peers: the standalone bundles need none of them.
    COMMAND ${AUTHD_NPM} ci --prefix ${dir} --ignore-scripts --no-audit --no-fund --omit=peer
            --loglevel=warn
    # npm keeps the packages' file times (1985), which would leave the outputs older than the lock.
    COMMAND ${CMAKE_COMMAND} -E touch ${outputs}
    DEPENDS ${source_dir}/package.json ${source_dir}/package-lock.json
    COMMENT "npm ci: ${source_dir}/package-lock.json"
    VERBATIM)
endfunction()

# authd_embed_assets(<target> <namespace> <function> <name>=<path>...): compiles the files into
# <target>; `std::span<const authd::embedded_file> <namespace>::<function>()` lists them by name.
function(authd_embed_assets target ns function)
  set(out ${CMAKE_CURRENT_BINARY_DIR}/${function}_embedded.cpp)
  set(paths "")
  foreach(entry IN LISTS ARGN)
    string(REGEX REPLACE "^[^=]*=" "" path "${entry}")
    list(APPEND paths ${path})
  endforeach()
  add_custom_command(
    OUTPUT ${out}
    COMMAND ${CMAKE_COMMAND} -DOUT=${out} -DNS=${ns} -DFUNCTION=${function} "-DENTRIES=${ARGN}"
            -P ${PROJECT_SOURCE_DIR}/cmake/embed_assets_source.cmake
    DEPENDS ${paths} ${PROJECT_SOURCE_DIR}/cmake/embed_assets_source.cmake
    COMMENT "Embedding ${function}"
    VERBATIM)
  target_sources(${target} PRIVATE ${out})
endfunction()

# authd_replace_once(<out> <in> <from> <to>): at build time, <out> is <in> with its one occurrence
# of <from> replaced by <to>. The build fails when <from> is missing or repeated, so that a new
# version of the file is looked at again rather than patched blindly.
function(authd_replace_once out in from to)
  add_custom_command(
    OUTPUT ${out}
    COMMAND ${CMAKE_COMMAND} -DIN=${in} -DOUT=${out} -DFROM=${from} -DTO=${to}
            -P ${PROJECT_SOURCE_DIR}/cmake/replace_once.cmake
    DEPENDS ${in} ${PROJECT_SOURCE_DIR}/cmake/replace_once.cmake
    COMMENT "Patching ${out}"
    VERBATIM)
endfunction()
