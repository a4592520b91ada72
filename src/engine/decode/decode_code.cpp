// Code section (id 10): one body per defined function: local declarations, then the
// instructions, each walked once here so that later stages see only well-formed code.
#include "decode/read_types.h"
#include "decode/sections.h"
#include "decode/walk_expr.h"

namespace wasmio::detail {
namespace {

// Local declarations: groups of (count, type). The total is bounded by the format (2^32-1,
// "too many locals") and by this implementation (kMaxFunctionLocals).
Expected<void> read_locals(Module::Impl& m, ByteReader& body, FunctionBody& fn) {
  const std::uint32_t at = body.pos();
  WASMIO_TRY_ASSIGN(groups, body.count(2));
  fn.locals_begin = static_cast<std::uint32_t>(m.local_groups.size());
  fn.locals_count = groups;
  m.local_groups.reserve(m.local_groups.size() + groups);
  std::uint64_t total = 0;
  for (std::uint32_t i = 0; i < groups; ++i) {
    WASMIO_TRY_ASSIGN(n, body.u32());
    WASMIO_TRY_ASSIGN(type, read_valtype(body));
    total += n;
    m.local_groups.push_back(LocalGroup{n, type});
  }
  if (total > 0xFFFFFFFFull) return unexpected(ErrorCode::kTooManyLocals, at);
  if (total > kMaxFunctionLocals) return unexpected(ErrorCode::kImplementationLimit, at);
  fn.local_total = total;
  return {};
}

}  // namespace

Expected<void> decode_code_section(DecodeState& s, ByteReader& r) {
  Module::Impl& m = s.m;
  const std::uint32_t count_at = r.pos();
  WASMIO_TRY_ASSIGN(count, r.u32());
  if (count != s.declared_function_count) {
    return unexpected(ErrorCode::kFunctionAndCodeInconsistent, count_at);
  }
  s.has_code_section = true;
  m.bodies.reserve(count);
  ExprFacts facts;
  for (std::uint32_t i = 0; i < count; ++i) {
    const std::uint32_t size_at = r.pos();
    WASMIO_TRY_ASSIGN(size, r.u32());
    if (size > r.remaining()) {
      return unexpected(size > r.file_end() - r.pos() ? ErrorCode::kLengthOutOfBounds
                                                      : ErrorCode::kSectionSizeMismatch,
                        size_at);
    }
    FunctionBody fn;
    fn.body = ByteRange{r.pos(), size};
    const std::uint32_t body_end = r.pos() + size;
    ByteReader body = r.nested(r.pos(), body_end);
    const std::uint32_t function_index = m.imported_function_count + i;

    auto locals = read_locals(m, body, fn);
    if (!locals) return unexpected(locals.error().code, locals.error().offset, function_index);
    fn.code_offset = body.pos();

    auto walked = walk_expr(body, s.block_stack, facts);
    if (!walked) {
      Error e = walked.error();
      // Running out of the body while the section goes on: the body lacks its final `end`.
      if (body.at_end() && body_end < r.end() &&
          (e.code == ErrorCode::kSectionSizeMismatch ||
           e.code == ErrorCode::kUnexpectedEndOfSectionOrFunction)) {
        e.code = ErrorCode::kEndOpcodeExpected;
      }
      e.index = function_index;
      return Unexpected{e};
    }
    // Bytes after the final `end`: the body is larger than its code.
    if (!body.at_end()) {
      return unexpected(ErrorCode::kSectionSizeMismatch, body.pos(), function_index);
    }
    fn.code_end = body.pos();
    m.bodies.push_back(fn);
    r.skip_to(body_end);
  }
  s.code_uses_data_index = facts.uses_data_index;
  s.first_data_index_use = facts.first_data_index_use;
  return {};
}

}  // namespace wasmio::detail
