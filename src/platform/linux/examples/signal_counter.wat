;; A container for the Linux platform example: its interrupt handler (a signal) counts arrivals in
;; mem[0] and posts event 1; its task waits for the event and counts wake-ups in mem[4].
(module
  (import "wasmio_irq" "event_post" (func $post (param i32)))
  (import "wasmio_irq" "event_wait" (func $wait (param i32) (result i32)))
  (memory (export "mem") 1)
  (func (export "on_signal")
    (i32.store (i32.const 0) (i32.add (i32.load (i32.const 0)) (i32.const 1)))
    (call $post (i32.const 1)))
  (func (export "main")
    (loop $l
      (drop (call $wait (i32.const 1)))
      (i32.store (i32.const 4) (i32.add (i32.load (i32.const 4)) (i32.const 1)))
      (br $l))))
