# wasmio_aot_compile(TARGET WASM_FILE [SYMBOL name] [DEPENDS target...])
#
# The AOT tier's static path (docs/design/0015): `wasmio aot` turns WASM_FILE into a C++ source
# that defines `extern "C" const wasmio::AotImage <SYMBOL>` and compiles it into TARGET, which
# then attaches it with Instance::attach_native. SYMBOL defaults to wasmio_aot_<file name>.
# The generator is the host build's `wasmio` (cross builds: -DWASMIO_TOOL=<host wasmio>).
function(wasmio_aot_compile target wasm_file)
  cmake_parse_arguments(AOT "" "SYMBOL" "DEPENDS" ${ARGN})
  get_filename_component(name ${wasm_file} NAME_WE)
  if(NOT AOT_SYMBOL)
    string(MAKE_C_IDENTIFIER "wasmio_aot_${name}" AOT_SYMBOL)
  endif()
  if(WASMIO_TOOL)
    set(tool ${WASMIO_TOOL})
    set(tool_target)
  else()
    set(tool $<TARGET_FILE:wasmio>)
    set(tool_target wasmio)
  endif()
  set(out ${CMAKE_CURRENT_BINARY_DIR}/aot/${AOT_SYMBOL}.cpp)
  add_custom_command(OUTPUT ${out}
    COMMAND ${CMAKE_COMMAND} -E make_directory ${CMAKE_CURRENT_BINARY_DIR}/aot
    COMMAND ${tool} aot ${wasm_file} -o ${out} --symbol ${AOT_SYMBOL}
    DEPENDS ${wasm_file} ${tool_target} ${AOT_DEPENDS}
    COMMENT "AOT-compiling ${name}.wasm"
    VERBATIM)
  target_sources(${target} PRIVATE ${out})
  # Engine code rules: no exceptions, no RTTI (generated code must build for the Cortex-M too).
  # Wasm float arithmetic is never fused (no contraction into multiply-adds) and never folded
  # in ways that drop a NaN's quiet bit (x * 1 -> x with a signalling NaN x): -fsignaling-nans.
  set_source_files_properties(${out} PROPERTIES COMPILE_OPTIONS "-fno-exceptions;-fno-rtti;-ffp-contract=off;-fsignaling-nans")
  target_link_libraries(${target} PRIVATE wasmio_engine_internal)
endfunction()
