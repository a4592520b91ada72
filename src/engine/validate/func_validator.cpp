#include "validate/func_validator.h"

#include "validate/signatures.h"

namespace wasmio::detail {
namespace {

// Storage for the result type of single-value block types.
constexpr ValType kSingleTypes[] = {ValType::kI32,     ValType::kI64,       ValType::kF32,
                                    ValType::kF64,     ValType::kFuncRef,   ValType::kExternRef};

std::span<const ValType> single_type(ValType t) {
  for (const ValType& s : kSingleTypes) {
    if (s == t) return std::span<const ValType>(&s, 1);
  }
  return {};
}

bool is_num_or_unknown(std::uint8_t t) {
  return t == 0 || is_numtype(static_cast<ValType>(t));
}

}  // namespace

Expected<std::uint8_t> FunctionValidator::pop_any() {
  const Frame& f = frames_.back();
  if (vals_.size() == f.height) {
    if (f.unreachable) return kUnknown;
    return Unexpected{error(ErrorCode::kTypeMismatch)};
  }
  const std::uint8_t t = vals_.back();
  vals_.pop_back();
  return t;
}

Expected<std::uint8_t> FunctionValidator::pop(ValType expected) {
  WASMIO_TRY_ASSIGN(actual, pop_any());
  const auto e = static_cast<std::uint8_t>(expected);
  if (actual != e && actual != kUnknown) return Unexpected{error(ErrorCode::kTypeMismatch)};
  return actual;  // kUnknown stays unknown (br_table re-pushes what it popped)
}

Expected<void> FunctionValidator::pop_vals(std::span<const ValType> types) {
  for (std::size_t i = types.size(); i-- > 0;) {
    WASMIO_TRY(pop(types[i]));
  }
  return {};
}

void FunctionValidator::push_frame(Opcode op, std::span<const ValType> params,
                                   std::span<const ValType> results) {
  frames_.push_back(Frame{op, params, results, static_cast<std::uint32_t>(vals_.size()), false});
  push_vals(params);
}

Expected<FunctionValidator::Frame> FunctionValidator::pop_frame() {
  const Frame f = frames_.back();
  WASMIO_TRY(pop_vals(f.results));
  if (vals_.size() != f.height) return Unexpected{error(ErrorCode::kTypeMismatch)};
  frames_.pop_back();
  return f;
}

void FunctionValidator::set_unreachable() {
  Frame& f = frames_.back();
  vals_.resize(f.height);
  f.unreachable = true;
}

Expected<void> FunctionValidator::block_types(const BlockType& bt,
                                              std::span<const ValType>& params,
                                              std::span<const ValType>& results) const {
  switch (bt.kind) {
    case BlockTypeKind::kEmpty:
      params = {};
      results = {};
      return {};
    case BlockTypeKind::kValue:
      params = {};
      results = single_type(bt.value);
      return {};
    case BlockTypeKind::kTypeIndex:
      if (bt.type_index >= c_.type_count()) return Unexpected{error(ErrorCode::kUnknownType)};
      params = c_.m.types[bt.type_index].params;
      results = c_.m.types[bt.type_index].results;
      return {};
  }
  return {};
}

// Index and alignment checks of the instructions with fixed signatures, by immediate kind.
Expected<void> FunctionValidator::check_immediates(const Instr& in) {
  const OpcodeInfo& info = opcode_info(in.op);
  switch (info.imm) {
    case ImmKind::kMemArg:
      if (c_.memory_count() == 0) return Unexpected{error(ErrorCode::kUnknownMemory)};
      // 2^align must not exceed the access size.
      if (in.align >= 8 || (1u << in.align) > info.access_bytes) {
        return Unexpected{error(ErrorCode::kAlignmentTooLarge)};
      }
      return {};
    case ImmKind::kMemIdx:
    case ImmKind::kMemCopy:
      if (c_.memory_count() == 0) return Unexpected{error(ErrorCode::kUnknownMemory)};
      return {};
    case ImmKind::kMemInit:
      if (c_.memory_count() == 0) return Unexpected{error(ErrorCode::kUnknownMemory)};
      [[fallthrough]];
    case ImmKind::kDataIdx:
      if (in.index >= c_.data_segment_count) {
        return Unexpected{error(ErrorCode::kUnknownDataSegment)};
      }
      return {};
    case ImmKind::kTable:
      if (in.index >= c_.table_count()) return Unexpected{error(ErrorCode::kUnknownTable)};
      return {};
    case ImmKind::kElemIdx:
      if (in.index >= c_.elem_count()) return Unexpected{error(ErrorCode::kUnknownElemSegment)};
      return {};
    case ImmKind::kTableInit: {
      // table.init elem table
      if (in.index2 >= c_.table_count()) return Unexpected{error(ErrorCode::kUnknownTable)};
      if (in.index >= c_.elem_count()) return Unexpected{error(ErrorCode::kUnknownElemSegment)};
      if (c_.m.tables[in.index2].element != c_.m.elem_segments[in.index].type) {
        return Unexpected{error(ErrorCode::kTypeMismatch)};
      }
      return {};
    }
    case ImmKind::kTableCopy: {
      // table.copy destination source
      if (in.index >= c_.table_count() || in.index2 >= c_.table_count()) {
        return Unexpected{error(ErrorCode::kUnknownTable)};
      }
      if (c_.m.tables[in.index].element != c_.m.tables[in.index2].element) {
        return Unexpected{error(ErrorCode::kTypeMismatch)};
      }
      return {};
    }
    default:
      return {};
  }
}

Expected<void> FunctionValidator::step(const Instr& in, const ByteReader& body) {
  at_ = in.offset;
  const Signature& sig = signature(in.op);
  if (sig.fixed()) {
    WASMIO_TRY(check_immediates(in));
    ValType params[3] = {};
    for (unsigned i = 0; i < sig.param_count(); ++i) params[i] = sig.param(i);
    WASMIO_TRY(pop_vals(std::span<const ValType>(params, sig.param_count())));
    if (sig.result_count() != 0) push(sig.result());
    return {};
  }

  switch (in.op) {
    case Opcode::unreachable:
      set_unreachable();
      return {};
    case Opcode::block:
    case Opcode::loop:
    case Opcode::if_: {
      std::span<const ValType> params, results;
      WASMIO_TRY(block_types(in.block, params, results));
      if (in.op == Opcode::if_) WASMIO_TRY(pop(ValType::kI32));
      WASMIO_TRY(pop_vals(params));
      push_frame(in.op, params, results);
      return {};
    }
    case Opcode::else_: {
      // The decoder guarantees the innermost frame is an `if` without an else yet.
      WASMIO_TRY_ASSIGN(f, pop_frame());
      push_frame(Opcode::else_, f.params, f.results);
      return {};
    }
    case Opcode::end: {
      if (frames_.back().op == Opcode::if_) {
        // `if` without `else`: the missing else-arm passes the parameters through.
        WASMIO_TRY_ASSIGN(f, pop_frame());
        push_frame(Opcode::else_, f.params, f.results);
      }
      WASMIO_TRY_ASSIGN(f, pop_frame());
      push_vals(f.results);
      return {};
    }
    case Opcode::br: {
      if (in.index >= frames_.size()) return Unexpected{error(ErrorCode::kUnknownLabel)};
      WASMIO_TRY(pop_vals(label_types(frames_[frames_.size() - 1 - in.index])));
      set_unreachable();
      return {};
    }
    case Opcode::br_if: {
      if (in.index >= frames_.size()) return Unexpected{error(ErrorCode::kUnknownLabel)};
      WASMIO_TRY(pop(ValType::kI32));
      const auto types = label_types(frames_[frames_.size() - 1 - in.index]);
      WASMIO_TRY(pop_vals(types));
      push_vals(types);
      return {};
    }
    case Opcode::br_table: {
      WASMIO_TRY(pop(ValType::kI32));
      if (in.index >= frames_.size()) return Unexpected{error(ErrorCode::kUnknownLabel)};
      const auto default_types = label_types(frames_[frames_.size() - 1 - in.index]);
      ByteReader targets = br_table_targets(body, in);
      std::span<const ValType> checked;  // the label types last checked against the operands
      for (std::uint32_t i = 0; i < in.count; ++i) {
        WASMIO_TRY_ASSIGN(label, targets.u32());
        if (label >= frames_.size()) return Unexpected{error(ErrorCode::kUnknownLabel)};
        const auto types = label_types(frames_[frames_.size() - 1 - label]);
        if (types.size() != default_types.size()) {
          return Unexpected{error(ErrorCode::kTypeMismatch)};
        }
        // Checking the same types again cannot change the outcome; skipping keeps long tables
        // of repeated labels linear.
        if (types.data() == checked.data() && types.size() == checked.size()) continue;
        checked = types;
        // Check the operands against this label without consuming them.
        scratch_.clear();
        for (std::size_t k = types.size(); k-- > 0;) {
          WASMIO_TRY_ASSIGN(t, pop(types[k]));
          scratch_.push_back(t);
        }
        for (std::size_t k = scratch_.size(); k-- > 0;) push(scratch_[k]);
      }
      WASMIO_TRY(pop_vals(default_types));
      set_unreachable();
      return {};
    }
    case Opcode::return_:
      WASMIO_TRY(pop_vals(function_results_));
      set_unreachable();
      return {};
    case Opcode::call: {
      if (in.index >= c_.function_count()) return Unexpected{error(ErrorCode::kUnknownFunction)};
      const FuncType& ft = c_.m.types[c_.m.function_types[in.index]];
      WASMIO_TRY(pop_vals(ft.params));
      push_vals(ft.results);
      return {};
    }
    case Opcode::call_indirect: {
      if (in.index2 >= c_.table_count()) return Unexpected{error(ErrorCode::kUnknownTable)};
      if (in.index >= c_.type_count()) return Unexpected{error(ErrorCode::kUnknownType)};
      if (c_.m.tables[in.index2].element != ValType::kFuncRef) {
        return Unexpected{error(ErrorCode::kTypeMismatch)};
      }
      const FuncType& ft = c_.m.types[in.index];
      WASMIO_TRY(pop(ValType::kI32));
      WASMIO_TRY(pop_vals(ft.params));
      push_vals(ft.results);
      return {};
    }
    case Opcode::drop:
      WASMIO_TRY(pop_any());
      return {};
    case Opcode::select: {
      WASMIO_TRY(pop(ValType::kI32));
      WASMIO_TRY_ASSIGN(t1, pop_any());
      WASMIO_TRY_ASSIGN(t2, pop_any());
      // Untyped select is for number types only.
      if (!is_num_or_unknown(t1) || !is_num_or_unknown(t2)) {
        return Unexpected{error(ErrorCode::kTypeMismatch)};
      }
      if (t1 != t2 && t1 != kUnknown && t2 != kUnknown) {
        return Unexpected{error(ErrorCode::kTypeMismatch)};
      }
      push(t1 == kUnknown ? t2 : t1);
      return {};
    }
    case Opcode::select_t: {
      if (in.count != 1) return Unexpected{error(ErrorCode::kInvalidResultArity)};
      WASMIO_TRY(pop(ValType::kI32));
      WASMIO_TRY(pop(in.type));
      WASMIO_TRY(pop(in.type));
      push(in.type);
      return {};
    }
    case Opcode::local_get:
    case Opcode::local_set:
    case Opcode::local_tee: {
      if (in.index >= locals_.size()) return Unexpected{error(ErrorCode::kUnknownLocal)};
      const ValType t = locals_[in.index];
      if (in.op != Opcode::local_get) WASMIO_TRY(pop(t));
      if (in.op != Opcode::local_set) push(t);
      return {};
    }
    case Opcode::global_get:
    case Opcode::global_set: {
      if (in.index >= c_.global_count()) return Unexpected{error(ErrorCode::kUnknownGlobal)};
      const GlobalType& g = c_.m.globals[in.index].type;
      if (in.op == Opcode::global_get) {
        push(g.type);
      } else {
        if (!g.mutable_) return Unexpected{error(ErrorCode::kGlobalIsImmutable)};
        WASMIO_TRY(pop(g.type));
      }
      return {};
    }
    case Opcode::table_get:
    case Opcode::table_set:
    case Opcode::table_grow:
    case Opcode::table_fill: {
      if (in.index >= c_.table_count()) return Unexpected{error(ErrorCode::kUnknownTable)};
      const ValType t = c_.m.tables[in.index].element;
      switch (in.op) {
        case Opcode::table_get:  // [i32] -> [t]
          WASMIO_TRY(pop(ValType::kI32));
          push(t);
          break;
        case Opcode::table_set:  // [i32 t] -> []
          WASMIO_TRY(pop(t));
          WASMIO_TRY(pop(ValType::kI32));
          break;
        case Opcode::table_grow:  // [t i32] -> [i32]
          WASMIO_TRY(pop(ValType::kI32));
          WASMIO_TRY(pop(t));
          push(ValType::kI32);
          break;
        default:  // table.fill [i32 t i32] -> []
          WASMIO_TRY(pop(ValType::kI32));
          WASMIO_TRY(pop(t));
          WASMIO_TRY(pop(ValType::kI32));
          break;
      }
      return {};
    }
    case Opcode::ref_null:
      push(in.type);
      return {};
    case Opcode::ref_is_null: {
      WASMIO_TRY_ASSIGN(t, pop_any());
      if (t != kUnknown && !is_reftype(static_cast<ValType>(t))) {
        return Unexpected{error(ErrorCode::kTypeMismatch)};
      }
      push(ValType::kI32);
      return {};
    }
    case Opcode::ref_func:
      if (in.index >= c_.function_count()) return Unexpected{error(ErrorCode::kUnknownFunction)};
      if (!c_.declared_functions[in.index]) {
        return Unexpected{error(ErrorCode::kUndeclaredFunctionReference)};
      }
      push(ValType::kFuncRef);
      return {};
    default:
      // Every "*" instruction of the opcode table is handled above.
      return Unexpected{error(ErrorCode::kIllegalOpcode)};
  }
}

Expected<void> FunctionValidator::validate(std::uint32_t defined_index) {
  const Module::Impl& m = c_.m;
  const FunctionBody& fn = m.bodies[defined_index];
  function_index_ = m.imported_function_count + defined_index;
  at_ = fn.body.offset;
  const std::uint32_t type_index = m.function_types[function_index_];
  if (type_index >= c_.type_count()) return Unexpected{error(ErrorCode::kUnknownType)};
  const FuncType& type = m.types[type_index];

  locals_.clear();
  locals_.insert(locals_.end(), type.params.begin(), type.params.end());
  for (std::uint32_t g = 0; g < fn.locals_count; ++g) {
    const LocalGroup& group = m.local_groups[fn.locals_begin + g];
    locals_.insert(locals_.end(), group.count, group.type);
  }

  vals_.clear();
  frames_.clear();
  function_results_ = type.results;
  frames_.push_back(Frame{Opcode::end, {}, type.results, 0, false});

  ByteReader body = ByteReader(m.bytes).nested(fn.code_offset, fn.code_end);
  Instr in;
  while (!frames_.empty()) {
    WASMIO_TRY(read_instr_into(body, in));
    WASMIO_TRY(step(in, body));
    // One instruction pushes a bounded number of values, so checking after each keeps the
    // stack within the limit plus one instruction's results.
    if (vals_.size() > kMaxOperandStackHeight) {
      return Unexpected{error(ErrorCode::kImplementationLimit)};
    }
  }
  return {};
}

}  // namespace wasmio::detail
