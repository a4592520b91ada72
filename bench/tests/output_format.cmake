# The report lines are parsed by scripts: check their fixed formats (never the numbers' size).
# Two quick kernels, one run each, so this stays cheap.
# cmake -DBENCH=<wasmio-bench> -P this
execute_process(COMMAND ${BENCH} --reps 1 --kernel crc32 --kernel hostcall
                RESULT_VARIABLE status OUTPUT_VARIABLE out ERROR_VARIABLE err)
if(NOT status EQUAL 0)
  message(FATAL_ERROR "wasmio-bench failed (${status}):\n${out}${err}")
endif()
set(num "[0-9]+\\.[0-9]+")
string(REGEX REPLACE "\n$" "" out "${out}")
string(REPLACE ";" "," out "${out}")  # a list separator in a comment line
string(REPLACE "\n" ";" lines "${out}")
set(expected
  "^# "
  "^crc32 ${num} ${num} ${num}$"
  "^hostcall ${num} ${num} ${num}$"
  "^load crc32 load_s=${num} instantiate_s=${num} bytes=[0-9]+$"
  "^load hostcall load_s=${num} instantiate_s=${num} bytes=[0-9]+$"
  "^hostcall ns_per_call wasm=${num} native=${num}$"
  "^aot crc32 ${num} ${num} ${num}$"
  "^aot hostcall ${num} ${num} ${num}$"
  "^aot geomean ${num}$"
  "^geomean ratio ${num}$")
list(LENGTH lines got)
list(LENGTH expected want)
if(NOT got EQUAL want)
  message(FATAL_ERROR "expected ${want} lines, got ${got}:\n${out}")
endif()
math(EXPR last "${want} - 1")
foreach(i RANGE 0 ${last})
  list(GET lines ${i} line)
  list(GET expected ${i} pattern)
  if(NOT line MATCHES "${pattern}")
    message(FATAL_ERROR "line ${i} '${line}' does not match '${pattern}'")
  endif()
endforeach()
