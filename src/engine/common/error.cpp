#include "wasmio/error.h"

namespace wasmio {
namespace {

struct ErrorInfo {
  Phase phase;
  const char* message;
};

constexpr ErrorInfo kErrorInfo[] = {
#define WASMIO_X(id, phase, msg) {Phase::phase, msg},
    WASMIO_ERROR_CODES(WASMIO_X)
#undef WASMIO_X
};

}  // namespace

const char* error_message(ErrorCode code) noexcept {
  return kErrorInfo[static_cast<unsigned>(code)].message;
}

Phase error_phase(ErrorCode code) noexcept { return kErrorInfo[static_cast<unsigned>(code)].phase; }

const char* phase_name(Phase phase) noexcept {
  switch (phase) {
    case Phase::kDecode: return "decode";
    case Phase::kValidate: return "validate";
    case Phase::kLink: return "link";
    case Phase::kInstantiate: return "instantiate";
    case Phase::kExecute: return "trap";
    case Phase::kEmbedder: return "embedder";
  }
  return "?";
}

}  // namespace wasmio
