// E0 is interrupt-safe: it allocates nothing (neither operator new nor the engine's allocator
// hooks), and interrupts raised from other threads while the loop runs Wasm are each delivered
// exactly once. post_event works from E0 (a native handler) and from other threads.
#include <atomic>
#include <chrono>
#include <cstdlib>
#include <new>
#include <thread>

#include "sched_test_support.h"
#include "soft_platform.h"
#include "spinning_counter.h"
#include "wasmio/allocator.h"

namespace {

// Counts operator new calls made by threads that opted in (the E0 callers below).
std::atomic<std::uint64_t> g_news{0};
thread_local bool t_count_news = false;

void* counted_new(std::size_t size) {
  if (t_count_news) g_news.fetch_add(1);
  if (void* p = std::malloc(size == 0 ? 1 : size)) return p;
  throw std::bad_alloc();
}

}  // namespace

void* operator new(std::size_t size) { return counted_new(size); }
void* operator new[](std::size_t size) { return counted_new(size); }
void operator delete(void* p) noexcept { std::free(p); }
void operator delete[](void* p) noexcept { std::free(p); }
void operator delete(void* p, std::size_t) noexcept { std::free(p); }
void operator delete[](void* p, std::size_t) noexcept { std::free(p); }

namespace wasmio::sched::test {
namespace {

// Engine allocations by threads that opted in (same malloc/free as the default hooks, so
// blocks allocated before or after stay compatible).
std::atomic<std::uint64_t> g_hook_allocs{0};
void* counting_allocate(std::size_t size, std::size_t, void*) {
  if (t_count_news) g_hook_allocs.fetch_add(1);
  return std::malloc(size == 0 ? 1 : size);
}
void counting_deallocate(void* p, std::size_t, std::size_t, void*) { std::free(p); }

struct CountAllocations {
  CountAllocations() {
    set_allocator(AllocatorHooks{&counting_allocate, &counting_deallocate, nullptr});
  }
  ~CountAllocations() { set_allocator(AllocatorHooks{}); }
};

// A task that waits for event flag 1 and counts the wake-ups in mem[0], forever.
const char* kWaiter = R"((module
  (import "wasmio_irq" "event_wait" (func $wait (param i32) (result i32)))
  (memory (export "mem") 1)
  (func (export "task")
    (loop $l
      (drop (call $wait (i32.const 1)))
      (i32.store (i32.const 0) (i32.add (i32.load (i32.const 0)) (i32.const 1)))
      (br $l))))
)";

ContainerSpec counter_container(const char* name, std::uint32_t line, std::uint8_t priority,
                                bool with_task) {
  HandlerSpec h = handler(line, "on_irq", priority, 1000);
  h.enabled_at_start = true;
  return spinning_counter(name, h, with_task);
}

