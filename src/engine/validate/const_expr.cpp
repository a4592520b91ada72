// Constant expressions (spec 3.3.10): the Wasm 2.0 constant instructions, typed to one value.
#include "decode/instr_reader.h"
#include "validate/context.h"

namespace wasmio::detail {

Expected<void> validate_const_expr(const ValidationContext& c, ConstExpr expr, ValType expected) {
  ByteReader r = ByteReader(c.m.bytes).nested(expr.offset, expr.offset + expr.size);
  // Constant instructions never pop, so the stack is just the list of values pushed.
  ValType produced = ValType::kI32;
  std::uint32_t produced_count = 0;
  for (;;) {
    WASMIO_TRY_ASSIGN(in, read_instr(r));
    ValType t{};
    switch (in.op) {
      case Opcode::i32_const: t = ValType::kI32; break;
      case Opcode::i64_const: t = ValType::kI64; break;
      case Opcode::f32_const: t = ValType::kF32; break;
      case Opcode::f64_const: t = ValType::kF64; break;
      case Opcode::ref_null: t = in.type; break;
      case Opcode::ref_func:
        if (in.index >= c.function_count()) {
          return unexpected(ErrorCode::kUnknownFunction, in.offset);
        }
        t = ValType::kFuncRef;
        break;
      case Opcode::global_get: {
        // Only imported globals are visible to constant expressions, and only immutable ones
        // are constant.
        if (in.index >= c.m.imported_global_count) {
          return unexpected(ErrorCode::kUnknownGlobal, in.offset);
        }
        const GlobalType& g = c.m.globals[in.index].type;
        if (g.mutable_) return unexpected(ErrorCode::kConstantExpressionRequired, in.offset);
        t = g.type;
        break;
      }
      case Opcode::end:
        if (produced_count != 1 || produced != expected) {
          return unexpected(ErrorCode::kTypeMismatch, in.offset);
        }
        return {};
      default:
        return unexpected(ErrorCode::kConstantExpressionRequired, in.offset);
    }
    produced = t;
    ++produced_count;
  }
}

}  // namespace wasmio::detail
