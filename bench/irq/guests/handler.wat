;; The measured E1/4 handler: counts its activations (its first instruction is the latency's
;; end point).
(module
  (import "wasmio_irq" "enable" (func $enable (param i32)))
  (import "wasmio_irq" "line_of" (func $line_of (param i32) (result i32)))
  (memory (export "mem") 1)
  (func (export "task") (call $enable (call $line_of (i32.const 0))))
  (func (export "on_irq")
    (i32.store (i32.const 0) (i32.add (i32.load (i32.const 0)) (i32.const 1)))))
