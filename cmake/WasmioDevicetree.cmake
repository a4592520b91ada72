# wasmio_compile_devicetrees(OUT_VAR OUTPUT_DIR dir [COMMENT text] SOURCES a.dts ...)
# Compiles each .dts with Debian's dtc into OUTPUT_DIR/NAME.dtb and appends the .dtb paths to
# OUT_VAR. -@ keeps labels in /__symbols__, which the loader (src/io/board/devicetree.cpp) and
# tools/dtgen use as node labels.
include_guard(GLOBAL)

function(wasmio_compile_devicetrees out_var)
  cmake_parse_arguments(D "" "OUTPUT_DIR;COMMENT" "SOURCES" ${ARGN})
  if(NOT D_OUTPUT_DIR)
    message(FATAL_ERROR "wasmio_compile_devicetrees: OUTPUT_DIR is required")
  endif()
  if(NOT D_COMMENT)
    set(D_COMMENT "devicetree")
  endif()
  find_program(WASMIO_DTC dtc REQUIRED)
  set(dtbs)
  foreach(dts ${D_SOURCES})
    get_filename_component(name ${dts} NAME_WE)
    set(dtb ${D_OUTPUT_DIR}/${name}.dtb)
    add_custom_command(OUTPUT ${dtb}
      COMMAND ${WASMIO_DTC} -@ -I dts -O dtb -o ${dtb} ${dts}
      DEPENDS ${dts}
      COMMENT "${D_COMMENT} ${name}.dtb"
      VERBATIM)
    list(APPEND dtbs ${dtb})
  endforeach()
  set(${out_var} ${${out_var}} ${dtbs} PARENT_SCOPE)
endfunction()
