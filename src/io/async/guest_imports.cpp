// Module "wasmio_async": the guest half is sdk/include/wasmio/async.h. Every function returns
// an i32 status (AsyncStatus) or op id; a bad argument is a status, never a trap, except a
// result pointer outside memory for `result` (returned as kOutsideMemory, result kept).
#include <array>
#include <cstring>

#include "async_io.h"

namespace wasmio::io::async {

namespace {
constexpr ValType I = ValType::kI32;
constexpr std::array<ValType, 0> kNone{};
constexpr std::array<ValType, 1> kOne{I};
constexpr std::array<ValType, 2> kTwo{I, I};
constexpr std::array<ValType, 4> kFour{I, I, I, I};
constexpr std::array<ValType, 5> kFive{I, I, I, I, I};
constexpr std::array<ValType, 7> kSeven{I, I, I, I, I, I, I};

AsyncClient& client_of(HostCall& call) {
  auto& c = *static_cast<AsyncClient*>(call.user_data);
  c.set_instance(call.caller);
  return c;
}
std::int32_t arg(const HostCall& call, unsigned i) {
  return static_cast<std::int32_t>(call.arg_i32(i));
}

HostStatus uart_write(HostCall& call) {
  const std::int32_t r =
      client_of(call).uart_write(arg(call, 0), call.arg_i32(1), call.arg_i32(2), call.arg_i32(3));
  call.set_i32(0, static_cast<std::uint32_t>(r));
  return HostStatus::kReturn;
}
HostStatus uart_read(HostCall& call) {
  const std::int32_t r =
      client_of(call).uart_read(arg(call, 0), call.arg_i32(1), call.arg_i32(2), call.arg_i32(3));
  call.set_i32(0, static_cast<std::uint32_t>(r));
  return HostStatus::kReturn;
}
HostStatus spi_transfer(HostCall& call) {
  const std::int32_t r = client_of(call).spi_transfer(
      arg(call, 0), call.arg_i32(1), call.arg_i32(2), call.arg_i32(3), call.arg_i32(4));
  call.set_i32(0, static_cast<std::uint32_t>(r));
  return HostStatus::kReturn;
}
HostStatus i2c_transfer(HostCall& call) {
  const std::int32_t r =
      client_of(call).i2c_transfer(arg(call, 0), call.arg_i32(1), call.arg_i32(2), call.arg_i32(3),
                                   call.arg_i32(4), call.arg_i32(5), call.arg_i32(6));
  call.set_i32(0, static_cast<std::uint32_t>(r));
  return HostStatus::kReturn;
}
// (op, bytes_done_ptr) -> status; writes the u32 bytes done when the op is no longer running.
HostStatus result(HostCall& call) {
  AsyncClient& c = client_of(call);
  const std::int32_t op = arg(call, 0);
  const std::uint32_t ptr = call.arg_i32(1);
  const OpResult peek = c.peek_result(op);
  std::int32_t status = peek.status;
  if (peek.status != kRunning && peek.status != kUnknownOp) {
    const auto dst = c.guest(ptr, 4);
    if (dst.size() != 4) {
      status = kOutsideMemory;
    } else {
      const OpResult r = c.take_result(op);
      std::memcpy(dst.data(), &r.bytes_done, 4);  // Wasm memory is little endian, as the host
      status = r.status;
    }
  }
  call.set_i32(0, static_cast<std::uint32_t>(status));
  return HostStatus::kReturn;
}
// () -> op: the next op that ended and asked for the completion interrupt, or 0.
HostStatus completed(HostCall& call) {
  call.set_i32(0, static_cast<std::uint32_t>(client_of(call).next_completed()));
  return HostStatus::kReturn;
}
HostStatus cancel(HostCall& call) {
  call.set_i32(0, static_cast<std::uint32_t>(client_of(call).cancel(arg(call, 0))));
  return HostStatus::kReturn;
}

struct Entry {
  std::string_view name;
  std::span<const ValType> params;
  HostFunction function;
};
const Entry kEntries[] = {
    {"uart_write", kFour, &uart_write},
    {"uart_read", kFour, &uart_read},
    {"spi_transfer", kFive, &spi_transfer},
    {"i2c_transfer", kSeven, &i2c_transfer},
    {"result", kTwo, &result},
    {"cancel", kOne, &cancel},
    {"completed", kNone, &completed},
};
}  // namespace

bool AsyncClient::imports(Store& store, const Module& module, std::vector<Extern>& externs,
                          std::string* error) {
  cancel_all();  // a new instance: nothing of the old one's may keep running
  instance_ = nullptr;
  if (externs.size() < module.import_count()) externs.resize(module.import_count());
  for (std::uint32_t i = 0; i < module.import_count(); ++i) {
    const ImportInfo info = module.import(i);
    if (info.module != kImportModule) continue;
    const Entry* entry = nullptr;
    for (const Entry& e : kEntries) {
      if (e.name == info.name) entry = &e;
    }
    const FuncType type{entry != nullptr ? entry->params : std::span<const ValType>{}, kOne};
    if (entry == nullptr || info.kind != ExternKind::kFunction || !(info.function == type)) {
      *error = "imports " + std::string(kImportModule) + "." + std::string(info.name) +
               ", which the async I/O service does not provide with that type";
      return false;
    }
    externs[i] = Extern::of(store.add_host_function(type, entry->function, this, entry->name));
  }
  return true;
}

}  // namespace wasmio::io::async
