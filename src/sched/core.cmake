# wasmio_sched_core: the scheduler core that runs unchanged on the MCU, in the simulation and on
# Linux (scheduler, E0, guest interrupt interface, the trace record). Needs only the engine; no
# exceptions, RTTI, iostream or files. Included by src/sched/CMakeLists.txt and by any build that
# wants the core alone (the firmware: include(${PROJECT_SOURCE_DIR}/src/sched/core.cmake)).
if(NOT TARGET wasmio_sched_core)
  set(WASMIO_SCHED_CORE_SOURCES
    ${CMAKE_CURRENT_LIST_DIR}/scheduler.cpp
    ${CMAKE_CURRENT_LIST_DIR}/irq_host.cpp
    ${CMAKE_CURRENT_LIST_DIR}/trace.cpp)
  add_library(wasmio_sched_core STATIC ${WASMIO_SCHED_CORE_SOURCES})
  target_include_directories(wasmio_sched_core PUBLIC ${PROJECT_SOURCE_DIR}/src)
  target_compile_options(wasmio_sched_core PRIVATE -fno-exceptions -Wall -Wextra
                         -Wno-unused-parameter)
  # No RTTI either, except under UBSan: its vptr check needs the typeinfo of Scheduler (an
  # InterruptSink) in the code that uses it.
  if(NOT WASMIO_SANITIZE)
    target_compile_options(wasmio_sched_core PRIVATE -fno-rtti)
  endif()
  target_compile_features(wasmio_sched_core PUBLIC cxx_std_20)
  target_link_libraries(wasmio_sched_core PUBLIC wasmio_engine)
  # Interrupt-path probes (src/sched/probe.h): -DWASMIO_SCHED_PROBE_COUNTER=<counter address>.
  if(WASMIO_SCHED_PROBE_COUNTER)
    target_compile_definitions(wasmio_sched_core PRIVATE
                               WASMIO_SCHED_PROBE_COUNTER=${WASMIO_SCHED_PROBE_COUNTER})
  endif()
endif()
# Host-side parts that also build for the MCU but need the I/O layer (link them with it).
set(WASMIO_SCHED_IO_SOURCES
  ${CMAKE_CURRENT_LIST_DIR}/driver_loader.cpp
  ${CMAKE_CURRENT_LIST_DIR}/timed_windows.cpp)
