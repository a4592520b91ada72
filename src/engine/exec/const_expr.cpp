#include "exec/const_expr.h"

#include <cstring>

#include "common/opcode_table.h"

namespace wasmio::detail {
namespace {

// A cursor over the expression's bytes; every read is bounds-checked so a corrupt expression
// cannot read past it even though validation already accepted it.
class Reader {
 public:
  Reader(const std::uint8_t* begin, const std::uint8_t* end) : p_(begin), end_(end) {}
  bool at_end() const { return p_ >= end_; }

  bool byte(std::uint8_t* out) {
    if (p_ >= end_) return false;
    *out = *p_++;
    return true;
  }
  bool u32(std::uint32_t* out) {
    std::uint64_t v = 0;
    if (!leb(32, false, &v)) return false;
    *out = static_cast<std::uint32_t>(v);
    return true;
  }
  bool s32(std::uint32_t* out) {
    std::uint64_t v = 0;
    if (!leb(32, true, &v)) return false;
    *out = static_cast<std::uint32_t>(v);
    return true;
  }
  bool s64(std::uint64_t* out) { return leb(64, true, out); }
  bool fixed(void* out, unsigned n) {
    if (static_cast<std::size_t>(end_ - p_) < n) return false;
    std::memcpy(out, p_, n);
    p_ += n;
    return true;
  }

 private:
  // LEB128 of at most `bits` bits; sign-extends when `is_signed`.
  bool leb(unsigned bits, bool is_signed, std::uint64_t* out) {
    std::uint64_t result = 0;
    unsigned shift = 0;
    std::uint8_t b = 0;
    const unsigned max_bytes = (bits + 6) / 7;
    for (unsigned i = 0;; ++i) {
      if (i >= max_bytes || !byte(&b)) return false;
      result |= static_cast<std::uint64_t>(b & 0x7F) << shift;
      shift += 7;
      if ((b & 0x80) == 0) break;
    }
    if (is_signed && shift < 64 && (b & 0x40) != 0) result |= ~std::uint64_t{0} << shift;
    *out = result;
    return true;
  }

  const std::uint8_t* p_;
  const std::uint8_t* end_;
};

constexpr std::uint8_t op(Opcode o) {
  return static_cast<std::uint8_t>(opcode_info(o).code);
}

}  // namespace

Expected<Value> evaluate_const_expr(std::span<const std::uint8_t> module_bytes, ConstExpr expr,
                                    const ConstExprScope& scope) noexcept {
  const auto fail = unexpected(ErrorCode::kConstantExpressionRequired, expr.offset);
  if (expr.offset > module_bytes.size() || expr.size > module_bytes.size() - expr.offset)
    return fail;
  Reader r(module_bytes.data() + expr.offset, module_bytes.data() + expr.offset + expr.size);

  std::uint8_t opcode = 0;
  if (!r.byte(&opcode)) return fail;
  Value result;
  if (opcode == op(Opcode::i32_const)) {
    std::uint32_t v = 0;
    if (!r.s32(&v)) return fail;
    result = Value::i32(v);
  } else if (opcode == op(Opcode::i64_const)) {
    std::uint64_t v = 0;
    if (!r.s64(&v)) return fail;
    result = Value::i64(v);
  } else if (opcode == op(Opcode::f32_const)) {
    std::uint32_t bits = 0;
    if (!r.fixed(&bits, 4)) return fail;
    result = Value::f32_bits(bits);  // bit pattern kept exactly (NaN payloads included)
  } else if (opcode == op(Opcode::f64_const)) {
    std::uint64_t bits = 0;
    if (!r.fixed(&bits, 8)) return fail;
    result = Value::f64_bits(bits);
  } else if (opcode == op(Opcode::ref_null)) {
    std::uint8_t type = 0;
    if (!r.byte(&type)) return fail;
    const auto t = static_cast<ValType>(type);
    if (!is_reftype(t)) return fail;
    result = Value::zero(t);
  } else if (opcode == op(Opcode::ref_func)) {
    std::uint32_t index = 0;
    if (!r.u32(&index) || index >= scope.functions.size()) return fail;
    result = Value::funcref(reinterpret_cast<RefWord>(scope.functions[index]));
  } else if (opcode == op(Opcode::global_get)) {
    std::uint32_t index = 0;
    if (!r.u32(&index) || index >= scope.globals.size() || scope.globals[index] == nullptr)
      return fail;
    result = global_value(*scope.globals[index]);
  } else {
    return fail;
  }
  std::uint8_t end = 0;
  if (!r.byte(&end) || end != op(Opcode::end) || !r.at_end()) return fail;
  return result;
}

Value global_value(const GlobalInstance& global) noexcept {
  Value v = Value::zero(global.type.type);
  switch (global.type.type) {
    case ValType::kI32:
    case ValType::kF32: {
      const auto bits = static_cast<std::uint32_t>(global.value[0]);
      std::memcpy(&v.of, &bits, 4);
      break;
    }
    case ValType::kI64:
    case ValType::kF64:
      std::memcpy(&v.of, &global.value[0], 8);
      break;
    case ValType::kFuncRef:
    case ValType::kExternRef:
      v.of.ref = static_cast<RefWord>(global.value[0]);
      break;
    case ValType::kV128:
      std::memcpy(&v.of, global.value, 16);
      break;
  }
  return v;
}

void set_global_value(GlobalInstance& global, const Value& value) noexcept {
  global.value[0] = 0;
  global.value[1] = 0;
  switch (value.type) {
    case ValType::kI32:
    case ValType::kF32: {
      std::uint32_t bits = 0;
      std::memcpy(&bits, &value.of, 4);
      global.value[0] = bits;  // zero-extended, as in an interpreter slot
      break;
    }
    case ValType::kI64:
    case ValType::kF64:
      std::memcpy(&global.value[0], &value.of, 8);
      break;
    case ValType::kFuncRef:
    case ValType::kExternRef:
      global.value[0] = value.of.ref;
      break;
    case ValType::kV128:
      std::memcpy(global.value, &value.of, 16);
      break;
  }
}

}  // namespace wasmio::detail
