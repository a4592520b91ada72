#include "board_drivers.h"

#include "boards/mps2_an385_board.h"

// wasmio_embed_wasm symbols of the drivers linked into flash.
#define WASMIO_DRIVER_IMAGE(name)                                    \
  extern "C" const std::uint8_t name##_wasm_start[];                 \
  extern "C" const std::uint8_t name##_wasm_end[];
WASMIO_DRIVER_IMAGE(uart_hello)
WASMIO_DRIVER_IMAGE(timer_delay)
WASMIO_DRIVER_IMAGE(timer_delay_mapped)
WASMIO_DRIVER_IMAGE(temperature)
WASMIO_DRIVER_IMAGE(unbindable)
WASMIO_DRIVER_IMAGE(nvic_grab)
WASMIO_DRIVER_IMAGE(irq_demo)
WASMIO_DRIVER_IMAGE(cs_tick_timer)
WASMIO_DRIVER_IMAGE(cs_uart_proto)
WASMIO_DRIVER_IMAGE(cs_sensor)
WASMIO_DRIVER_IMAGE(cs_report_app)
WASMIO_DRIVER_IMAGE(cs_report_app_flat)
#if WASMIO_FIRMWARE_HAVE_16K
WASMIO_DRIVER_IMAGE(uart_hello_16k)
WASMIO_DRIVER_IMAGE(temperature_16k)
#endif
#undef WASMIO_DRIVER_IMAGE

namespace wasmio::firmware {

namespace {

struct Image {
  std::string_view name;
  const std::uint8_t* start;
  const std::uint8_t* end;
};

const Image kImages[] = {
    {"uart_hello", uart_hello_wasm_start, uart_hello_wasm_end},
    {"timer_delay", timer_delay_wasm_start, timer_delay_wasm_end},
    {"timer_delay_mapped", timer_delay_mapped_wasm_start, timer_delay_mapped_wasm_end},
    {"temperature", temperature_wasm_start, temperature_wasm_end},
    {"unbindable", unbindable_wasm_start, unbindable_wasm_end},
    {"nvic_grab", nvic_grab_wasm_start, nvic_grab_wasm_end},
    {"irq_demo", irq_demo_wasm_start, irq_demo_wasm_end},
    {"cs_tick_timer", cs_tick_timer_wasm_start, cs_tick_timer_wasm_end},
    {"cs_uart_proto", cs_uart_proto_wasm_start, cs_uart_proto_wasm_end},
    {"cs_sensor", cs_sensor_wasm_start, cs_sensor_wasm_end},
    {"cs_report_app", cs_report_app_wasm_start, cs_report_app_wasm_end},
    {"cs_report_app_flat", cs_report_app_flat_wasm_start, cs_report_app_flat_wasm_end},
#if WASMIO_FIRMWARE_HAVE_16K
    {"uart_hello_16k", uart_hello_16k_wasm_start, uart_hello_16k_wasm_end},
    {"temperature_16k", temperature_16k_wasm_start, temperature_16k_wasm_end},
#endif
};

// Drivers get windows on the APB peripherals only: a manifest naming the NVIC or the SCB
// ("arm,v7m-nvic") binds against the table but finds no backend, so no container can reach
// the interrupt controller or the system control block.
constexpr std::uint64_t kApbBase = 0x40000000;
constexpr std::uint64_t kApbSize = 0x00100000;

}  // namespace

std::span<const std::uint8_t> driver_image(std::string_view name) {
  for (const Image& image : kImages) {
    if (image.name == name) return {image.start, static_cast<std::size_t>(image.end - image.start)};
  }
  return {};
}

BoardDrivers::BoardDrivers()
    : registry_(boards::kMps2An385Board),
      windows_(kApbBase, kApbSize, reinterpret_cast<volatile void*>(kApbBase)) {}

const io::BoardDescription& BoardDrivers::board() const { return boards::kMps2An385Board; }

io::ContainerLoad BoardDrivers::load(std::span<const std::uint8_t> bytes, std::string_view name,
                                     bool bytes_stay, std::uint64_t max_memory_bytes) {
  io::ContainerOptions options = mcu_container_options();
  options.copy_bytes = !bytes_stay;
  if (max_memory_bytes != 0) options.limits.max_memory_bytes = max_memory_bytes;
  return io::DriverContainer::load(bytes, name, registry_, windows_, std::move(options));
}

io::ContainerOptions mcu_container_options() {
  io::ContainerOptions options;
  options.execution.stack_slots = 1024;  // 8 KiB of value slots
  options.execution.max_frames = 64;
  options.limits.max_memory_pages = 2;
  return options;
}

}  // namespace wasmio::firmware
