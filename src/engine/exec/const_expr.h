// Internal: evaluation of constant expressions (global initialisers, segment offsets, element
// expressions) during instantiation.
#pragma once

#include <span>

#include "exec/runtime.h"
#include "module_impl.h"
#include "wasmio/expected.h"

namespace wasmio::detail {

// What a constant expression may refer to: the instance's function index space (ref.func) and
// the globals initialised so far (global.get; imports come first, so Wasm 2.0's "imported
// globals only" rule is a prefix of this span).
struct ConstExprScope {
  std::span<FunctionInstance* const> functions;
  std::span<GlobalInstance* const> globals;
};

// Evaluates `expr` (bytes of `module`, ending with `end`). The module has been validated, so the
// expression is one of t.const, ref.null, ref.func, global.get followed by `end`; anything else
// is reported as kConstantExpressionRequired rather than trusted.
Expected<Value> evaluate_const_expr(std::span<const std::uint8_t> module_bytes, ConstExpr expr,
                                    const ConstExprScope& scope) noexcept;

// A value held in a global's untyped words, boxed with its type.
Value global_value(const GlobalInstance& global) noexcept;
// Stores `value` into the global's words (the layout the interpreter reads).
void set_global_value(GlobalInstance& global, const Value& value) noexcept;

}  // namespace wasmio::detail
