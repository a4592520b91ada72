// Reading a .wasm file and loading it, with the CLI's error reporting.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "wasmio/engine.h"

namespace wasmio::cli {

// Reads the whole file; on failure prints "wasmio: cannot read FILE: reason" to stderr.
bool read_module_file(const std::string& path, std::vector<std::uint8_t>* bytes);

// "decode error at byte 0x8: magic header not detected"; the offset only for decode/validate.
std::string describe_load_error(const Error& error);

// Reads and loads `path` up to `stage`; on failure prints the reason to stderr and returns
// nullptr. The module keeps its own copy of the bytes.
std::unique_ptr<Module> load_module_file(const std::string& path, LoadStage stage);

}  // namespace wasmio::cli
