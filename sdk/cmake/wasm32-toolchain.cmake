# CMake toolchain file for projects that contain only wasmio drivers:
#   cmake -S drivers -B build -DCMAKE_TOOLCHAIN_FILE=<sdk>/cmake/wasm32-toolchain.cmake
# Stock Debian clang and wasm-ld, freestanding (no libc, no entry point). Inside a host project
# (such as wasmio itself) do not use it: WasmioDriver.cmake drives clang directly there.
set(CMAKE_SYSTEM_NAME Generic)
set(CMAKE_SYSTEM_PROCESSOR wasm32)

find_program(WASMIO_WASM_CLANG NAMES clang-14 clang REQUIRED)
find_program(WASMIO_WASM_LD NAMES wasm-ld-14 wasm-ld REQUIRED)
find_program(WASMIO_WASM_AR NAMES llvm-ar-14 llvm-ar REQUIRED)
find_program(WASMIO_WASM_RANLIB NAMES llvm-ranlib-14 llvm-ranlib REQUIRED)

set(CMAKE_C_COMPILER ${WASMIO_WASM_CLANG})
set(CMAKE_C_COMPILER_TARGET wasm32)
set(CMAKE_AR ${WASMIO_WASM_AR} CACHE FILEPATH "")
set(CMAKE_RANLIB ${WASMIO_WASM_RANLIB} CACHE FILEPATH "")
set(CMAKE_C_FLAGS_INIT "-ffreestanding")
set(CMAKE_EXE_LINKER_FLAGS_INIT "-nostdlib -fuse-ld=${WASMIO_WASM_LD} -Wl,--no-entry")
set(CMAKE_EXECUTABLE_SUFFIX_C ".wasm")
set(CMAKE_EXECUTABLE_SUFFIX ".wasm")
# There is no libc to link a test program against.
set(CMAKE_TRY_COMPILE_TARGET_TYPE STATIC_LIBRARY)

set(CMAKE_FIND_ROOT_PATH_MODE_PROGRAM NEVER)
set(CMAKE_FIND_ROOT_PATH_MODE_LIBRARY ONLY)
set(CMAKE_FIND_ROOT_PATH_MODE_INCLUDE ONLY)
