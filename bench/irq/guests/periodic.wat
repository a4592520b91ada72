;; The victim: a periodic task doing a fixed amount of work per job.
(module
  (import "wasmio_irq" "wait_period" (func $wait))
  (memory (export "mem") 1)
  (func (export "task") (local $i i32)
    (loop $job
      (local.set $i (i32.const 0))
      (loop $w
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (br_if $w (i32.lt_u (local.get $i) (i32.const 300))))
      (call $wait)
      (br $job))))
