;; E1 background load: one endless job of short loop iterations (a safe point per iteration),
;; so an interrupt meets the task somewhere inside a loop region.
(module
  (memory (export "mem") 1)
  (func (export "task") (local $i i32) (local $acc i32)
    (loop $l
      (local.set $acc (i32.xor (i32.mul (local.get $acc) (i32.const 31)) (local.get $i)))
      (local.set $i (i32.add (local.get $i) (i32.const 1)))
      (i32.store (i32.const 0) (local.get $acc))
      (br $l))))
