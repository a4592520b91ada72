// Internal: the operand and result types of every instruction whose typing is fixed, parsed at
// compile time from the opcode table's signature column ("ii:i"), so the table stays the single
// source of truth. Instructions with signature "*" are typed by hand in the function validator.
#pragma once

#include <cstdint>

#include "common/opcode_table.h"
#include "wasmio/types.h"

namespace wasmio::detail {

// Two bytes per instruction: bits 0-1 the parameter count (0..3), bit 2 the result count
// (0..1), bit 3 "fixed", then 2 bits per parameter (bits 4-9) and for the result (bits 10-11),
// each a number type as 0x7F - valtype (i32 0, i64 1, f32 2, f64 3).
struct Signature {
  std::uint16_t bits = 0;

  constexpr bool fixed() const { return (bits & 8) != 0; }
  constexpr unsigned param_count() const { return bits & 3; }
  constexpr unsigned result_count() const { return (bits >> 2) & 1; }
  constexpr ValType param(unsigned i) const { return type_at(4 + 2 * i); }
  constexpr ValType result() const { return type_at(10); }

 private:
  constexpr ValType type_at(unsigned shift) const {
    return static_cast<ValType>(0x7F - ((bits >> shift) & 3));
  }
};

constexpr int signature_code(char c) {
  switch (c) {
    case 'i': return 0;
    case 'l': return 1;
    case 'f': return 2;
    case 'd': return 3;
    default: return -1;
  }
}

// The signature of `text`; `well_formed` false when the text does not parse.
constexpr Signature parse_signature(const char* text, bool& well_formed) {
  Signature sig;
  well_formed = true;
  if (text[0] == '*' && text[1] == '\0') return sig;
  unsigned bits = 8;
  unsigned params = 0;
  const char* p = text;
  for (; *p != ':' && *p != '\0'; ++p, ++params) {
    const int code = signature_code(*p);
    if (params >= 3 || code < 0) well_formed = false;
    else bits |= static_cast<unsigned>(code) << (4 + 2 * params);
  }
  if (*p != ':') {
    well_formed = false;
    return sig;
  }
  unsigned results = 0;
  for (++p; *p != '\0'; ++p, ++results) {
    const int code = signature_code(*p);
    if (results >= 1 || code < 0) well_formed = false;
    else bits |= static_cast<unsigned>(code) << 10;
  }
  if (params > 3 || results > 1) return sig;
  sig.bits = static_cast<std::uint16_t>(bits | params | (results << 2));
  return sig;
}

struct SignatureTable {
  Signature of[static_cast<unsigned>(Opcode::kCount)];
};

constexpr SignatureTable make_signature_table() {
  SignatureTable table{};
  for (unsigned i = 0; i < static_cast<unsigned>(Opcode::kCount); ++i) {
    bool well_formed = true;
    table.of[i] = parse_signature(kOpcodeSignatureTexts[i], well_formed);
  }
  return table;
}

inline constexpr SignatureTable kSignatures = make_signature_table();

constexpr bool all_signatures_well_formed() {
  for (unsigned i = 0; i < static_cast<unsigned>(Opcode::kCount); ++i) {
    bool well_formed = true;
    parse_signature(kOpcodeSignatureTexts[i], well_formed);
    if (!well_formed) return false;
  }
  return true;
}
static_assert(all_signatures_well_formed(), "a signature in opcode_table.h does not parse");
static_assert(kSignatures.of[static_cast<unsigned>(Opcode::i64_add)].param(1) == ValType::kI64);
static_assert(kSignatures.of[static_cast<unsigned>(Opcode::f32_convert_i64_s)].result() ==
              ValType::kF32);

constexpr const Signature& signature(Opcode op) { return kSignatures.of[static_cast<unsigned>(op)]; }

}  // namespace wasmio::detail
