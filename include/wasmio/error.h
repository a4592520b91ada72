// Error values of the whole engine: one table names every error, its phase and its message.
// Messages equal the WebAssembly spec test suite's expected texts where the suite has one, so a
// conformance run can compare them literally.
#pragma once

#include <cstdint>

namespace wasmio {

// Which stage produced an error. The order is the pipeline order.
enum class Phase : std::uint8_t {
  kDecode,       // bytes -> module structure ("malformed" in the spec's words)
  kValidate,     // typing rules ("invalid")
  kLink,         // import resolution and import type matching ("unlinkable")
  kInstantiate,  // segment initialisation, start function ("uninstantiable")
  kExecute,      // traps while running
  kEmbedder,     // misuse of the API by the embedder (wrong argument count, ...)
};

// X(Identifier, Phase, "message")
// The single source of truth for error codes. Keep messages equal to the spec suite's texts.
#define WASMIO_ERROR_CODES(X)                                                                      \
  /* decode (malformed) */                                                                         \
  X(kMagicHeaderNotDetected, kDecode, "magic header not detected")                                 \
  X(kUnknownBinaryVersion, kDecode, "unknown binary version")                                      \
  X(kUnexpectedEnd, kDecode, "unexpected end")                                                     \
  X(kUnexpectedEndOfSectionOrFunction, kDecode, "unexpected end of section or function")          \
  X(kSectionSizeMismatch, kDecode, "section size mismatch")                                        \
  X(kMalformedSectionId, kDecode, "malformed section id")                                          \
  X(kJunkAfterLastSection, kDecode, "unexpected content after last section")                      \
  X(kIntegerTooLarge, kDecode, "integer too large")                                                \
  X(kIntegerRepresentationTooLong, kDecode, "integer representation too long")                    \
  X(kMalformedUtf8, kDecode, "malformed UTF-8 encoding")                                           \
  X(kZeroByteExpected, kDecode, "zero byte expected")                                              \
  X(kMalformedImportKind, kDecode, "malformed import kind")                                        \
  X(kMalformedExportKind, kDecode, "malformed export kind")                                        \
  X(kMalformedMutability, kDecode, "malformed mutability")                                         \
  X(kMalformedReferenceType, kDecode, "malformed reference type")                                  \
  X(kMalformedValueType, kDecode, "malformed value type")                                          \
  X(kMalformedFunctionType, kDecode, "malformed function type")                                    \
  X(kMalformedLimits, kDecode, "malformed limits flags")                                           \
  X(kMalformedPageSize, kDecode, "invalid custom page size")                                       \
  X(kMalformedElementKind, kDecode, "malformed element kind")                                      \
  X(kMalformedSegmentFlags, kDecode, "malformed segment flags")                                    \
  X(kFunctionAndCodeInconsistent, kDecode, "function and code section have inconsistent lengths")  \
  X(kDataCountAndDataInconsistent, kDecode,                                                        \
    "data count and data section have inconsistent lengths")                                       \
  X(kDataCountRequired, kDecode, "data count section required")                                    \
  X(kLengthOutOfBounds, kDecode, "length out of bounds")                                           \
  X(kTooManyLocals, kDecode, "too many locals")                                                    \
  X(kEndOpcodeExpected, kDecode, "END opcode expected")                                            \
  X(kIllegalOpcode, kDecode, "illegal opcode")                                                     \
  X(kDuplicateSection, kDecode, "unexpected content after last section")                          \
  X(kImplementationLimit, kDecode, "implementation limit exceeded")                                \
  /* validate (invalid) */                                                                         \
  X(kTypeMismatch, kValidate, "type mismatch")                                                     \
  X(kAlignmentTooLarge, kValidate, "alignment must not be larger than natural")                    \
  X(kConstantExpressionRequired, kValidate, "constant expression required")                        \
  X(kUnknownGlobal, kValidate, "unknown global")                                                   \
  X(kUnknownLocal, kValidate, "unknown local")                                                     \
  X(kUnknownLabel, kValidate, "unknown label")                                                     \
  X(kUnknownMemory, kValidate, "unknown memory")                                                   \
  X(kUnknownTable, kValidate, "unknown table")                                                     \
  X(kUnknownFunction, kValidate, "unknown function")                                               \
  X(kUnknownType, kValidate, "unknown type")                                                       \
  X(kUnknownDataSegment, kValidate, "unknown data segment")                                        \
  X(kUnknownElemSegment, kValidate, "unknown elem segment")                                        \
  X(kDuplicateExportName, kValidate, "duplicate export name")                                      \
  X(kInvalidPageSize, kValidate, "invalid custom page size")                                       \
  X(kMemorySizeTooLarge, kValidate, "memory size must be at most 65536 pages (4GiB)")              \
  X(kTableSizeTooLarge, kValidate, "table size must be at most 2^32-1")                            \
  X(kMultipleMemories, kValidate, "multiple memories")                                             \
  X(kLimitsMinGreaterThanMax, kValidate, "size minimum must not be greater than maximum")          \
  X(kGlobalIsImmutable, kValidate, "global is immutable")                                          \
  X(kUndeclaredFunctionReference, kValidate, "undeclared function reference")                     \
  X(kStartFunction, kValidate, "start function")                                                   \
  X(kInvalidResultArity, kValidate, "invalid result arity")                                        \
  /* link (unlinkable) */                                                                          \
  X(kUnknownImport, kLink, "unknown import")                                                       \
  X(kIncompatibleImportType, kLink, "incompatible import type")                                    \
  /* instantiate: resource limits chosen by the embedder */                                        \
  X(kMemoryLimitExceeded, kInstantiate, "memory exceeds the instance limit")                       \
  X(kTableLimitExceeded, kInstantiate, "table exceeds the instance limit")                         \
  X(kOutOfHostMemory, kInstantiate, "out of host memory")                                          \
  /* execute (traps) */                                                                            \
  X(kUnreachable, kExecute, "unreachable")                                                         \
  X(kIntegerDivideByZero, kExecute, "integer divide by zero")                                      \
  X(kIntegerOverflow, kExecute, "integer overflow")                                                \
  X(kInvalidConversionToInteger, kExecute, "invalid conversion to integer")                        \
  X(kOutOfBoundsMemoryAccess, kExecute, "out of bounds memory access")                             \
  X(kOutOfBoundsTableAccess, kExecute, "out of bounds table access")                               \
  X(kUndefinedElement, kExecute, "undefined element")                                              \
  X(kUninitializedElement, kExecute, "uninitialized element")                                      \
  X(kIndirectCallTypeMismatch, kExecute, "indirect call type mismatch")                            \
  X(kCallStackExhausted, kExecute, "call stack exhausted")                                         \
  X(kFuelExhausted, kExecute, "fuel exhausted")                                                    \
  X(kStopped, kExecute, "execution stopped by request")                                            \
  X(kHostTrap, kExecute, "host function trapped")                                                  \
  X(kAccessViolation, kExecute, "access outside granted windows")                                  \
  /* embedder */                                                                                   \
  X(kArgumentMismatch, kEmbedder, "argument count or type mismatch")                               \
  X(kNotResumable, kEmbedder, "execution is not suspended")                                        \
  X(kBusy, kEmbedder, "execution is already running")                                              \
  X(kExportNotFound, kEmbedder, "export not found")                                               \
  X(kStartSuspended, kEmbedder, "start function suspended with no execution to resume it")       \
  X(kNativeAbiMismatch, kEmbedder, "native code was built for another engine ABI")                 \
  X(kNativeModuleMismatch, kEmbedder, "native code was built from other module bytes")

enum class ErrorCode : std::uint16_t {
#define WASMIO_X(id, phase, msg) id,
  WASMIO_ERROR_CODES(WASMIO_X)
#undef WASMIO_X
};

// The spec text of an error code.
const char* error_message(ErrorCode code) noexcept;
// The phase an error code belongs to.
Phase error_phase(ErrorCode code) noexcept;
const char* phase_name(Phase phase) noexcept;

// An error as a value: what went wrong (code, which implies phase and message) and where.
// `offset` is a byte offset into the module binary for decode/validate errors, the offset of the
// trapping instruction in its function body for traps; `index` is a function, import or segment
// index when one is known (kNoIndex otherwise). The trap backtrace lives in the Execution.
struct Error {
  static constexpr std::uint32_t kNoIndex = 0xFFFFFFFFu;

  ErrorCode code = ErrorCode::kUnreachable;
  std::uint32_t offset = 0;
  std::uint32_t index = kNoIndex;

  Phase phase() const noexcept { return error_phase(code); }
  const char* message() const noexcept { return error_message(code); }
};

inline Error make_error(ErrorCode code, std::uint32_t offset = 0,
                        std::uint32_t index = Error::kNoIndex) noexcept {
  return Error{code, offset, index};
}

}  // namespace wasmio
