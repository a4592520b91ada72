// What the case-study and service tests share: the scenario as the runner starts it, the flash
// log decoded straight from the flash model's cells (flash_log.c's layout, to check what the
// driver wrote independently of the driver), and calling a container's export as a harness.
#pragma once

#include <gtest/gtest.h>

#include <cstring>
#include <optional>

#include "line_frames.h"
#include "scenario.h"

namespace wasmio::casestudy {

inline ScenarioOptions defaults() {
  ScenarioOptions o;
  o.containers_dir = WASMIO_CASESTUDY_DIR;
  o.board_dtb = std::string(WASMIO_BOARDS_DIR) + "/mps2-an385-dma.dtb";
  return o;
}

inline std::unique_ptr<Scenario> make(const ScenarioOptions& o = defaults()) {
  std::string error;
  auto s = Scenario::create(o, &error);
  EXPECT_NE(s, nullptr) << error;
  return s;
}

// Record `number` as stored: slot number % 1024 of the first 64 KiB, { u32 number; u8 length;
// data }; nullopt when the slot holds another number or is erased.
inline std::optional<std::string> logged_record(const std::vector<std::uint8_t>& flash,
                                                std::uint32_t number) {
  constexpr std::uint32_t kSlot = 64, kSlots = 1024;
  const std::uint8_t* slot = flash.data() + (number % kSlots) * kSlot;
  std::uint32_t stored;
  std::memcpy(&stored, slot, 4);
  if (stored != number || slot[4] == 0 || slot[4] > 48) return std::nullopt;
  return std::string(reinterpret_cast<const char*>(slot + 5), slot[4]);
}

// The payloads of the frames that start with `kind` ("T", "L", "W", ...).
inline std::vector<std::string> payloads_of(const std::string& out, const std::string& kind) {
  std::vector<std::string> result;
  for (const Frame& f : frames(out)) {
    EXPECT_TRUE(f.checksum_ok) << out;
    if (f.payload.rfind(kind + ",", 0) == 0) result.push_back(f.payload);
  }
  return result;
}

// Calls an export of a container's instance from outside the scheduler, as a test harness. A
// service call yields between quanta of its provider's handler: resumed until done, each
// suspension counted in *suspensions.
inline Expected<std::int32_t> invoke_export(sched::Scheduler& scheduler, sched::ContainerId id,
                                            const char* name, std::vector<std::uint32_t> args = {},
                                            std::uint64_t* suspensions = nullptr) {
  Instance* instance = scheduler.instance(id);
  EXPECT_NE(instance, nullptr);
  std::vector<Value> values;
  for (std::uint32_t a : args) values.push_back(Value::i32(a));
  Execution ex;
  auto r = ex.invoke(instance->exported_function(name), values);
  while (r && *r == RunState::kSuspended) {
    if (suspensions != nullptr) ++*suspensions;
    r = ex.resume();
  }
  if (!r) return unexpected(r.error());
  return static_cast<std::int32_t>(ex.results()[0].of.i32);
}

}  // namespace wasmio::casestudy
