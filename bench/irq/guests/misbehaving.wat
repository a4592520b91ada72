;; A handler that never returns; its task re-enables the line after every fault it is told of.
(module
  (import "wasmio_irq" "enable" (func $enable (param i32)))
  (import "wasmio_irq" "line_of" (func $line_of (param i32) (result i32)))
  (import "wasmio_irq" "event_wait" (func $wait (param i32) (result i32)))
  (memory (export "mem") 1)
  (func (export "task")
    (loop $again
      (call $enable (call $line_of (i32.const 0)))
      (drop (call $wait (i32.const 0x80000000)))
      (br $again)))
  (func (export "on_irq") (loop $forever (br $forever))))
