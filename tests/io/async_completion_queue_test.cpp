// The service side of completion at the interrupt level (0012 §8), without a scheduler: the
// completion line is a spare controller line, one per client; a transfer asking for
// kEventCompletionIrq pends it when it ends (done, failed or cancelled) and queues its op for
// next_completed in the order the ops ended; bit 31 never reaches the task's event flags.
#include <gtest/gtest.h>

#include <algorithm>

#include "async_container_fixture.h"
#include "io/sim/tmp105.h"

namespace wasmio::io::async {
namespace {

class AsyncCompletionQueue : public AsyncTransfer {};

TEST_F(AsyncCompletionQueue, LineIsSpareAndOnePerClient) {
  const std::uint32_t line = client->enable_completion_irq();
  ASSERT_NE(line, UINT32_MAX);
  EXPECT_EQ(client->enable_completion_irq(), line);  // once per client
  for (const BoardNode& n : session->tree().board().nodes) {
    EXPECT_EQ(std::count(n.irqs.begin(), n.irqs.end(), line), 0) << n.path;
  }
  auto other = service->client("other");
  const std::uint32_t second = other->enable_completion_irq();
  EXPECT_NE(second, UINT32_MAX);
  EXPECT_NE(second, line);
  other.reset();  // its line is free again
  auto third = service->client("third");
  EXPECT_EQ(third->enable_completion_irq(), second);
}

TEST_F(AsyncCompletionQueue, OpsEndInOrderOnePendCoalescesAndTheTaskBitsStayApart) {
  const std::uint32_t line = client->enable_completion_irq();
  ASSERT_NE(line, UINT32_MAX);
  auto* tmp = session->board().find_as<sim::Tmp105>("tmp105");
  ASSERT_NE(tmp, nullptr);
  ASSERT_TRUE(tmp->set_temperature_mc(21'000));
  uart_setup(1);
  put(0x100, "sixteen bytes...");
  put(0x500, std::string("\0", 1));
  const std::uint32_t irq = kEventCompletionIrq;
  // The I2C transaction (~30 bit times at 100 kHz) ends after the 16 UART frames (160 cycles).
  const std::int32_t i2c = call("i2c_transfer", {2, 0x48, 0x500, 1, 0x510, 2, irq | 0x8});
  const std::int32_t uart_op = call("uart_write", {0, 0x100, 16, irq});
  ASSERT_GT(i2c, 0);
  ASSERT_GT(uart_op, 0);
  const std::uint64_t pends = session->board().irqs().pend_count(line);
  run();
  EXPECT_TRUE(session->board().irqs().pending(line));  // nobody took it: it stays pending
  EXPECT_EQ(session->board().irqs().pend_count(line), pends + 1);  // the second raise coalesced
  EXPECT_EQ(events, 0x8u);                                         // the task bits only
  EXPECT_EQ(client->next_completed(), uart_op);
  EXPECT_EQ(client->next_completed(), i2c);
  EXPECT_EQ(client->next_completed(), 0);
  EXPECT_EQ(call("result", {static_cast<std::uint32_t>(uart_op)}), kDone);
  EXPECT_EQ(call("result", {static_cast<std::uint32_t>(i2c)}), kDone);
}

TEST_F(AsyncCompletionQueue, CancelAndFailureAreCompletionsToo) {
  ASSERT_NE(client->enable_completion_irq(), UINT32_MAX);
  uart_setup(1);
  put(0x100, std::string(64, 'c'));
  const std::int32_t cancelled = call("uart_write", {0, 0x100, 64, kEventCompletionIrq});
  ASSERT_GT(cancelled, 0);
  EXPECT_EQ(call("cancel", {static_cast<std::uint32_t>(cancelled)}), kDone);
  put(0x500, std::string("\0", 1));
  const std::int32_t nacked =  // nobody at 0x21: NACK
      call("i2c_transfer", {2, 0x21, 0x500, 1, 0x510, 2, kEventCompletionIrq});
  ASSERT_GT(nacked, 0);
  run();
  EXPECT_EQ(client->next_completed(), cancelled);
  EXPECT_EQ(client->next_completed(), nacked);
  EXPECT_EQ(call("result", {static_cast<std::uint32_t>(nacked)}), kDeviceError);
  // A result taken before the handler looked leaves nothing queued for it.
  const std::int32_t taken = call("uart_write", {0, 0x100, 4, kEventCompletionIrq});
  run();
  EXPECT_EQ(call("result", {static_cast<std::uint32_t>(taken)}), kDone);
  EXPECT_EQ(client->next_completed(), 0);
}

TEST_F(AsyncCompletionQueue, AskingWithoutALineIsRefusedWithNothingLent) {
  uart_setup(1);
  EXPECT_EQ(call("uart_write", {0, 0x100, 4, kEventCompletionIrq}), kInvalid);
  EXPECT_EQ(service->running(), 0u);
  EXPECT_GT(call("uart_write", {0, 0x100, 4, 0}), 0);  // the same bytes, lendable
}

}  // namespace
}  // namespace wasmio::io::async
