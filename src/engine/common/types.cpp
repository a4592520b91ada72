// The small free functions of wasmio/types.h.
#include "wasmio/types.h"

namespace wasmio {

const char* valtype_name(ValType t) noexcept {
  switch (t) {
    case ValType::kI32: return "i32";
    case ValType::kI64: return "i64";
    case ValType::kF32: return "f32";
    case ValType::kF64: return "f64";
    case ValType::kV128: return "v128";
    case ValType::kFuncRef: return "funcref";
    case ValType::kExternRef: return "externref";
  }
  return "?";
}

const char* extern_kind_name(ExternKind k) noexcept {
  switch (k) {
    case ExternKind::kFunction: return "func";
    case ExternKind::kTable: return "table";
    case ExternKind::kMemory: return "memory";
    case ExternKind::kGlobal: return "global";
  }
  return "?";
}

bool operator==(const FuncType& a, const FuncType& b) noexcept {
  if (a.params.size() != b.params.size() || a.results.size() != b.results.size()) return false;
  for (std::size_t i = 0; i < a.params.size(); ++i) {
    if (a.params[i] != b.params[i]) return false;
  }
  for (std::size_t i = 0; i < a.results.size(); ++i) {
    if (a.results[i] != b.results[i]) return false;
  }
  return true;
}

}  // namespace wasmio
