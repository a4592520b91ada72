#include "scenario.h"

#include <fstream>

namespace wasmio::casestudy {

ExecutionConfig execution_config() {
  ExecutionConfig config;
  config.stack_slots = 4096;  // 32 KiB of value slots: the deepest case-study call uses < 200
  config.max_frames = 256;
  return config;
}

std::vector<std::uint8_t> read_file(const std::string& path, std::string* error) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    *error = "cannot read " + path;
    return {};
  }
  return std::vector<std::uint8_t>((std::istreambuf_iterator<char>(in)), {});
}

std::unique_ptr<Scenario> Scenario::create(const ScenarioOptions& options, std::string* error) {
  std::unique_ptr<Scenario> s(new Scenario(options));
  s->session_ = io::BoardSession::open_file(options.board_dtb, error);
  if (!s->session_) return nullptr;
  s->platform_ = std::make_unique<sched::SimPlatform>(s->session_->board());
  s->scheduler_ = std::make_unique<sched::Scheduler>(*s->platform_);
  s->windows_ = std::make_unique<sched::TimedWindows>(s->session_->windows(), *s->scheduler_);
  s->hub_ = std::make_unique<services::ServiceHub>(*s->scheduler_, s->session_->registry(),
                                                    *s->windows_);
  s->hub_->set_execution_config(execution_config());
  s->uart_ = s->board().find_as<io::sim::CmsdkUart>("uart0");
  s->sensor_ = s->board().find_as<io::sim::Tmp105>("tmp105");
  s->flash_ = s->board().find_as<io::sim::SpiNorFlash>(kFlashLabel);
  if (s->uart_ == nullptr || s->sensor_ == nullptr) {
    *error = options.board_dtb + ": no uart0 or tmp105 on this board";
    return nullptr;
  }
  if (s->flash_ == nullptr && !options.flash_log_file.empty()) {
    *error = options.board_dtb + ": no SPI flash '" + kFlashLabel + "' for the logger";
    return nullptr;
  }
  s->sensor_->set_temperature_mc(options.temperature_mc);

  sched::DriverOptions sensor;
  sensor.fault_policy = options.sensor_policy;
  sensor.task_priority = 64;
  sched::DriverOptions uart;
  uart.fault_policy = sched::FaultPolicy::kRestart;
  uart.task_priority = 32;
  sched::DriverOptions timer;
  timer.fault_policy = sched::FaultPolicy::kRestart;
  timer.task_priority = 16;
  sched::DriverOptions flash;  // the least urgent driver: its work runs on its callers' time
  flash.fault_policy = options.flash_policy;
  flash.task_priority = 96;
  sched::DriverOptions app;
  app.task_priority = 128;
  if (!options.flat_out) {
    app.task_period = s->board().clock().cycles_from_ms(options.period_ms);
  }
  if (!s->install("cs_tick_timer.wasm", timer, error) ||
      !s->install("cs_uart_proto.wasm", uart, error) ||
      !s->install("cs_sensor.wasm", sensor, error) ||
      (!options.flash_log_file.empty() && !s->install(options.flash_log_file, flash, error)) ||
      !s->install(options.flat_out ? "cs_report_app_flat.wasm" : "cs_report_app.wasm", app,
                  error)) {
    return nullptr;
  }
  return s;
}

Scenario::~Scenario() {
  hub_.reset();  // removes its containers before the scheduler goes
}

bool Scenario::install(const std::string& file, sched::DriverOptions driver, std::string* error) {
  const auto bytes = read_file(options_.containers_dir + "/" + file, error);
  if (bytes.empty()) return false;
  return hub_->install(bytes, file, std::move(driver), error).has_value();
}

void Scenario::run_ms(std::uint64_t ms) {
  scheduler_->run_until(scheduler_->platform().now() + board().clock().cycles_from_ms(ms));
}

bool Scenario::update_sensor(const std::string& file, std::string* error) {
  const auto bytes = read_file(options_.containers_dir + "/" + file, error);
  if (bytes.empty()) return false;
  return hub_->update("tmp105-sensor", bytes, file, error);
}

double Scenario::seconds() const {
  return static_cast<double>(scheduler_->platform().now()) /
         static_cast<double>(scheduler_->platform().cycles_per_second());
}

}  // namespace wasmio::casestudy
