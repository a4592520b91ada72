#include "line_frames.h"

#include <cstdio>
#include <sstream>

namespace wasmio::casestudy {

namespace {
unsigned checksum(const std::string& payload) {
  unsigned sum = 0;
  for (char c : payload) sum ^= static_cast<unsigned char>(c);
  return sum;
}
}  // namespace

std::string framed(const std::string& payload) {
  char tail[8];
  std::snprintf(tail, sizeof tail, "*%02X\r\n", checksum(payload));
  return "$" + payload + tail;
}

std::vector<Frame> frames(const std::string& out) {
  std::vector<Frame> result;
  std::istringstream in(out.substr(0, out.rfind('\n') + 1));
  std::string line;
  while (std::getline(in, line)) {
    Frame f;
    const auto star = line.rfind('*');
    if (line.size() >= 5 && line[0] == '$' && star != std::string::npos && star + 3 < line.size() &&
        line.back() == '\r') {
      f.payload = line.substr(1, star - 1);
      char* end = nullptr;
      const std::string hex = line.substr(star + 1, 2);
      const unsigned long sum = std::strtoul(hex.c_str(), &end, 16);
      f.checksum_ok = end == hex.c_str() + 2 && sum == checksum(f.payload);
    }
    result.push_back(f);
  }
  return result;
}

std::vector<std::string> fields(const std::string& payload) {
  std::vector<std::string> out;
  std::istringstream in(payload);
  std::string f;
  while (std::getline(in, f, ',')) out.push_back(f);
  return out;
}

}  // namespace wasmio::casestudy
