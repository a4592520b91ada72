// Writes a BoardDescription as a C++ header of constexpr tables, for targets that must not parse
// a devicetree at run time (the Cortex-M firmware). The header needs only
// "io/board/board_description.h"; its BoardDescription has the same nodes, in the same order,
// with the same labels, compatibles, windows, interrupts, properties, parents and bus addresses
// as the one it was written from (tools/dtgen/tests checks this field by field).
//
// Layout: one pool of characters (every string once), one pool of property bytes (every distinct
// value once), flat arrays of compatibles, windows, interrupt lines and properties, and the
// nodes as views into them.
#pragma once

#include <string>
#include <string_view>

#include "io/board/board_description.h"

namespace wasmio::dtgen {

struct TableOptions {
  std::string name;    // C++ identifier of the BoardDescription ("kMps2An385Board")
  std::string source;  // what the header says it was generated from
};

// The header text. `options.name` must be a C++ identifier (checked by the caller).
std::string write_board_table(const io::BoardDescription& board, const TableOptions& options);

// True for [A-Za-z_][A-Za-z0-9_]*.
bool is_identifier(std::string_view name);

}  // namespace wasmio::dtgen
