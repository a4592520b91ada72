// Internal: the operand and result types of every instruction whose typing is fixed, parsed at
// compile time from the opcode table's signature column ("ii:i"), so the table stays the single
// source of truth. Instructions with signature "*" are typed by hand in the function validator.
#pragma once

#include <cstdint>

#include "common/opcode_table.h"
#include "wasmio/types.h"

namespace wasmio::detail {

struct Signature {
  bool fixed = false;  // false for "*"
  bool well_formed = true;
  std::uint8_t param_count = 0;
  std::uint8_t result_count = 0;
  ValType params[3] = {};
  ValType results[1] = {};
};

constexpr bool signature_char(char c, ValType& out) {
  switch (c) {
    case 'i': out = ValType::kI32; return true;
    case 'l': out = ValType::kI64; return true;
    case 'f': out = ValType::kF32; return true;
    case 'd': out = ValType::kF64; return true;
    default: return false;
  }
}

constexpr Signature parse_signature(const char* text) {
  Signature sig;
  if (text[0] == '*' && text[1] == '\0') return sig;
  sig.fixed = true;
  const char* p = text;
  for (; *p != ':' && *p != '\0'; ++p) {
    ValType t{};
    if (sig.param_count >= 3 || !signature_char(*p, t)) sig.well_formed = false;
    else sig.params[sig.param_count++] = t;
  }
  if (*p != ':') {
    sig.well_formed = false;
    return sig;
  }
  for (++p; *p != '\0'; ++p) {
    ValType t{};
    if (sig.result_count >= 1 || !signature_char(*p, t)) sig.well_formed = false;
    else sig.results[sig.result_count++] = t;
  }
  return sig;
}

struct SignatureTable {
  Signature of[static_cast<unsigned>(Opcode::kCount)];
};

constexpr SignatureTable make_signature_table() {
  SignatureTable table{};
  for (unsigned i = 0; i < static_cast<unsigned>(Opcode::kCount); ++i) {
    table.of[i] = parse_signature(kOpcodeInfo[i].signature);
  }
  return table;
}

inline constexpr SignatureTable kSignatures = make_signature_table();

constexpr bool all_signatures_well_formed() {
  for (const Signature& s : kSignatures.of) {
    if (!s.well_formed) return false;
  }
  return true;
}
static_assert(all_signatures_well_formed(), "a signature in opcode_table.h does not parse");

constexpr const Signature& signature(Opcode op) { return kSignatures.of[static_cast<unsigned>(op)]; }

}  // namespace wasmio::detail
