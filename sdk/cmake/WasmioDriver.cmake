# wasmio_add_driver(NAME SOURCES a.c [b.c ...]
#                   [ACCESS_PATH host-call|mapped|copy]      default host-call
#                   [MAP_BASE address] [MAP_SIZE bytes]      mapped path: guest window range
#                   [EXPORTS name ...]                        functions the host calls (init, ...)
#                   [INCLUDE_DIRECTORIES dir ...] [DEFINITIONS NAME=VALUE ...]
#                   [OUTPUT_DIR dir]
#                   [MEMORY_BYTES n [STACK_BYTES n]]             e.g. 16384: a memory of n bytes
#                   [AOT_INTO target])                        also compile NAME.wasm ahead of time
#                                                             into target (docs/design/0015)
# Builds NAME.wasm: a freestanding wasm32 module (no libc, no entry point) that carries its
# wasmio.manifest section and exports only what it names (EXPORTS, plus the IRQ handlers that
# WASMIO_IRQ exports itself). Creates target NAME; the file's path is in ${NAME_WASM} and in
# the target property WASMIO_WASM_FILE.
#
# MEMORY_BYTES: links with the stack first (STACK_BYTES, default 4096; an overflow traps below
# address 0 instead of overwriting data), then `wasmio shrink-memory` rewrites the memory to
# exactly n 1-byte pages (custom-page-sizes proposal), refusing with a clear error when data,
# stack or heap base do not fit or the code uses memory.size/grow. The tool is the host project's
# `wasmio` target, else WASMIO_TOOL (a path; found on PATH when unset).
#
# AOT_INTO (host projects only): wasmio_aot_compile (cmake/WasmioAot.cmake, which must be
# included) adds the generated C++ to `target`; its image is `extern "C" const wasmio::AotImage
# wasmio_aot_NAME`, to attach with Instance::attach_native after instantiation.
#
# With the wasm32 toolchain file the driver is an ordinary executable target; inside a host
# project (CMAKE_SYSTEM_PROCESSOR is not wasm32) it is a custom command running clang.
include_guard(GLOBAL)

