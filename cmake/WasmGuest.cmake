# wasmio_add_guest(NAME SOURCES a.c [b.c] [CFLAGS ...] [LDFLAGS ...] [OUTPUT_DIR dir])
# Compiles freestanding C to a wasm32 module with Debian's clang + wasm-ld (no libc).
find_program(WASMIO_WASM_CLANG NAMES clang-14 clang REQUIRED)

function(wasmio_add_guest name)
  cmake_parse_arguments(G "" "OUTPUT_DIR" "SOURCES;CFLAGS;LDFLAGS;DEPENDS" ${ARGN})
  if(NOT G_OUTPUT_DIR)
    set(G_OUTPUT_DIR ${CMAKE_CURRENT_BINARY_DIR})
  endif()
  set(out ${G_OUTPUT_DIR}/${name}.wasm)
  set(srcs)
  foreach(s ${G_SOURCES})
    get_filename_component(abs ${s} ABSOLUTE)
    list(APPEND srcs ${abs})
  endforeach()
  add_custom_command(OUTPUT ${out}
    COMMAND ${CMAKE_COMMAND} -E make_directory ${G_OUTPUT_DIR}
    COMMAND ${WASMIO_WASM_CLANG} --target=wasm32 -O2 -nostdlib -ffreestanding
            -mbulk-memory -Wl,--no-entry
            ${G_CFLAGS} ${srcs} ${G_LDFLAGS} -o ${out}
    DEPENDS ${srcs} ${G_DEPENDS}
    COMMENT "wasm32 guest ${name}.wasm"
    VERBATIM)
  add_custom_target(${name}_wasm ALL DEPENDS ${out})
  set(${name}_WASM ${out} PARENT_SCOPE)
endfunction()