TEST(E0, RaisingALineAndPostingAnEventAllocateNothing) {
  SoftPlatform platform;
  Scheduler scheduler(platform);
  std::string error;
  auto id = scheduler.install(counter_container("c", 5, 1, false), &error);
  ASSERT_TRUE(id.has_value()) << error;
  ASSERT_TRUE(scheduler.start(*id));
  ASSERT_TRUE(platform.irqs().enabled(5));
  platform.irqs().unmask(6);  // enabled at the controller, owned by nobody
  {
    CountAllocations hooks;
    g_news = 0;
    g_hook_allocs = 0;
    t_count_news = true;
    EXPECT_TRUE(platform.irqs().raise(5));  // E0 runs here, in this thread
    EXPECT_TRUE(scheduler.post_event(*id, 4));
    EXPECT_FALSE(scheduler.post_event(*id + 7, 4));
    platform.irqs().raise(6);  // a line nobody owns: spurious, still no allocation
    t_count_news = false;
    EXPECT_EQ(g_news.load(), 0u);
    EXPECT_EQ(g_hook_allocs.load(), 0u);
    // The counters work: the loop's side of the same arrival does allocate (trace strings).
    t_count_news = true;
    scheduler.run_for(10'000);
    t_count_news = false;
    EXPECT_GT(g_news.load() + g_hook_allocs.load(), 0u);
  }
  EXPECT_EQ(scheduler.handler_stats(*id, 5)->completed, 1u);
  EXPECT_EQ(peek(scheduler, *id, 0), 1u);
  EXPECT_EQ(scheduler.info(*id)->event_flags, 4u);
  EXPECT_EQ(scheduler.spurious_interrupts(), 1u);
  EXPECT_EQ(scheduler.trace().count(TraceKind::kIrqRaised), 1u);
}

// Raises `line` `count` times, each after the previous arrival was handled (the line is enabled
// and idle again), so none may coalesce; E0 runs in this thread, concurrently with the loop.
void raise_each_after_the_last(SoftIrqController& irqs, std::uint32_t line, int count,
                               const std::atomic<bool>& give_up, std::atomic<std::uint64_t>* news) {
  t_count_news = true;
  for (int i = 0; i < count && !give_up.load(); ++i) {
    while (!give_up.load() &&
           !(irqs.enabled(line) && !irqs.pending(line) && !irqs.active(line))) {
      std::this_thread::yield();
    }
    irqs.raise(line);
  }
  t_count_news = false;
  *news = g_news.load();
}

TEST(E0, ArrivalsFromOtherThreadsWhileWasmRunsAreDeliveredExactlyOnce) {
  constexpr int kRaises = 300;
  SoftPlatform platform;
  Scheduler scheduler(platform);
  std::string error;
  auto a = scheduler.install(counter_container("a", 3, 1, true), &error);
  ASSERT_TRUE(a.has_value()) << error;
  auto b = scheduler.install(counter_container("b", 17, 2, false), &error);
  ASSERT_TRUE(b.has_value()) << error;
  ASSERT_TRUE(scheduler.start(*a));
  ASSERT_TRUE(scheduler.start(*b));
  CountAllocations hooks;
  g_news = 0;
  g_hook_allocs = 0;
  std::atomic<bool> give_up{false};
  std::atomic<std::uint64_t> news_a{0}, news_b{0};
  std::thread ta(raise_each_after_the_last, std::ref(platform.irqs()), 3u, kRaises,
                 std::cref(give_up), &news_a);
  std::thread tb(raise_each_after_the_last, std::ref(platform.irqs()), 17u, kRaises,
                 std::cref(give_up), &news_b);
  // Run until both handlers completed every arrival; the clock only guards against a hang.
  const auto guard = std::chrono::steady_clock::now() + std::chrono::seconds(60);
  while ((scheduler.handler_stats(*a, 3)->completed < kRaises ||
          scheduler.handler_stats(*b, 17)->completed < kRaises) &&
         std::chrono::steady_clock::now() < guard) {
    scheduler.run_for(20'000);
  }
  give_up = true;
  ta.join();
  tb.join();
  scheduler.run_for(20'000);  // anything still in flight would show up as an extra activation
  EXPECT_EQ(scheduler.handler_stats(*a, 3)->activations, kRaises);
  EXPECT_EQ(scheduler.handler_stats(*a, 3)->completed, kRaises);
  EXPECT_EQ(scheduler.handler_stats(*b, 17)->activations, kRaises);
  EXPECT_EQ(peek(scheduler, *a, 0), static_cast<std::uint32_t>(kRaises));
  EXPECT_EQ(peek(scheduler, *b, 0), static_cast<std::uint32_t>(kRaises));
  EXPECT_GT(peek(scheduler, *a, 8), 0u);  // the task ran in between
  EXPECT_EQ(platform.irqs().delivered(), 2u * kRaises);
  EXPECT_EQ(scheduler.spurious_interrupts(), 0u);
  EXPECT_EQ(scheduler.trace().count(TraceKind::kIrqRaised) + scheduler.isr_trace_lost(),
            2u * kRaises);
  EXPECT_EQ(g_hook_allocs.load(), 0u);  // only the raisers count
  EXPECT_EQ(g_news.load(), 0u);
}

void post_from_e0(void* context, std::uint32_t, Cycles) {
  auto* target = static_cast<std::pair<Scheduler*, ContainerId>*>(context);
  target->first->post_event(target->second, 1);
}

TEST(E0, ANativeHandlerWakesATaskWithPostEvent) {
  Rig rig;
  ContainerSpec spec;
  spec.name = "waiter";
  spec.module = assemble(kWaiter);
  spec.task = TaskSpec{"task", 10};
  const ContainerId id = rig.install_and_start(std::move(spec));
  std::pair<Scheduler*, ContainerId> target{&rig.scheduler, id};
  ASSERT_TRUE(rig.scheduler.attach_native(9, 0, NativeHandler{&post_from_e0, &target, 5}));
  PulseSource irq(rig.board, 9, 50 * kUs, 100 * kUs, 1000 * kUs);
  rig.scheduler.run_until(1000 * kUs);
  EXPECT_EQ(irq.pulses(), 10u);
  EXPECT_EQ(rig.peek32(id, 0), 10u);  // one wake-up per post: none lost, none doubled
  EXPECT_EQ(rig.scheduler.info(id)->task_state, TaskState::kWaitingEvent);
}

TEST(E0, PostEventFromAnotherThreadWakesTheTask) {
  SoftPlatform platform;
  Scheduler scheduler(platform);
  ContainerSpec spec;
  spec.name = "waiter";
  spec.module = assemble(kWaiter);
  spec.task = TaskSpec{"task", 10};
  std::string error;
  auto id = scheduler.install(std::move(spec), &error);
  ASSERT_TRUE(id.has_value()) << error;
  ASSERT_TRUE(scheduler.start(*id));
  scheduler.run_for(1000);
  ASSERT_EQ(scheduler.info(*id)->task_state, TaskState::kWaitingEvent);
  std::thread poster([&] { EXPECT_TRUE(scheduler.post_event(*id, 1)); });
  poster.join();
  scheduler.run_for(1000);
  EXPECT_EQ(peek(scheduler, *id, 0), 1u);
  EXPECT_EQ(scheduler.info(*id)->task_state, TaskState::kWaitingEvent);
  // Removed containers take no more events.
  ASSERT_TRUE(scheduler.remove(*id));
  EXPECT_FALSE(scheduler.post_event(*id, 1));
}

}  // namespace
}  // namespace wasmio::sched::test
