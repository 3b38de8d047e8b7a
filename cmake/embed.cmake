# authd_embed_files(<target> <namespace> <variable> <files...>): compiles the files into the
# target as a table of {name, contents}, so the binary needs nothing from disk at run time.
function(authd_embed_files target ns variable)
  set(out ${CMAKE_CURRENT_BINARY_DIR}/${variable}_embedded.cpp)
  add_custom_command(
    OUTPUT ${out}
    COMMAND ${CMAKE_COMMAND} -DOUT=${out} -DNS=${ns} -DVAR=${variable} "-DFILES=${ARGN}"
            -P ${PROJECT_SOURCE_DIR}/cmake/embed_files.cmake
    DEPENDS ${ARGN} ${PROJECT_SOURCE_DIR}/cmake/embed_files.cmake
    COMMENT "Embedding ${variable}"
    VERBATIM)
  target_sources(${target} PRIVATE ${out})
endfunction()