function(wasmio_add_driver name)
  # From the function's own file, not a variable: with include_guard(GLOBAL) a variable set at
  # include time would be missing in every directory but the first includer's.
  get_filename_component(sdk_include ${CMAKE_CURRENT_FUNCTION_LIST_DIR}/../include ABSOLUTE)
  cmake_parse_arguments(D "" "ACCESS_PATH;MAP_BASE;MAP_SIZE;OUTPUT_DIR;MEMORY_BYTES;STACK_BYTES;AOT_INTO"
                        "SOURCES;EXPORTS;INCLUDE_DIRECTORIES;DEFINITIONS" ${ARGN})
  if(NOT D_SOURCES)
    message(FATAL_ERROR "wasmio_add_driver(${name}): SOURCES is required")
  endif()
  if(D_UNPARSED_ARGUMENTS)
    message(FATAL_ERROR "wasmio_add_driver(${name}): unknown arguments ${D_UNPARSED_ARGUMENTS}")
  endif()
  if(NOT D_ACCESS_PATH)
    set(D_ACCESS_PATH host-call)
  endif()
  if(D_ACCESS_PATH STREQUAL "host-call")
    set(path HOST_CALL)
  elseif(D_ACCESS_PATH STREQUAL "mapped")
    set(path MAPPED)
  elseif(D_ACCESS_PATH STREQUAL "copy")
    set(path COPY)
  else()
    message(FATAL_ERROR "wasmio_add_driver(${name}): ACCESS_PATH must be host-call, mapped or copy, not '${D_ACCESS_PATH}'")
  endif()
  if((D_MAP_BASE OR D_MAP_SIZE) AND NOT path STREQUAL "MAPPED")
    message(FATAL_ERROR "wasmio_add_driver(${name}): MAP_BASE/MAP_SIZE need ACCESS_PATH mapped")
  endif()
  if(NOT D_MAP_BASE)
    set(D_MAP_BASE 0xF0000000)  # the SDK header's default
  endif()

  set(cflags -O2 -ffreestanding -Wall -Wextra -DWASMIO_ACCESS_PATH=${path})
  set(ldflags -nostdlib -Wl,--no-entry)
  if(path STREQUAL "MAPPED")
    list(APPEND cflags -DWASMIO_MAP_BASE=${D_MAP_BASE})
    if(D_MAP_SIZE)
      list(APPEND cflags -DWASMIO_MAP_SIZE=${D_MAP_SIZE})
    endif()
    # Linear memory must never grow into the window range: cap it at the range's base.
    math(EXPR max_memory "${D_MAP_BASE} / 65536 * 65536" OUTPUT_FORMAT DECIMAL)
    list(APPEND ldflags -Wl,--max-memory=${max_memory})
  endif()
  if(D_STACK_BYTES AND NOT D_MEMORY_BYTES)
    message(FATAL_ERROR "wasmio_add_driver(${name}): STACK_BYTES needs MEMORY_BYTES")
  endif()
  set(shrink)
  if(D_MEMORY_BYTES)
    if(NOT D_MEMORY_BYTES MATCHES "^[1-9][0-9]*$")
      message(FATAL_ERROR "wasmio_add_driver(${name}): MEMORY_BYTES must be a positive number, not '${D_MEMORY_BYTES}'")
    endif()
    if(NOT D_STACK_BYTES)
      set(D_STACK_BYTES 4096)
    endif()
    if(NOT D_STACK_BYTES MATCHES "^[1-9][0-9]*$" OR D_STACK_BYTES GREATER_EQUAL D_MEMORY_BYTES)
      message(FATAL_ERROR "wasmio_add_driver(${name}): STACK_BYTES must be a positive number below MEMORY_BYTES")
    endif()
    list(APPEND ldflags -Wl,--stack-first -Wl,-z,stack-size=${D_STACK_BYTES}
         -Wl,--export=__heap_base)
    if(TARGET wasmio)
      set(tool $<TARGET_FILE:wasmio>)
    else()
      if(NOT WASMIO_TOOL)
        find_program(WASMIO_TOOL wasmio)
      endif()
      if(NOT WASMIO_TOOL)
        message(FATAL_ERROR "wasmio_add_driver(${name}): MEMORY_BYTES needs the wasmio tool: set WASMIO_TOOL")
      endif()
      set(tool ${WASMIO_TOOL})
    endif()
    set(shrink ${tool} shrink-memory)
  endif()
  foreach(def ${D_DEFINITIONS})
    list(APPEND cflags -D${def})
  endforeach()
  foreach(export ${D_EXPORTS})
    list(APPEND ldflags -Wl,--export=${export})
  endforeach()

  if(CMAKE_SYSTEM_PROCESSOR STREQUAL "wasm32")
    list(REMOVE_ITEM ldflags -nostdlib -Wl,--no-entry)  # the toolchain file sets them
    add_executable(${name} ${D_SOURCES})
    target_include_directories(${name} PRIVATE ${sdk_include} ${D_INCLUDE_DIRECTORIES})
    target_compile_options(${name} PRIVATE ${cflags})
    target_link_options(${name} PRIVATE ${ldflags})
    if(D_OUTPUT_DIR)
      set_target_properties(${name} PROPERTIES RUNTIME_OUTPUT_DIRECTORY ${D_OUTPUT_DIR})
    endif()
    set(out $<TARGET_FILE:${name}>)
    if(shrink)
      add_custom_command(TARGET ${name} POST_BUILD
        COMMAND ${shrink} ${out} ${out} --bytes ${D_MEMORY_BYTES} VERBATIM)
    endif()
  else()
    find_program(WASMIO_WASM_CLANG NAMES clang-14 clang REQUIRED)
    find_program(WASMIO_WASM_LD NAMES wasm-ld-14 wasm-ld REQUIRED)
    if(NOT D_OUTPUT_DIR)
      set(D_OUTPUT_DIR ${CMAKE_CURRENT_BINARY_DIR})
    endif()
    set(out ${D_OUTPUT_DIR}/${name}.wasm)
    set(srcs)
    foreach(s ${D_SOURCES})
      get_filename_component(abs ${s} ABSOLUTE)
      list(APPEND srcs ${abs})
    endforeach()
    set(includes -I${sdk_include})
    foreach(dir ${D_INCLUDE_DIRECTORIES})
      get_filename_component(abs ${dir} ABSOLUTE)
      list(APPEND includes -I${abs})
    endforeach()
    set(shrink_command)
    set(shrink_depends)
    if(shrink)
      set(shrink_command COMMAND ${shrink} ${out} ${out} --bytes ${D_MEMORY_BYTES})
      if(TARGET wasmio)
        set(shrink_depends wasmio)
      endif()
    endif()
    add_custom_command(OUTPUT ${out}
      COMMAND ${CMAKE_COMMAND} -E make_directory ${D_OUTPUT_DIR}
      COMMAND ${WASMIO_WASM_CLANG} --target=wasm32 ${cflags} ${includes}
              -fuse-ld=${WASMIO_WASM_LD} ${ldflags} ${srcs} -o ${out}
      ${shrink_command}
      DEPENDS ${srcs} ${sdk_include}/wasmio/driver.h ${shrink_depends}
      COMMENT "wasmio driver ${name}.wasm (${D_ACCESS_PATH})"
      VERBATIM)
    add_custom_target(${name} ALL DEPENDS ${out})
  endif()
  set_target_properties(${name} PROPERTIES WASMIO_WASM_FILE "${out}")
  set(${name}_WASM ${out} PARENT_SCOPE)
  if(D_AOT_INTO)
    if(CMAKE_SYSTEM_PROCESSOR STREQUAL "wasm32" OR NOT COMMAND wasmio_aot_compile)
      message(FATAL_ERROR "wasmio_add_driver(${name}): AOT_INTO needs a host project that includes cmake/WasmioAot.cmake")
    endif()
    string(MAKE_C_IDENTIFIER "wasmio_aot_${name}" aot_symbol)
    wasmio_aot_compile(${D_AOT_INTO} ${out} SYMBOL ${aot_symbol} DEPENDS ${name})
  endif()
endfunction()
