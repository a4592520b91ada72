// Values as command-line text: parsing arguments and printing results.
//
//   i32 / i64   decimal (signed or unsigned range) or 0x hex; printed as signed decimal
//   f32 / f64   decimal or hex float, inf, -inf, nan, nan:0xPAYLOAD; printed as the shortest
//               decimal that reads back to the same value; NaNs as [-]nan or [-]nan:0xPAYLOAD
//               when the payload is not the canonical one
//   funcref     null (no other function reference can be written on a command line)
//   externref   null or a non-zero host word
// A result prints as TYPE:VALUE, e.g. `i32:42`, `f64:-0.5`, `externref:null`.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "wasmio/types.h"

namespace wasmio::cli {

// nullopt with `error` set when `text` is not a value of `type`.
std::optional<Value> parse_value(ValType type, std::string_view text, std::string* error);

std::string format_value(const Value& value);

}  // namespace wasmio::cli
