// The single source of truth for Wasm instructions (non-SIMD Wasm 2.0).
//
// X(Ident, "text name", prefix, code, Immediate, "signature", access_bytes)
//   prefix       0x00 for one-byte opcodes, 0xFC for the misc prefix (code is then a LEB u32)
//   Immediate    how the immediates are encoded (ImmKind)
//   signature    "params:results" with i=i32 l=i64 f=f32 d=f64, for instructions whose typing is
//                fixed; "*" for instructions the validator types by hand (control, variables,
//                references, tables, polymorphic ones)
//   access_bytes the natural access size of loads and stores (the alignment bound); 0 otherwise
//
// The decoder's instruction reader, the validator (fixed signatures, alignment), the lowerer
// (which internal operation a plain instruction becomes) and the disassembly names all come from
// this table. Idents equal the text names with '.' -> '_' (and a trailing '_' for C++ keywords),
// so every instruction stays greppable.
#pragma once

#include <cstdint>

namespace wasmio::detail {

enum class ImmKind : std::uint8_t {
  kNone,
  kBlockType,     // blocktype: 0x40 | valtype | s33 type index
  kLabel,         // labelidx
  kBrTable,       // vec(labelidx) labelidx
  kFunc,          // funcidx
  kCallIndirect,  // typeidx tableidx
  kLocal,         // localidx
  kGlobal,        // globalidx
  kTable,         // tableidx
  kMemArg,        // align:u32 offset:u32
  kMemIdx,        // a single 0x00 byte (memory index 0)
  kI32,           // i32 (signed LEB)
  kI64,           // i64 (signed LEB)
  kF32,           // 4 bytes little-endian
  kF64,           // 8 bytes little-endian
  kSelectT,       // vec(valtype)
  kRefType,       // reftype byte
  kDataIdx,       // dataidx
  kMemInit,       // dataidx 0x00
  kMemCopy,       // 0x00 0x00
  kElemIdx,       // elemidx
  kTableInit,     // elemidx tableidx
  kTableCopy,     // tableidx tableidx
};

#define WASMIO_OPCODES(X) \
  X(unreachable, "unreachable", 0x00, 0x00, kNone, "*", 0) \
  X(nop, "nop", 0x00, 0x01, kNone, ":", 0) \
  X(block, "block", 0x00, 0x02, kBlockType, "*", 0) \
  X(loop, "loop", 0x00, 0x03, kBlockType, "*", 0) \
  X(if_, "if", 0x00, 0x04, kBlockType, "*", 0) \
  X(else_, "else", 0x00, 0x05, kNone, "*", 0) \
  X(end, "end", 0x00, 0x0B, kNone, "*", 0) \
  X(br, "br", 0x00, 0x0C, kLabel, "*", 0) \
  X(br_if, "br_if", 0x00, 0x0D, kLabel, "*", 0) \
  X(br_table, "br_table", 0x00, 0x0E, kBrTable, "*", 0) \
  X(return_, "return", 0x00, 0x0F, kNone, "*", 0) \
  X(call, "call", 0x00, 0x10, kFunc, "*", 0) \
  X(call_indirect, "call_indirect", 0x00, 0x11, kCallIndirect, "*", 0) \
  X(drop, "drop", 0x00, 0x1A, kNone, "*", 0) \
  X(select, "select", 0x00, 0x1B, kNone, "*", 0) \
  X(select_t, "select", 0x00, 0x1C, kSelectT, "*", 0) \
  X(local_get, "local.get", 0x00, 0x20, kLocal, "*", 0) \
  X(local_set, "local.set", 0x00, 0x21, kLocal, "*", 0) \
  X(local_tee, "local.tee", 0x00, 0x22, kLocal, "*", 0) \
  X(global_get, "global.get", 0x00, 0x23, kGlobal, "*", 0) \
  X(global_set, "global.set", 0x00, 0x24, kGlobal, "*", 0) \
  X(table_get, "table.get", 0x00, 0x25, kTable, "*", 0) \
  X(table_set, "table.set", 0x00, 0x26, kTable, "*", 0) \
  X(i32_load, "i32.load", 0x00, 0x28, kMemArg, "i:i", 4) \
  X(i64_load, "i64.load", 0x00, 0x29, kMemArg, "i:l", 8) \
  X(f32_load, "f32.load", 0x00, 0x2A, kMemArg, "i:f", 4) \
  X(f64_load, "f64.load", 0x00, 0x2B, kMemArg, "i:d", 8) \
  X(i32_load8_s, "i32.load8_s", 0x00, 0x2C, kMemArg, "i:i", 1) \
  X(i32_load8_u, "i32.load8_u", 0x00, 0x2D, kMemArg, "i:i", 1) \
  X(i32_load16_s, "i32.load16_s", 0x00, 0x2E, kMemArg, "i:i", 2) \
  X(i32_load16_u, "i32.load16_u", 0x00, 0x2F, kMemArg, "i:i", 2) \
  X(i64_load8_s, "i64.load8_s", 0x00, 0x30, kMemArg, "i:l", 1) \
  X(i64_load8_u, "i64.load8_u", 0x00, 0x31, kMemArg, "i:l", 1) \
  X(i64_load16_s, "i64.load16_s", 0x00, 0x32, kMemArg, "i:l", 2) \
  X(i64_load16_u, "i64.load16_u", 0x00, 0x33, kMemArg, "i:l", 2) \
  X(i64_load32_s, "i64.load32_s", 0x00, 0x34, kMemArg, "i:l", 4) \
  X(i64_load32_u, "i64.load32_u", 0x00, 0x35, kMemArg, "i:l", 4) \
  X(i32_store, "i32.store", 0x00, 0x36, kMemArg, "ii:", 4) \
  X(i64_store, "i64.store", 0x00, 0x37, kMemArg, "il:", 8) \
  X(f32_store, "f32.store", 0x00, 0x38, kMemArg, "if:", 4) \
  X(f64_store, "f64.store", 0x00, 0x39, kMemArg, "id:", 8) \
  X(i32_store8, "i32.store8", 0x00, 0x3A, kMemArg, "ii:", 1) \
  X(i32_store16, "i32.store16", 0x00, 0x3B, kMemArg, "ii:", 2) \
  X(i64_store8, "i64.store8", 0x00, 0x3C, kMemArg, "il:", 1) \
  X(i64_store16, "i64.store16", 0x00, 0x3D, kMemArg, "il:", 2) \
  X(i64_store32, "i64.store32", 0x00, 0x3E, kMemArg, "il:", 4) \
  X(memory_size, "memory.size", 0x00, 0x3F, kMemIdx, ":i", 0) \
  X(memory_grow, "memory.grow", 0x00, 0x40, kMemIdx, "i:i", 0) \
  X(i32_const, "i32.const", 0x00, 0x41, kI32, ":i", 0) \
  X(i64_const, "i64.const", 0x00, 0x42, kI64, ":l", 0) \
  X(f32_const, "f32.const", 0x00, 0x43, kF32, ":f", 0) \
  X(f64_const, "f64.const", 0x00, 0x44, kF64, ":d", 0) \
  X(i32_eqz, "i32.eqz", 0x00, 0x45, kNone, "i:i", 0) \
  X(i32_eq, "i32.eq", 0x00, 0x46, kNone, "ii:i", 0) \
  X(i32_ne, "i32.ne", 0x00, 0x47, kNone, "ii:i", 0) \
  X(i32_lt_s, "i32.lt_s", 0x00, 0x48, kNone, "ii:i", 0) \
  X(i32_lt_u, "i32.lt_u", 0x00, 0x49, kNone, "ii:i", 0) \
  X(i32_gt_s, "i32.gt_s", 0x00, 0x4A, kNone, "ii:i", 0) \
  X(i32_gt_u, "i32.gt_u", 0x00, 0x4B, kNone, "ii:i", 0) \
  X(i32_le_s, "i32.le_s", 0x00, 0x4C, kNone, "ii:i", 0) \
  X(i32_le_u, "i32.le_u", 0x00, 0x4D, kNone, "ii:i", 0) \
  X(i32_ge_s, "i32.ge_s", 0x00, 0x4E, kNone, "ii:i", 0) \
  X(i32_ge_u, "i32.ge_u", 0x00, 0x4F, kNone, "ii:i", 0) \
  X(i64_eqz, "i64.eqz", 0x00, 0x50, kNone, "l:i", 0) \
  X(i64_eq, "i64.eq", 0x00, 0x51, kNone, "ll:i", 0) \
  X(i64_ne, "i64.ne", 0x00, 0x52, kNone, "ll:i", 0) \
  X(i64_lt_s, "i64.lt_s", 0x00, 0x53, kNone, "ll:i", 0) \
  X(i64_lt_u, "i64.lt_u", 0x00, 0x54, kNone, "ll:i", 0) \
  X(i64_gt_s, "i64.gt_s", 0x00, 0x55, kNone, "ll:i", 0) \
  X(i64_gt_u, "i64.gt_u", 0x00, 0x56, kNone, "ll:i", 0) \
  X(i64_le_s, "i64.le_s", 0x00, 0x57, kNone, "ll:i", 0) \
  X(i64_le_u, "i64.le_u", 0x00, 0x58, kNone, "ll:i", 0) \
  X(i64_ge_s, "i64.ge_s", 0x00, 0x59, kNone, "ll:i", 0) \
  X(i64_ge_u, "i64.ge_u", 0x00, 0x5A, kNone, "ll:i", 0) \
  X(f32_eq, "f32.eq", 0x00, 0x5B, kNone, "ff:i", 0) \
  X(f32_ne, "f32.ne", 0x00, 0x5C, kNone, "ff:i", 0) \
  X(f32_lt, "f32.lt", 0x00, 0x5D, kNone, "ff:i", 0) \
  X(f32_gt, "f32.gt", 0x00, 0x5E, kNone, "ff:i", 0) \
  X(f32_le, "f32.le", 0x00, 0x5F, kNone, "ff:i", 0) \
  X(f32_ge, "f32.ge", 0x00, 0x60, kNone, "ff:i", 0) \
  X(f64_eq, "f64.eq", 0x00, 0x61, kNone, "dd:i", 0) \
  X(f64_ne, "f64.ne", 0x00, 0x62, kNone, "dd:i", 0) \
  X(f64_lt, "f64.lt", 0x00, 0x63, kNone, "dd:i", 0) \
  X(f64_gt, "f64.gt", 0x00, 0x64, kNone, "dd:i", 0) \
  X(f64_le, "f64.le", 0x00, 0x65, kNone, "dd:i", 0) \
  X(f64_ge, "f64.ge", 0x00, 0x66, kNone, "dd:i", 0) \
  X(i32_clz, "i32.clz", 0x00, 0x67, kNone, "i:i", 0) \
  X(i32_ctz, "i32.ctz", 0x00, 0x68, kNone, "i:i", 0) \
  X(i32_popcnt, "i32.popcnt", 0x00, 0x69, kNone, "i:i", 0) \
  X(i32_add, "i32.add", 0x00, 0x6A, kNone, "ii:i", 0) \
  X(i32_sub, "i32.sub", 0x00, 0x6B, kNone, "ii:i", 0) \
  X(i32_mul, "i32.mul", 0x00, 0x6C, kNone, "ii:i", 0) \
  X(i32_div_s, "i32.div_s", 0x00, 0x6D, kNone, "ii:i", 0) \
  X(i32_div_u, "i32.div_u", 0x00, 0x6E, kNone, "ii:i", 0) \
  X(i32_rem_s, "i32.rem_s", 0x00, 0x6F, kNone, "ii:i", 0) \
  X(i32_rem_u, "i32.rem_u", 0x00, 0x70, kNone, "ii:i", 0) \
  X(i32_and, "i32.and", 0x00, 0x71, kNone, "ii:i", 0) \
  X(i32_or, "i32.or", 0x00, 0x72, kNone, "ii:i", 0) \
  X(i32_xor, "i32.xor", 0x00, 0x73, kNone, "ii:i", 0) \
  X(i32_shl, "i32.shl", 0x00, 0x74, kNone, "ii:i", 0) \
  X(i32_shr_s, "i32.shr_s", 0x00, 0x75, kNone, "ii:i", 0) \
  X(i32_shr_u, "i32.shr_u", 0x00, 0x76, kNone, "ii:i", 0) \
  X(i32_rotl, "i32.rotl", 0x00, 0x77, kNone, "ii:i", 0) \
  X(i32_rotr, "i32.rotr", 0x00, 0x78, kNone, "ii:i", 0) \
  X(i64_clz, "i64.clz", 0x00, 0x79, kNone, "l:l", 0) \
  X(i64_ctz, "i64.ctz", 0x00, 0x7A, kNone, "l:l", 0) \
  X(i64_popcnt, "i64.popcnt", 0x00, 0x7B, kNone, "l:l", 0) \
  X(i64_add, "i64.add", 0x00, 0x7C, kNone, "ll:l", 0) \
  X(i64_sub, "i64.sub", 0x00, 0x7D, kNone, "ll:l", 0) \
  X(i64_mul, "i64.mul", 0x00, 0x7E, kNone, "ll:l", 0) \
  X(i64_div_s, "i64.div_s", 0x00, 0x7F, kNone, "ll:l", 0) \
  X(i64_div_u, "i64.div_u", 0x00, 0x80, kNone, "ll:l", 0) \
  X(i64_rem_s, "i64.rem_s", 0x00, 0x81, kNone, "ll:l", 0) \
  X(i64_rem_u, "i64.rem_u", 0x00, 0x82, kNone, "ll:l", 0) \
  X(i64_and, "i64.and", 0x00, 0x83, kNone, "ll:l", 0) \
  X(i64_or, "i64.or", 0x00, 0x84, kNone, "ll:l", 0) \
  X(i64_xor, "i64.xor", 0x00, 0x85, kNone, "ll:l", 0) \
  X(i64_shl, "i64.shl", 0x00, 0x86, kNone, "ll:l", 0) \
  X(i64_shr_s, "i64.shr_s", 0x00, 0x87, kNone, "ll:l", 0) \
  X(i64_shr_u, "i64.shr_u", 0x00, 0x88, kNone, "ll:l", 0) \
  X(i64_rotl, "i64.rotl", 0x00, 0x89, kNone, "ll:l", 0) \
  X(i64_rotr, "i64.rotr", 0x00, 0x8A, kNone, "ll:l", 0) \
  X(f32_abs, "f32.abs", 0x00, 0x8B, kNone, "f:f", 0) \
  X(f32_neg, "f32.neg", 0x00, 0x8C, kNone, "f:f", 0) \
  X(f32_ceil, "f32.ceil", 0x00, 0x8D, kNone, "f:f", 0) \
  X(f32_floor, "f32.floor", 0x00, 0x8E, kNone, "f:f", 0) \
  X(f32_trunc, "f32.trunc", 0x00, 0x8F, kNone, "f:f", 0) \
  X(f32_nearest, "f32.nearest", 0x00, 0x90, kNone, "f:f", 0) \
  X(f32_sqrt, "f32.sqrt", 0x00, 0x91, kNone, "f:f", 0) \
  X(f32_add, "f32.add", 0x00, 0x92, kNone, "ff:f", 0) \
  X(f32_sub, "f32.sub", 0x00, 0x93, kNone, "ff:f", 0) \
  X(f32_mul, "f32.mul", 0x00, 0x94, kNone, "ff:f", 0) \
  X(f32_div, "f32.div", 0x00, 0x95, kNone, "ff:f", 0) \
  X(f32_min, "f32.min", 0x00, 0x96, kNone, "ff:f", 0) \
  X(f32_max, "f32.max", 0x00, 0x97, kNone, "ff:f", 0) \
  X(f32_copysign, "f32.copysign", 0x00, 0x98, kNone, "ff:f", 0) \
  X(f64_abs, "f64.abs", 0x00, 0x99, kNone, "d:d", 0) \
  X(f64_neg, "f64.neg", 0x00, 0x9A, kNone, "d:d", 0) \
  X(f64_ceil, "f64.ceil", 0x00, 0x9B, kNone, "d:d", 0) \
  X(f64_floor, "f64.floor", 0x00, 0x9C, kNone, "d:d", 0) \
  X(f64_trunc, "f64.trunc", 0x00, 0x9D, kNone, "d:d", 0) \
  X(f64_nearest, "f64.nearest", 0x00, 0x9E, kNone, "d:d", 0) \
  X(f64_sqrt, "f64.sqrt", 0x00, 0x9F, kNone, "d:d", 0) \
  X(f64_add, "f64.add", 0x00, 0xA0, kNone, "dd:d", 0) \
  X(f64_sub, "f64.sub", 0x00, 0xA1, kNone, "dd:d", 0) \
  X(f64_mul, "f64.mul", 0x00, 0xA2, kNone, "dd:d", 0) \
  X(f64_div, "f64.div", 0x00, 0xA3, kNone, "dd:d", 0) \
  X(f64_min, "f64.min", 0x00, 0xA4, kNone, "dd:d", 0) \
  X(f64_max, "f64.max", 0x00, 0xA5, kNone, "dd:d", 0) \
  X(f64_copysign, "f64.copysign", 0x00, 0xA6, kNone, "dd:d", 0) \
  X(i32_wrap_i64, "i32.wrap_i64", 0x00, 0xA7, kNone, "l:i", 0) \
  X(i32_trunc_f32_s, "i32.trunc_f32_s", 0x00, 0xA8, kNone, "f:i", 0) \
  X(i32_trunc_f32_u, "i32.trunc_f32_u", 0x00, 0xA9, kNone, "f:i", 0) \
  X(i32_trunc_f64_s, "i32.trunc_f64_s", 0x00, 0xAA, kNone, "d:i", 0) \
  X(i32_trunc_f64_u, "i32.trunc_f64_u", 0x00, 0xAB, kNone, "d:i", 0) \
  X(i64_extend_i32_s, "i64.extend_i32_s", 0x00, 0xAC, kNone, "i:l", 0) \
  X(i64_extend_i32_u, "i64.extend_i32_u", 0x00, 0xAD, kNone, "i:l", 0) \
  X(i64_trunc_f32_s, "i64.trunc_f32_s", 0x00, 0xAE, kNone, "f:l", 0) \
  X(i64_trunc_f32_u, "i64.trunc_f32_u", 0x00, 0xAF, kNone, "f:l", 0) \
  X(i64_trunc_f64_s, "i64.trunc_f64_s", 0x00, 0xB0, kNone, "d:l", 0) \
  X(i64_trunc_f64_u, "i64.trunc_f64_u", 0x00, 0xB1, kNone, "d:l", 0) \
  X(f32_convert_i32_s, "f32.convert_i32_s", 0x00, 0xB2, kNone, "i:f", 0) \
  X(f32_convert_i32_u, "f32.convert_i32_u", 0x00, 0xB3, kNone, "i:f", 0) \
  X(f32_convert_i64_s, "f32.convert_i64_s", 0x00, 0xB4, kNone, "l:f", 0) \
  X(f32_convert_i64_u, "f32.convert_i64_u", 0x00, 0xB5, kNone, "l:f", 0) \
  X(f32_demote_f64, "f32.demote_f64", 0x00, 0xB6, kNone, "d:f", 0) \
  X(f64_convert_i32_s, "f64.convert_i32_s", 0x00, 0xB7, kNone, "i:d", 0) \
  X(f64_convert_i32_u, "f64.convert_i32_u", 0x00, 0xB8, kNone, "i:d", 0) \
  X(f64_convert_i64_s, "f64.convert_i64_s", 0x00, 0xB9, kNone, "l:d", 0) \
  X(f64_convert_i64_u, "f64.convert_i64_u", 0x00, 0xBA, kNone, "l:d", 0) \
  X(f64_promote_f32, "f64.promote_f32", 0x00, 0xBB, kNone, "f:d", 0) \
  X(i32_reinterpret_f32, "i32.reinterpret_f32", 0x00, 0xBC, kNone, "f:i", 0) \
  X(i64_reinterpret_f64, "i64.reinterpret_f64", 0x00, 0xBD, kNone, "d:l", 0) \
  X(f32_reinterpret_i32, "f32.reinterpret_i32", 0x00, 0xBE, kNone, "i:f", 0) \
  X(f64_reinterpret_i64, "f64.reinterpret_i64", 0x00, 0xBF, kNone, "l:d", 0) \
  X(i32_extend8_s, "i32.extend8_s", 0x00, 0xC0, kNone, "i:i", 0) \
  X(i32_extend16_s, "i32.extend16_s", 0x00, 0xC1, kNone, "i:i", 0) \
  X(i64_extend8_s, "i64.extend8_s", 0x00, 0xC2, kNone, "l:l", 0) \
  X(i64_extend16_s, "i64.extend16_s", 0x00, 0xC3, kNone, "l:l", 0) \
  X(i64_extend32_s, "i64.extend32_s", 0x00, 0xC4, kNone, "l:l", 0) \
  X(ref_null, "ref.null", 0x00, 0xD0, kRefType, "*", 0) \
  X(ref_is_null, "ref.is_null", 0x00, 0xD1, kNone, "*", 0) \
  X(ref_func, "ref.func", 0x00, 0xD2, kFunc, "*", 0) \
  X(i32_trunc_sat_f32_s, "i32.trunc_sat_f32_s", 0xFC, 0x00, kNone, "f:i", 0) \
  X(i32_trunc_sat_f32_u, "i32.trunc_sat_f32_u", 0xFC, 0x01, kNone, "f:i", 0) \
  X(i32_trunc_sat_f64_s, "i32.trunc_sat_f64_s", 0xFC, 0x02, kNone, "d:i", 0) \
  X(i32_trunc_sat_f64_u, "i32.trunc_sat_f64_u", 0xFC, 0x03, kNone, "d:i", 0) \
  X(i64_trunc_sat_f32_s, "i64.trunc_sat_f32_s", 0xFC, 0x04, kNone, "f:l", 0) \
  X(i64_trunc_sat_f32_u, "i64.trunc_sat_f32_u", 0xFC, 0x05, kNone, "f:l", 0) \
  X(i64_trunc_sat_f64_s, "i64.trunc_sat_f64_s", 0xFC, 0x06, kNone, "d:l", 0) \
  X(i64_trunc_sat_f64_u, "i64.trunc_sat_f64_u", 0xFC, 0x07, kNone, "d:l", 0) \
  X(memory_init, "memory.init", 0xFC, 0x08, kMemInit, "iii:", 0) \
  X(data_drop, "data.drop", 0xFC, 0x09, kDataIdx, ":", 0) \
  X(memory_copy, "memory.copy", 0xFC, 0x0A, kMemCopy, "iii:", 0) \
  X(memory_fill, "memory.fill", 0xFC, 0x0B, kMemIdx, "iii:", 0) \
  X(table_init, "table.init", 0xFC, 0x0C, kTableInit, "iii:", 0) \
  X(elem_drop, "elem.drop", 0xFC, 0x0D, kElemIdx, ":", 0) \
  X(table_copy, "table.copy", 0xFC, 0x0E, kTableCopy, "iii:", 0) \
  X(table_grow, "table.grow", 0xFC, 0x0F, kTable, "*", 0) \
  X(table_size, "table.size", 0xFC, 0x10, kTable, ":i", 0) \
  X(table_fill, "table.fill", 0xFC, 0x11, kTable, "*", 0)

enum class Opcode : std::uint16_t {
#define WASMIO_X(ident, text, prefix, code, imm, sig, bytes) ident,
  WASMIO_OPCODES(WASMIO_X)
#undef WASMIO_X
  kCount
};

// What the decoder, validator and lowerer need at run time: four bytes per instruction. The
// text names and signatures stay compile-time data (kOpcodeNames, signatures.h): they reach the
// binary only where code uses them at run time (a disassembler), never on the MCU.
struct OpcodeInfo {
  std::uint8_t prefix;
  std::uint8_t code;
  ImmKind imm;
  std::uint8_t access_bytes;
};

inline constexpr OpcodeInfo kOpcodeInfo[] = {
#define WASMIO_X(ident, text, prefix, code, imm, sig, bytes) {prefix, code, ImmKind::imm, bytes},
    WASMIO_OPCODES(WASMIO_X)
#undef WASMIO_X
};

constexpr const OpcodeInfo& opcode_info(Opcode op) { return kOpcodeInfo[static_cast<unsigned>(op)]; }

inline constexpr const char* kOpcodeNames[] = {
#define WASMIO_X(ident, text, prefix, code, imm, sig, bytes) text,
    WASMIO_OPCODES(WASMIO_X)
#undef WASMIO_X
};
constexpr const char* opcode_name(Opcode op) { return kOpcodeNames[static_cast<unsigned>(op)]; }

// The signature column ("ii:i", "*"), parsed at compile time by validate/signatures.h.
inline constexpr const char* kOpcodeSignatureTexts[] = {
#define WASMIO_X(ident, text, prefix, code, imm, sig, bytes) sig,
    WASMIO_OPCODES(WASMIO_X)
#undef WASMIO_X
};

// Byte -> Opcode maps for decoding; kCount marks an illegal encoding.
// One byte per entry: every Opcode fits.
static_assert(static_cast<unsigned>(Opcode::kCount) < 256);
struct OpcodeMaps {
  std::uint8_t single[256];
  std::uint8_t misc[32];  // 0xFC prefix, sub-opcodes 0..31

  constexpr Opcode one_byte(std::uint8_t byte) const { return static_cast<Opcode>(single[byte]); }
  constexpr Opcode prefixed(std::uint32_t sub) const {
    return sub < 32 ? static_cast<Opcode>(misc[sub]) : Opcode::kCount;
  }
};

constexpr OpcodeMaps make_opcode_maps() {
  OpcodeMaps maps{};
  constexpr auto kIllegal = static_cast<std::uint8_t>(Opcode::kCount);
  for (auto& o : maps.single) o = kIllegal;
  for (auto& o : maps.misc) o = kIllegal;
  for (unsigned i = 0; i < static_cast<unsigned>(Opcode::kCount); ++i) {
    const OpcodeInfo& info = kOpcodeInfo[i];
    if (info.prefix == 0) {
      maps.single[info.code] = static_cast<std::uint8_t>(i);
    } else {
      maps.misc[info.code] = static_cast<std::uint8_t>(i);
    }
  }
  return maps;
}

inline constexpr OpcodeMaps kOpcodeMaps = make_opcode_maps();

}  // namespace wasmio::detail
