// The case study's line protocol seen from outside (uart_proto.c's frames
// "$<payload>*<XOR checksum, 2 hex>\r\n"): what the runner and the tests send and check.
#pragma once

#include <string>
#include <vector>

namespace wasmio::casestudy {

struct Frame {
  std::string payload;
  bool checksum_ok = false;
};

std::string framed(const std::string& payload);
// Splits UART output into frames and checks each checksum; a frame still on the wire when the
// run stopped (no '\n' yet) is left out.
std::vector<Frame> frames(const std::string& out);
// A payload's comma-separated fields.
std::vector<std::string> fields(const std::string& payload);

}  // namespace wasmio::casestudy
