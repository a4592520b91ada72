#include "module_check.h"

#include "guest_abi.h"

namespace wasmio::io {
namespace {

std::string signature(std::span<const ValType> params, std::span<const ValType> results) {
  std::string s = "(";
  for (std::size_t i = 0; i < params.size(); ++i) s += (i ? ", " : "") + std::string(valtype_name(params[i]));
  s += ") -> (";
  for (std::size_t i = 0; i < results.size(); ++i) s += (i ? ", " : "") + std::string(valtype_name(results[i]));
  return s + ")";
}

bool same_types(std::span<const ValType> a, std::span<const ValType> b) {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i) {
    if (a[i] != b[i]) return false;
  }
  return true;
}

const char* kind_name(ExternKind kind) {
  switch (kind) {
    case ExternKind::kFunction: return "function";
    case ExternKind::kTable: return "table";
    case ExternKind::kMemory: return "memory";
    case ExternKind::kGlobal: return "global";
  }
  return "?";
}

std::string paths_offering(std::uint8_t mask) {
  std::string s;
  for (AccessPath p : {AccessPath::kHostCall, AccessPath::kMapped, AccessPath::kCopy}) {
    if (mask & path_bit(p)) s += (s.empty() ? "" : "/") + std::string(access_path_name(p));
  }
  return s;
}

}  // namespace

std::string ModuleCheckResult::message() const {
  std::string m;
  for (const std::string& p : problems) m += (m.empty() ? "" : "; ") + p;
  return m;
}

ModuleCheckResult check_driver_module(std::span<const ImportInfo> imports,
                                      std::span<const ExportInfo> exports,
                                      const Manifest* manifest) {
  ModuleCheckResult result;
  auto problem = [&](std::string text) { result.problems.push_back(std::move(text)); };
  for (const ImportInfo& import : imports) {
    if (import.module != kGuestImportModule) continue;
    const std::string what = std::string(kGuestImportModule) + "." + std::string(import.name);
    const GuestImport* abi = find_guest_import(import.name);
    if (abi == nullptr) {
      problem("imports " + what + ", which the wasmio host does not provide");
      continue;
    }
    if (import.kind != ExternKind::kFunction) {
      problem("imports " + what + " as a " + kind_name(import.kind) + "; it is a function");
      continue;
    }
    if (!same_types(import.function.params, abi->params) ||
        !same_types(import.function.results, abi->results)) {
      problem("imports " + what + " with type " +
              signature(import.function.params, import.function.results) + "; the ABI type is " +
              signature(abi->params, abi->results));
    }
    if (manifest == nullptr) {
      problem("imports " + what + " but has no wasmio.manifest section, so it declares no "
              "peripherals and may access none");
    } else if ((abi->paths & path_bit(manifest->access_path)) == 0) {
      problem("imports " + what + ", which only the " + paths_offering(abi->paths) +
              " access path offers, but the manifest declares the " +
              access_path_name(manifest->access_path) + " path");
    }
  }
  if (manifest == nullptr) return result;
  for (const PeripheralNeed& p : manifest->peripherals) {
    for (const IrqNeed& q : p.irqs) {
      bool exported = false;
      for (const ExportInfo& e : exports) {
        exported = exported || (e.name == q.handler && e.kind == ExternKind::kFunction);
      }
      if (!exported) {
        problem("IRQ " + std::to_string(q.index) + " of '" + p.label + "' names handler '" +
                q.handler + "', which the module does not export as a function");
      }
    }
  }
  return result;
}

}  // namespace wasmio::io
