// dtgen: compiled devicetree (.dtb) -> C++ header with the board as constexpr tables.
//   usage: dtgen BOARD.dtb --name IDENT -o OUT.h
// The firmware binds drivers against this table: no devicetree parsing on the device.
#include <cstdio>
#include <fstream>
#include <iterator>
#include <string>
#include <string_view>

#include "board_table_writer.h"
#include "io/board/devicetree.h"

namespace {

int usage(const char* why) {
  std::fprintf(stderr, "dtgen: %s\nusage: dtgen BOARD.dtb --name IDENT -o OUT.h\n", why);
  return 2;
}

}  // namespace

int main(int argc, char** argv) {
  std::string input, output, name;
  for (int i = 1; i < argc; ++i) {
    const std::string_view arg = argv[i];
    if ((arg == "-o" || arg == "--name") && i + 1 < argc) {
      (arg == "-o" ? output : name) = argv[++i];
    } else if (!arg.empty() && arg[0] == '-') {
      return usage(("unknown option " + std::string(arg)).c_str());
    } else if (input.empty()) {
      input = arg;
    } else {
      return usage("more than one input");
    }
  }
  if (input.empty() || output.empty() || name.empty()) return usage("missing arguments");
  if (!wasmio::dtgen::is_identifier(name)) {
    return usage(("--name '" + name + "' is not a C++ identifier").c_str());
  }

  auto loaded = wasmio::io::load_devicetree_file(input);
  if (!loaded) {
    std::fprintf(stderr, "dtgen: %s\n", loaded.error.c_str());
    return 1;
  }
  const std::string base = input.substr(input.find_last_of('/') + 1);
  const std::string text =
      wasmio::dtgen::write_board_table(loaded.tree->board(), {name, base});

  // Leave an unchanged header alone: nothing that includes it rebuilds.
  {
    std::ifstream in(output, std::ios::binary);
    if (in && std::string(std::istreambuf_iterator<char>(in), {}) == text) return 0;
  }
  std::ofstream out(output, std::ios::binary | std::ios::trunc);
  out << text;
  out.close();
  if (!out) {
    std::fprintf(stderr, "dtgen: cannot write '%s'\n", output.c_str());
    return 1;
  }
  return 0;
}
