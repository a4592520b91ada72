# The runner must refuse a wrong result: give it fib's module under crc32's name and expect
# `wasmio-bench --smoke --kernel crc32` to fail with a checksum mismatch (or a signature error).
# cmake -DBENCH=<wasmio-bench> -DWASM_DIR=<dir of bench_*.wasm> -DWORK_DIR=<scratch> -P this
file(REMOVE_RECURSE ${WORK_DIR})
file(MAKE_DIRECTORY ${WORK_DIR})
file(COPY_FILE ${WASM_DIR}/bench_fib.wasm ${WORK_DIR}/bench_crc32.wasm)
execute_process(COMMAND ${BENCH} --smoke --kernel crc32 --wasm-dir ${WORK_DIR}
                RESULT_VARIABLE status OUTPUT_VARIABLE out ERROR_VARIABLE err)
if(status EQUAL 0)
  message(FATAL_ERROR "wasmio-bench accepted a module computing something else:\n${out}")
endif()
if(NOT err MATCHES "crc32: smoke\\(\\): wasm checksum 0x[0-9a-f]+ != native 0x[0-9a-f]+")
  message(FATAL_ERROR "expected a checksum mismatch report, got:\n${err}")
endif()
message(STATUS "rejected as expected: ${err}")
