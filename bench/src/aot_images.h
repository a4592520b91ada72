// The kernels' AOT images, compiled into wasmio-bench (bench/CMakeLists.txt generates the table).
#pragma once

#include <string_view>

#include "wasmio/engine.h"

namespace wasmio::bench {

// The image of bench_<kernel>.wasm, or nullptr.
const AotImage* aot_image(std::string_view kernel);

}  // namespace wasmio::bench
