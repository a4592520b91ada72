;; An E1/4 handler whose work depends on its data, as a receive handler draining a FIFO does:
;; activation k runs ((k * 7 + 3) mod 16) + 1 iterations of a small copy loop, so its work per
;; activation has a real minimum, mean and maximum.
(module
  (import "wasmio_irq" "enable" (func $enable (param i32)))
  (import "wasmio_irq" "line_of" (func $line_of (param i32) (result i32)))
  (memory (export "mem") 1)
  (func (export "task") (call $enable (call $line_of (i32.const 0))))
  (func (export "on_irq") (local $n i32) (local $i i32)
    (local.set $n (i32.add (i32.rem_u (i32.add (i32.mul (i32.load (i32.const 0)) (i32.const 7))
                                               (i32.const 3))
                                      (i32.const 16))
                           (i32.const 1)))
    (loop $copy
      (i32.store8 (i32.add (i32.const 64) (i32.and (local.get $i) (i32.const 63)))
                  (i32.add (local.get $i) (i32.load (i32.const 0))))
      (local.set $i (i32.add (local.get $i) (i32.const 1)))
      (br_if $copy (i32.lt_u (local.get $i) (local.get $n))))
    (i32.store (i32.const 0) (i32.add (i32.load (i32.const 0)) (i32.const 1)))))
