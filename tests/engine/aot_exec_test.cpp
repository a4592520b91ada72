// The AOT tier against the interpreter: the same module runs in two instances, one interpreted
// and one from native code, and every call must agree on results, traps (code and backtrace)
// and fuel. Plus what only the native path has: image refusal, the native stack budget,
// suspension at safe points and in host calls, resumed by the interpreter.
#include <gtest/gtest.h>

#include <cstring>
#include <vector>

#include "aot_test_support.h"

namespace wasmio {
namespace {

using aot_test::NativeCode;
using exec_test::load_wat_with_names;

HostStatus host_add(HostCall& call) {
  call.set_i32(0, call.arg_i32(0) + call.arg_i32(1));
  return HostStatus::kReturn;
}

// What one call did.
struct Outcome {
  bool ok = false;
  RunState state = RunState::kIdle;
  std::vector<std::uint64_t> results;
  ErrorCode trap = ErrorCode::kUnreachable;
  std::vector<std::uint32_t> backtrace;  // function indices, innermost first
  std::uint64_t fuel = 0;
};

bool operator==(const Outcome& a, const Outcome& b) {
  return a.ok == b.ok && a.state == b.state && a.results == b.results && a.trap == b.trap &&
         a.backtrace == b.backtrace && a.fuel == b.fuel;
}
std::ostream& operator<<(std::ostream& os, const Outcome& o) {
  os << (o.ok ? "ok" : error_message(o.trap)) << " fuel=" << o.fuel << " results=[";
  for (auto r : o.results) os << r << " ";
  os << "] backtrace=[";
  for (auto f : o.backtrace) os << f << " ";
  return os << "]";
}

Outcome observe(Execution& ex, Expected<RunState> r) {
  Outcome o;
  o.ok = r.has_value();
  o.fuel = ex.fuel_consumed();
  if (r) {
    o.state = *r;
    for (const Value& v : ex.results()) {
      o.results.push_back(v.type == ValType::kI32 || v.type == ValType::kF32 ? v.of.i32 : v.of.i64);
    }
  } else {
    o.trap = r.error().code;
    for (const BacktraceFrame& f : ex.backtrace()) o.backtrace.push_back(f.function_index);
  }
  return o;
}

// One module, an interpreted and a native instance of it in one store.
class Pair {
 public:
  explicit Pair(const std::string& wat) {
    module_ = load_wat_with_names(wat);
    if (!module_) return;
    aot_test::compile_native(*module_, &native_);
    if (native_.image == nullptr) return;
    FuncType type;
    static const ValType kParams[] = {ValType::kI32, ValType::kI32};
    static const ValType kResults[] = {ValType::kI32};
    type.params = kParams;
    type.results = kResults;
    FunctionInstance* host = store_->add_host_function(type, host_add, nullptr, "host_add");
    for (Instance** slot : {&interpreted_, &compiled_}) {
      std::vector<Extern> imports;
      for (std::uint32_t i = 0; i < module_->import_count(); ++i) imports.push_back(Extern::of(host));
      auto instance = store_->instantiate(*module_, imports);
      if (!instance) {
        ADD_FAILURE() << "instantiate: " << instance.error().message();
        return;
      }
      *slot = *instance;
    }
    auto attached = compiled_->attach_native(*native_.image);
    EXPECT_TRUE(attached.has_value());
    EXPECT_TRUE(compiled_->has_native());
    EXPECT_FALSE(interpreted_->has_native());
  }
  bool ready() const { return compiled_ != nullptr && compiled_->has_native(); }

  Outcome run(Instance* instance, const char* name, std::vector<Value> args, std::uint64_t fuel) {
    Execution ex;
    if (fuel != 0) ex.set_fuel(fuel);
    FunctionInstance* f = instance->exported_function(name);
    EXPECT_NE(f, nullptr) << name;
    return observe(ex, ex.invoke(f, args));
  }
  // Both ways; they must agree. Returns the native outcome.
  Outcome same(const char* name, std::vector<Value> args, std::uint64_t fuel = 0) {
    const Outcome a = run(interpreted_, name, args, fuel);
    const Outcome b = run(compiled_, name, args, fuel);
    EXPECT_EQ(a, b) << name;
    return b;
  }

  NativeCode native_;  // unloaded after the store below
  std::unique_ptr<Module> module_;
  std::unique_ptr<Store> store_ = std::make_unique<Store>();
  Instance* interpreted_ = nullptr;
  Instance* compiled_ = nullptr;
};

Value i32(std::uint32_t v) { return Value::i32(v); }
Value i64(std::uint64_t v) { return Value::i64(v); }
Value f32(float v) { return Value::f32(v); }
Value f64(double v) { return Value::f64(v); }

constexpr const char* kOps = R"(
(module
  (type $ii_i (func (param i32 i32) (result i32)))
  (type $l_l (func (param i64) (result i64)))
  (import "env" "host_add" (func $host_add (param i32 i32) (result i32)))
  (memory 1 3)
  (data $d "\01\02\03\04\05\06\07\08hello")
  (table $t 4 10 funcref)
  (table $t2 2 funcref)
  (elem $e func $add $sub)
  (elem (table $t) (i32.const 0) func $add $sub)
  (global $g (mut i32) (i32.const 7))
  (global $g64 (mut i64) (i64.const -5))
  (func $add (type $ii_i) (i32.add (local.get 0) (local.get 1)))
  (func $sub (type $ii_i) (i32.sub (local.get 0) (local.get 1)))
  (func $neg64 (type $l_l) (i64.sub (i64.const 0) (local.get 0)))
  (func (export "i32_ops") (param $a i32) (param $b i32) (result i32)
    (i32.add (local.get $a) (local.get $b))
    (i32.xor (i32.sub (local.get $a) (local.get $b)))
    (i32.xor (i32.mul (local.get $a) (local.get $b)))
    (i32.xor (i32.and (local.get $a) (local.get $b)))
    (i32.xor (i32.or (local.get $a) (local.get $b)))
    (i32.xor (i32.shl (local.get $a) (local.get $b)))
    (i32.xor (i32.shr_s (local.get $a) (local.get $b)))
    (i32.xor (i32.shr_u (local.get $a) (local.get $b)))
    (i32.xor (i32.rotl (local.get $a) (local.get $b)))
    (i32.xor (i32.rotr (local.get $a) (local.get $b)))
    (i32.xor (i32.shl (i32.eq (local.get $a) (local.get $b)) (i32.const 1)))
    (i32.xor (i32.shl (i32.ne (local.get $a) (local.get $b)) (i32.const 2)))
    (i32.xor (i32.shl (i32.lt_s (local.get $a) (local.get $b)) (i32.const 3)))
    (i32.xor (i32.shl (i32.lt_u (local.get $a) (local.get $b)) (i32.const 4)))
    (i32.xor (i32.shl (i32.gt_s (local.get $a) (local.get $b)) (i32.const 5)))
    (i32.xor (i32.shl (i32.gt_u (local.get $a) (local.get $b)) (i32.const 6)))
    (i32.xor (i32.shl (i32.le_s (local.get $a) (local.get $b)) (i32.const 7)))
    (i32.xor (i32.shl (i32.le_u (local.get $a) (local.get $b)) (i32.const 8)))
    (i32.xor (i32.shl (i32.ge_s (local.get $a) (local.get $b)) (i32.const 9)))
    (i32.xor (i32.shl (i32.ge_u (local.get $a) (local.get $b)) (i32.const 10)))
    (i32.xor (i32.clz (local.get $a)))
    (i32.xor (i32.ctz (local.get $b)))
    (i32.xor (i32.popcnt (local.get $a)))
    (i32.xor (i32.eqz (local.get $b)))
    (i32.xor (i32.extend8_s (local.get $a)))
    (i32.xor (i32.extend16_s (local.get $b))))
  (func (export "i32_imm") (param $a i32) (result i32)
    (i32.add (local.get $a) (i32.const 5))
    (i32.xor (i32.mul (local.get $a) (i32.const 3)))
    (i32.xor (i32.and (local.get $a) (i32.const 0xff0)))
    (i32.xor (i32.or (local.get $a) (i32.const 0x10001)))
    (i32.xor (i32.xor (local.get $a) (i32.const -1)))
    (i32.xor (i32.shl (local.get $a) (i32.const 3)))
    (i32.xor (i32.shr_s (local.get $a) (i32.const 2)))
    (i32.xor (i32.shr_u (local.get $a) (i32.const 1)))
    (i32.xor (i32.rotl (local.get $a) (i32.const 7)))
    (i32.xor (i32.rotr (local.get $a) (i32.const 9)))
    (i32.xor (i32.shl (i32.eq (local.get $a) (i32.const 4)) (i32.const 11)))
    (i32.xor (i32.shl (i32.ne (local.get $a) (i32.const 4)) (i32.const 12)))
    (i32.xor (i32.shl (i32.lt_s (local.get $a) (i32.const -3)) (i32.const 13)))
    (i32.xor (i32.shl (i32.lt_u (local.get $a) (i32.const 100)) (i32.const 14)))
    (i32.xor (i32.shl (i32.gt_s (local.get $a) (i32.const -3)) (i32.const 15)))
    (i32.xor (i32.shl (i32.gt_u (local.get $a) (i32.const 100)) (i32.const 16)))
    (i32.xor (i32.shl (i32.le_s (local.get $a) (i32.const 0)) (i32.const 17)))
    (i32.xor (i32.shl (i32.le_u (local.get $a) (i32.const 9)) (i32.const 18)))
    (i32.xor (i32.shl (i32.ge_s (local.get $a) (i32.const 1)) (i32.const 19)))
    (i32.xor (i32.shl (i32.ge_u (local.get $a) (i32.const 9)) (i32.const 20))))
  (func (export "i32_div") (param $a i32) (param $b i32) (result i32)
    (i32.xor (i32.div_s (local.get $a) (local.get $b)) (i32.rem_s (local.get $a) (local.get $b))))
  (func (export "u32_div") (param $a i32) (param $b i32) (result i32)
    (i32.xor (i32.div_u (local.get $a) (local.get $b)) (i32.rem_u (local.get $a) (local.get $b))))
  (func (export "i64_ops") (param $a i64) (param $b i64) (result i64)
    (i64.add (local.get $a) (local.get $b))
    (i64.xor (i64.sub (local.get $a) (local.get $b)))
    (i64.xor (i64.mul (local.get $a) (local.get $b)))
    (i64.xor (i64.and (local.get $a) (local.get $b)))
    (i64.xor (i64.or (local.get $a) (local.get $b)))
    (i64.xor (i64.shl (local.get $a) (local.get $b)))
    (i64.xor (i64.shr_s (local.get $a) (local.get $b)))
    (i64.xor (i64.shr_u (local.get $a) (local.get $b)))
    (i64.xor (i64.rotl (local.get $a) (local.get $b)))
    (i64.xor (i64.rotr (local.get $a) (local.get $b)))
    (i64.xor (i64.extend_i32_u (i32.add (i64.eq (local.get $a) (local.get $b)) (i32.shl (i64.ne (local.get $a) (local.get $b)) (i32.const 1)))))
    (i64.xor (i64.extend_i32_u (i32.add (i64.lt_s (local.get $a) (local.get $b)) (i32.shl (i64.lt_u (local.get $a) (local.get $b)) (i32.const 2)))))
    (i64.xor (i64.extend_i32_u (i32.add (i64.gt_s (local.get $a) (local.get $b)) (i32.shl (i64.gt_u (local.get $a) (local.get $b)) (i32.const 3)))))
    (i64.xor (i64.extend_i32_u (i32.add (i64.le_s (local.get $a) (local.get $b)) (i32.shl (i64.le_u (local.get $a) (local.get $b)) (i32.const 4)))))
    (i64.xor (i64.extend_i32_u (i32.add (i64.ge_s (local.get $a) (local.get $b)) (i32.shl (i64.ge_u (local.get $a) (local.get $b)) (i32.const 5)))))
    (i64.xor (i64.extend_i32_s (i64.eqz (local.get $a))))
    (i64.xor (i64.clz (local.get $a)))
    (i64.xor (i64.ctz (local.get $b)))
    (i64.xor (i64.popcnt (local.get $a)))
    (i64.xor (i64.extend8_s (local.get $a)))
    (i64.xor (i64.extend16_s (local.get $b)))
    (i64.xor (i64.extend32_s (local.get $a)))
    (i64.xor (i64.add (local.get $a) (i64.const 0x123456789)))
    (i64.xor (i64.mul (local.get $a) (i64.const 3)))
    (i64.xor (i64.shl (local.get $a) (i64.const 40)))
    (i64.xor (i64.rotr (local.get $b) (i64.const 13)))
    (i64.xor (i64.extend_i32_u (i64.lt_s (local.get $a) (i64.const -7))))
    (i64.xor (i64.extend_i32_u (i64.ge_u (local.get $b) (i64.const 0x100000000)))))
  (func (export "i64_div") (param $a i64) (param $b i64) (result i64)
    (i64.xor (i64.div_s (local.get $a) (local.get $b)) (i64.rem_s (local.get $a) (local.get $b)))
    (i64.xor (i64.div_u (local.get $a) (local.get $b)))
    (i64.xor (i64.rem_u (local.get $a) (local.get $b))))
  (func (export "f32_ops") (param $a f32) (param $b f32) (result i32)
    (i32.reinterpret_f32 (f32.add (local.get $a) (local.get $b)))
    (i32.xor (i32.reinterpret_f32 (f32.sub (local.get $a) (local.get $b))))
    (i32.xor (i32.reinterpret_f32 (f32.mul (local.get $a) (local.get $b))))
    (i32.xor (i32.reinterpret_f32 (f32.div (local.get $a) (local.get $b))))
    (i32.xor (i32.reinterpret_f32 (f32.min (local.get $a) (local.get $b))))
    (i32.xor (i32.reinterpret_f32 (f32.max (local.get $a) (local.get $b))))
    (i32.xor (i32.reinterpret_f32 (f32.copysign (local.get $a) (local.get $b))))
    (i32.xor (i32.reinterpret_f32 (f32.abs (local.get $b))))
    (i32.xor (i32.reinterpret_f32 (f32.neg (local.get $a))))
    (i32.xor (i32.reinterpret_f32 (f32.ceil (local.get $a))))
    (i32.xor (i32.reinterpret_f32 (f32.floor (local.get $a))))
    (i32.xor (i32.reinterpret_f32 (f32.trunc (local.get $b))))
    (i32.xor (i32.reinterpret_f32 (f32.nearest (local.get $a))))
    (i32.xor (i32.reinterpret_f32 (f32.sqrt (local.get $b))))
    (i32.xor (i32.shl (f32.eq (local.get $a) (local.get $b)) (i32.const 1)))
    (i32.xor (i32.shl (f32.ne (local.get $a) (local.get $b)) (i32.const 2)))
    (i32.xor (i32.shl (f32.lt (local.get $a) (local.get $b)) (i32.const 3)))
    (i32.xor (i32.shl (f32.gt (local.get $a) (local.get $b)) (i32.const 4)))
    (i32.xor (i32.shl (f32.le (local.get $a) (local.get $b)) (i32.const 5)))
    (i32.xor (i32.shl (f32.ge (local.get $a) (local.get $b)) (i32.const 6)))
    (i32.xor (i32.reinterpret_f32 (f32.demote_f64 (f64.promote_f32 (local.get $a)))))
    (i32.xor (i32.trunc_sat_f32_s (local.get $a)))
    (i32.xor (i32.trunc_sat_f32_u (local.get $b)))
    (i32.xor (i32.wrap_i64 (i64.trunc_sat_f32_s (local.get $a))))
    (i32.xor (i32.wrap_i64 (i64.trunc_sat_f32_u (local.get $b))))
    (i32.xor (i32.reinterpret_f32 (f32.convert_i32_s (i32.trunc_sat_f32_s (local.get $a)))))
    (i32.xor (i32.reinterpret_f32 (f32.convert_i32_u (i32.const -1))))
    (i32.xor (i32.reinterpret_f32 (f32.convert_i64_s (i64.const -3))))
    (i32.xor (i32.reinterpret_f32 (f32.convert_i64_u (i64.const -1))))
    (i32.xor (i32.reinterpret_f32 (f32.reinterpret_i32 (i32.const 0x7fc00001)))))
  (func (export "f64_ops") (param $a f64) (param $b f64) (result i64)
    (i64.reinterpret_f64 (f64.add (local.get $a) (local.get $b)))
    (i64.xor (i64.reinterpret_f64 (f64.sub (local.get $a) (local.get $b))))
    (i64.xor (i64.reinterpret_f64 (f64.mul (local.get $a) (local.get $b))))
    (i64.xor (i64.reinterpret_f64 (f64.div (local.get $a) (local.get $b))))
    (i64.xor (i64.reinterpret_f64 (f64.min (local.get $a) (local.get $b))))
    (i64.xor (i64.reinterpret_f64 (f64.max (local.get $a) (local.get $b))))
    (i64.xor (i64.reinterpret_f64 (f64.copysign (local.get $a) (local.get $b))))
    (i64.xor (i64.reinterpret_f64 (f64.abs (local.get $b))))
    (i64.xor (i64.reinterpret_f64 (f64.neg (local.get $a))))
    (i64.xor (i64.reinterpret_f64 (f64.ceil (local.get $a))))
    (i64.xor (i64.reinterpret_f64 (f64.floor (local.get $a))))
    (i64.xor (i64.reinterpret_f64 (f64.trunc (local.get $b))))
    (i64.xor (i64.reinterpret_f64 (f64.nearest (local.get $a))))
    (i64.xor (i64.reinterpret_f64 (f64.sqrt (local.get $b))))
    (i64.xor (i64.extend_i32_u (i32.add (f64.eq (local.get $a) (local.get $b)) (i32.shl (f64.ne (local.get $a) (local.get $b)) (i32.const 1)))))
    (i64.xor (i64.extend_i32_u (i32.add (f64.lt (local.get $a) (local.get $b)) (i32.shl (f64.gt (local.get $a) (local.get $b)) (i32.const 2)))))
    (i64.xor (i64.extend_i32_u (i32.add (f64.le (local.get $a) (local.get $b)) (i32.shl (f64.ge (local.get $a) (local.get $b)) (i32.const 3)))))
    (i64.xor (i64.trunc_sat_f64_s (local.get $a)))
    (i64.xor (i64.trunc_sat_f64_u (local.get $b)))
    (i64.xor (i64.extend_i32_u (i32.trunc_sat_f64_s (local.get $a))))
    (i64.xor (i64.extend_i32_u (i32.trunc_sat_f64_u (local.get $b))))
    (i64.xor (i64.reinterpret_f64 (f64.convert_i32_s (i32.const -9))))
    (i64.xor (i64.reinterpret_f64 (f64.convert_i32_u (i32.const -9))))
    (i64.xor (i64.reinterpret_f64 (f64.convert_i64_s (i64.const -9))))
    (i64.xor (i64.reinterpret_f64 (f64.convert_i64_u (i64.const -9))))
    (i64.xor (i64.reinterpret_f64 (f64.reinterpret_i64 (i64.const 0x7ff8000000000001)))))
  (func (export "trunc_i32_f32_s") (param f32) (result i32) (i32.trunc_f32_s (local.get 0)))
  (func (export "trunc_i32_f32_u") (param f32) (result i32) (i32.trunc_f32_u (local.get 0)))
  (func (export "trunc_i32_f64_s") (param f64) (result i32) (i32.trunc_f64_s (local.get 0)))
  (func (export "trunc_i32_f64_u") (param f64) (result i32) (i32.trunc_f64_u (local.get 0)))
  (func (export "trunc_i64_f32_s") (param f32) (result i64) (i64.trunc_f32_s (local.get 0)))
  (func (export "trunc_i64_f32_u") (param f32) (result i64) (i64.trunc_f32_u (local.get 0)))
  (func (export "trunc_i64_f64_s") (param f64) (result i64) (i64.trunc_f64_s (local.get 0)))
  (func (export "trunc_i64_f64_u") (param f64) (result i64) (i64.trunc_f64_u (local.get 0)))
  (func (export "loops") (param $n i32) (result i32) (local $i i32) (local $s i32) (local $j i32)
    (block $done
      (loop $outer
        (br_if $done (i32.ge_u (local.get $i) (local.get $n)))
        (local.set $j (i32.const 0))
        (loop $inner
          (local.set $s (i32.add (local.get $s) (i32.mul (local.get $i) (local.get $j))))
          (local.set $j (i32.add (local.get $j) (i32.const 1)))
          (br_if $inner (i32.lt_u (local.get $j) (i32.const 5))))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (br_if $outer (i32.ne (local.get $i) (i32.const 1000)))))
    (local.get $s))
  (func (export "branches") (param $x i32) (result i32) (local $r i32)
    (block $b3 (block $b2 (block $b1 (block $b0
      (br_table $b0 $b1 $b2 $b3 (local.get $x)))
      (local.set $r (i32.const 10)) (br $b3))
      (local.set $r (i32.const 20)) (br $b3))
      (local.set $r (i32.const 30)))
    (if (i32.eqz (local.get $x)) (then (local.set $r (i32.add (local.get $r) (i32.const 1)))))
    (if (i32.gt_s (local.get $x) (i32.const 7)) (then (local.set $r (i32.add (local.get $r) (i32.const 2))))
      (else (local.set $r (i32.add (local.get $r) (i32.const 4)))))
    (if (i32.lt_u (local.get $x) (local.get $r)) (then (local.set $r (i32.add (local.get $r) (i32.const 8)))))
    (select (local.get $r) (i32.const 99) (i32.and (local.get $x) (i32.const 1))))
  (func (export "select64") (param $c i32) (param $a i64) (param $b i64) (result i64)
    (select (local.get $a) (local.get $b) (local.get $c)))
  (func (export "memory") (param $p i32) (param $v i64) (result i64)
    (i64.store (local.get $p) (local.get $v))
    (i32.store offset=8 (local.get $p) (i32.wrap_i64 (local.get $v)))
    (i64.store32 offset=12 (local.get $p) (local.get $v))
    (i64.store16 offset=16 (local.get $p) (local.get $v))
    (i32.store16 offset=18 (local.get $p) (i32.const 0x8765))
    (i64.store8 offset=20 (local.get $p) (local.get $v))
    (i32.store8 offset=21 (local.get $p) (i32.const 0x81))
    (f32.store offset=24 (local.get $p) (f32.const -1.5))
    (f64.store offset=32 (local.get $p) (f64.const 2.25))
    (i64.load (local.get $p))
    (i64.xor (i64.extend_i32_u (i32.load offset=8 (local.get $p))))
    (i64.xor (i64.load32_s offset=12 (local.get $p)))
    (i64.xor (i64.load32_u offset=12 (local.get $p)))
    (i64.xor (i64.load16_s offset=18 (local.get $p)))
    (i64.xor (i64.load16_u offset=16 (local.get $p)))
    (i64.xor (i64.load8_s offset=21 (local.get $p)))
    (i64.xor (i64.load8_u offset=20 (local.get $p)))
    (i64.xor (i64.extend_i32_u (i32.load16_s offset=18 (local.get $p))))
    (i64.xor (i64.extend_i32_u (i32.load16_u offset=18 (local.get $p))))
    (i64.xor (i64.extend_i32_u (i32.load8_s offset=21 (local.get $p))))
    (i64.xor (i64.extend_i32_u (i32.load8_u offset=21 (local.get $p))))
    (i64.xor (i64.extend_i32_u (i32.reinterpret_f32 (f32.load offset=24 (local.get $p)))))
    (i64.xor (i64.reinterpret_f64 (f64.load offset=32 (local.get $p)))))
  (func (export "grow") (param $n i32) (result i32)
    (i32.add (i32.mul (memory.grow (local.get $n)) (i32.const 100)) (memory.size)))
  (func (export "grow_then_load") (result i32)
    (drop (memory.grow (i32.const 1)))
    (i32.store (i32.const 70000) (i32.const 42))
    (i32.load (i32.const 70000)))
  (func (export "bulk") (param $n i32) (result i64)
    (memory.fill (i32.const 100) (i32.const 0xab) (i32.const 16))
    (memory.init $d (i32.const 104) (i32.const 2) (local.get $n))
    (memory.copy (i32.const 200) (i32.const 100) (i32.const 16))
    (i64.load (i32.const 202)))
  (func (export "drop_then_init")
    (data.drop $d)
    (memory.init $d (i32.const 0) (i32.const 0) (i32.const 1)))
  (func (export "globals") (param $x i64) (result i64)
    (global.set $g (i32.add (global.get $g) (i32.const 1)))
    (global.set $g64 (i64.mul (global.get $g64) (local.get $x)))
    (i64.add (global.get $g64) (i64.extend_i32_s (global.get $g))))
  (func (export "tables") (param $i i32) (result i32)
    (table.set $t (i32.const 2) (table.get $t (i32.const 1)))
    (drop (table.grow $t (ref.func $add) (i32.const 2)))
    (table.fill $t (i32.const 4) (ref.null func) (i32.const 2))
    (table.copy $t2 $t (i32.const 0) (i32.const 0) (i32.const 2))
    (table.init $t $e (i32.const 3) (i32.const 0) (i32.const 1))
    (elem.drop $e)
    (i32.add (i32.mul (table.size $t) (i32.const 10)) (ref.is_null (table.get $t (local.get $i)))))
  (func (export "indirect") (param $a i32) (param $b i32) (param $i i32) (result i32)
    (call_indirect $t (type $ii_i) (local.get $a) (local.get $b) (local.get $i)))
  (func (export "indirect_wrong_type") (param $i i32) (result i64)
    (call_indirect $t (type $l_l) (i64.const 1) (local.get $i)))
  (func (export "host") (param $a i32) (param $b i32) (result i32)
    (i32.mul (call $host_add (local.get $a) (local.get $b)) (call $add (local.get $a) (i32.const 1))))
  (func $inner (param $x i32) (result i32) (i32.div_u (i32.const 100) (local.get $x)))
  (func $middle (param $x i32) (result i32) (i32.add (call $inner (local.get $x)) (i32.const 1)))
  (func (export "nested") (param $x i32) (result i32) (i32.mul (call $middle (local.get $x)) (i32.const 3)))
  (func $fac (export "fac") (param $n i64) (result i64)
    (if (result i64) (i64.le_u (local.get $n) (i64.const 1)) (then (i64.const 1))
      (else (i64.mul (local.get $n) (call $fac (i64.sub (local.get $n) (i64.const 1)))))))
  (func $runaway (export "runaway") (param $n i32) (result i32)
    (i32.add (call $runaway (i32.add (local.get $n) (i32.const 1))) (i32.const 1)))
  (func (export "multi") (param $x i32) (result i32 i64 f64)
    (local.get $x) (i64.extend_i32_s (local.get $x)) (f64.convert_i32_s (local.get $x)))
  (func (export "unreachable") (unreachable))
  (func (export "oob") (param $p i32) (result i32) (i32.load offset=4 (local.get $p)))
)
)";

class AotOps : public ::testing::Test {
 protected:
  static void SetUpTestSuite() { pair_ = new Pair(kOps); }
  static void TearDownTestSuite() {
    delete pair_;
    pair_ = nullptr;
  }
  void SetUp() override { ASSERT_TRUE(pair_ != nullptr && pair_->ready()); }
  static Pair* pair_;
};
Pair* AotOps::pair_ = nullptr;

TEST_F(AotOps, IntegerOperations) {
  const std::uint32_t values[] = {0, 1, 5, 31, 33, 0x80000000u, 0xffffffffu, 0x12345678u, 100, 9};
  for (std::uint32_t a : values) {
    pair_->same("i32_imm", {i32(a)});
    for (std::uint32_t b : values) {
      pair_->same("i32_ops", {i32(a), i32(b)});
      pair_->same("i32_div", {i32(a), i32(b)});  // includes divide by zero and INT_MIN / -1
      pair_->same("u32_div", {i32(a), i32(b)});
    }
  }
  const std::uint64_t wide[] = {0, 1, 63, 65, 0x8000000000000000ull, ~0ull, 0x123456789abcdefull, 0x100000000ull};
  for (std::uint64_t a : wide) {
    for (std::uint64_t b : wide) {
      pair_->same("i64_ops", {i64(a), i64(b)});
      pair_->same("i64_div", {i64(a), i64(b)});
    }
  }
  EXPECT_EQ(pair_->same("i32_div", {i32(0x80000000u), i32(0xffffffffu)}).trap, ErrorCode::kIntegerOverflow);
  EXPECT_EQ(pair_->same("u32_div", {i32(1), i32(0)}).trap, ErrorCode::kIntegerDivideByZero);
}

TEST_F(AotOps, FloatOperationsAndConversions) {
  const float fs[] = {0.0f, -0.0f, 1.5f, -2.5f, 2.5f, 3e9f, -3e9f, 1e20f, __builtin_nanf(""), __builtin_inff(), -1.0f};
  for (float a : fs) {
    for (float b : fs) pair_->same("f32_ops", {f32(a), f32(b)});
    pair_->same("trunc_i32_f32_s", {f32(a)});
    pair_->same("trunc_i32_f32_u", {f32(a)});
    pair_->same("trunc_i64_f32_s", {f32(a)});
    pair_->same("trunc_i64_f32_u", {f32(a)});
  }
  const double ds[] = {0.0, -0.0, 0.5, -1.5, 4.5, 5e9, -5e9, 1e300, __builtin_nan(""), -__builtin_inf(), 2147483647.9};
  for (double a : ds) {
    for (double b : ds) pair_->same("f64_ops", {f64(a), f64(b)});
    pair_->same("trunc_i32_f64_s", {f64(a)});
    pair_->same("trunc_i32_f64_u", {f64(a)});
    pair_->same("trunc_i64_f64_s", {f64(a)});
    pair_->same("trunc_i64_f64_u", {f64(a)});
  }
  EXPECT_EQ(pair_->same("trunc_i32_f32_s", {f32(__builtin_nanf(""))}).trap, ErrorCode::kInvalidConversionToInteger);
  EXPECT_EQ(pair_->same("trunc_i32_f64_u", {f64(-5e9)}).trap, ErrorCode::kIntegerOverflow);
}

TEST_F(AotOps, ControlFlowAndFuel) {
  for (std::uint32_t n : {0u, 1u, 7u, 300u, 1000u, 5000u}) {
    const Outcome o = pair_->same("loops", {i32(n)});
    EXPECT_TRUE(o.ok);
    EXPECT_GT(o.fuel, n);
  }
  for (std::uint32_t x : {0u, 1u, 2u, 3u, 4u, 8u, 100u, 0xffffffffu}) pair_->same("branches", {i32(x)});
  pair_->same("select64", {i32(0), i64(1), i64(2)});
  pair_->same("select64", {i32(7), i64(1), i64(2)});
  const Outcome multi = pair_->same("multi", {i32(0xfffffffeu)});
  EXPECT_EQ(multi.results.size(), 3u);
  // Fuel limits trap at the same safe point with the same total.
  for (std::uint64_t fuel : {1ull, 10ull, 97ull, 1000ull, 4321ull}) {
    const Outcome o = pair_->same("loops", {i32(300)}, fuel);
    EXPECT_EQ(o.trap, ErrorCode::kFuelExhausted);
    EXPECT_FALSE(o.backtrace.empty());
  }
}

TEST_F(AotOps, MemoryTablesGlobalsCalls) {
  for (std::uint32_t p : {0u, 8u, 1000u, 65536u - 40u, 65536u - 39u, 0xfffffff0u}) {
    pair_->same("memory", {i32(p), i64(0xf1e2d3c4b5a69788ull)});
  }
  EXPECT_EQ(pair_->same("oob", {i32(65532)}).trap, ErrorCode::kOutOfBoundsMemoryAccess);
  pair_->same("bulk", {i32(4)});
  EXPECT_EQ(pair_->same("bulk", {i32(40)}).trap, ErrorCode::kOutOfBoundsMemoryAccess);
  EXPECT_EQ(pair_->same("drop_then_init", {}).trap, ErrorCode::kOutOfBoundsMemoryAccess);
  for (std::uint32_t i : {0u, 1u, 2u, 3u, 4u, 5u, 9u}) pair_->same("tables", {i32(i)});
  for (std::uint32_t i : {0u, 1u, 2u, 3u, 4u, 11u}) pair_->same("indirect", {i32(9), i32(4), i32(i)});
  EXPECT_EQ(pair_->same("indirect_wrong_type", {i32(0)}).trap, ErrorCode::kIndirectCallTypeMismatch);
  pair_->same("host", {i32(3), i32(4)});
  pair_->same("globals", {i64(3)});
  pair_->same("globals", {i64(0xffffffffffull)});
  pair_->same("grow", {i32(1)});
  pair_->same("grow", {i32(5)});  // refused: -1
  pair_->same("grow_then_load", {});
  EXPECT_EQ(pair_->same("fac", {i64(20)}).results, std::vector<std::uint64_t>{2432902008176640000ull});
  EXPECT_EQ(pair_->same("unreachable", {}).trap, ErrorCode::kUnreachable);
  // A trap three frames down: the same backtrace (innermost first).
  const Outcome deep = pair_->same("nested", {i32(0)});
  EXPECT_EQ(deep.trap, ErrorCode::kIntegerDivideByZero);
  EXPECT_GE(deep.backtrace.size(), 3u);
}

TEST_F(AotOps, RunawayRecursionTraps) {
  // Native frames live on this thread's stack: the budget (native_stack_bytes), not
  // max_frames, ends the recursion, so the depth differs from the interpreter's; the trap does not.
  EXPECT_EQ(pair_->run(pair_->interpreted_, "runaway", {i32(0)}, 0).trap, ErrorCode::kCallStackExhausted);
  EXPECT_EQ(pair_->run(pair_->compiled_, "runaway", {i32(0)}, 0).trap, ErrorCode::kCallStackExhausted);
  // Within both limits the depths agree.
  EXPECT_TRUE(pair_->same("fac", {i64(300)}).ok);
  // The native stack budget: a small one traps far earlier, still cleanly.
  ExecutionConfig config;
  config.native_stack_bytes = 16 * 1024;
  Execution ex(config);
  auto r = ex.invoke(pair_->compiled_->exported_function("runaway"), std::vector<Value>{i32(0)});
  ASSERT_FALSE(r.has_value());
  EXPECT_EQ(r.error().code, ErrorCode::kCallStackExhausted);
  EXPECT_LT(ex.backtrace().size(), 8u * 1024u);
  EXPECT_GT(ex.backtrace().size(), 2u);
}

TEST_F(AotOps, MismatchedImagesAreRefused) {
  // Another module's image.
  auto other = load_wat_with_names("(module (func (export \"f\") (result i32) (i32.const 1)))");
  ASSERT_NE(other, nullptr);
  NativeCode other_code;
  aot_test::compile_native(*other, &other_code);
  ASSERT_NE(other_code.image, nullptr);
  auto refused = pair_->interpreted_->attach_native(*other_code.image);
  ASSERT_FALSE(refused.has_value());
  EXPECT_EQ(refused.error().code, ErrorCode::kNativeModuleMismatch);
  // This module's image, claiming another engine ABI or layout.
  AotImage image = *pair_->native_.image;
  image.abi_version += 1;
  auto abi = pair_->interpreted_->attach_native(image);
  ASSERT_FALSE(abi.has_value());
  EXPECT_EQ(abi.error().code, ErrorCode::kNativeAbiMismatch);
  image = *pair_->native_.image;
  image.layout ^= 1;
  EXPECT_FALSE(pair_->interpreted_->attach_native(image).has_value());
  image = *pair_->native_.image;
  image.function_count -= 1;
  EXPECT_FALSE(pair_->interpreted_->attach_native(image).has_value());
  EXPECT_FALSE(pair_->interpreted_->has_native());
}

// ---- device apertures through native code --------------------------------------------------------

constexpr const char* kDevices = R"(
(module
  (memory 1)
  (func (export "load32") (param $a i32) (result i32) (i32.load (local.get $a)))
  (func (export "load8") (param $a i32) (result i32) (i32.load8_u (local.get $a)))
  (func (export "store32") (param $a i32) (param $v i32) (i32.store (local.get $a) (local.get $v)))
  ;; A register block behind a pointer: one access group of four reads, then four writes.
  (func (export "block_sum") (param $p i32) (result i32)
    (i32.add (i32.add (i32.load (local.get $p)) (i32.load offset=4 (local.get $p)))
             (i32.add (i32.load offset=8 (local.get $p)) (i32.load offset=12 (local.get $p)))))
  (func (export "block_fill") (param $p i32) (param $v i32)
    (i32.store (local.get $p) (local.get $v))
    (i32.store offset=4 (local.get $p) (i32.add (local.get $v) (i32.const 1)))
    (i32.store offset=8 (local.get $p) (i32.add (local.get $v) (i32.const 2)))
    (i32.store offset=12 (local.get $p) (i32.add (local.get $v) (i32.const 3))))
)
)";

// A modelled device: 16 registers, every access logged.
struct Model {
  std::uint32_t regs[16] = {};
  std::vector<std::uint64_t> log;  // offset << 8 | bytes << 1 | is_store
};
bool model_load(void* context, std::uint32_t, std::uint64_t offset, unsigned bytes, std::uint64_t* value) {
  auto* m = static_cast<Model*>(context);
  m->log.push_back(offset << 8 | bytes << 1);
  *value = m->regs[offset / 4];
  return true;
}
bool model_store(void* context, std::uint32_t, std::uint64_t offset, unsigned bytes, std::uint64_t value) {
  auto* m = static_cast<Model*>(context);
  m->log.push_back(offset << 8 | bytes << 1 | 1);
  m->regs[offset / 4] = static_cast<std::uint32_t>(value);
  return true;
}

constexpr std::uint32_t kRawBase = 0x40000000u;
constexpr std::uint32_t kModelBase = 0x50000000u;

class AotDevices : public ::testing::Test {
 protected:
  void SetUp() override {
    pair_ = std::make_unique<Pair>(kDevices);
    ASSERT_TRUE(pair_->ready());
    for (int i = 0; i < 2; ++i) {
      DeviceAperture* a = apertures_[i];
      a[0].guest_base = kRawBase;
      a[0].size = sizeof raw_[i];
      a[0].widths = 4;  // 32-bit registers only
      a[0].raw = reinterpret_cast<volatile std::uint8_t*>(raw_[i]);
      a[1].guest_base = kModelBase;
      a[1].size = sizeof models_[i].regs;
      a[1].widths = 4;
      a[1].load = model_load;
      a[1].store = model_store;
      a[1].context = &models_[i];
      OutOfBoundsHandler handler;
      handler.apertures = std::span<const DeviceAperture>(a, 2);
      Instance* instance = i == 0 ? pair_->interpreted_ : pair_->compiled_;
      ASSERT_TRUE(Store::set_out_of_bounds_handler(instance->memory(0), handler));
    }
  }
  // Both ways, then the devices must hold the same state.
  Outcome same(const char* name, std::vector<Value> args) {
    const Outcome o = pair_->same(name, args);
    EXPECT_EQ(std::memcmp(raw_[0], raw_[1], sizeof raw_[0]), 0) << name;
    EXPECT_EQ(models_[0].log, models_[1].log) << name;
    EXPECT_EQ(std::memcmp(models_[0].regs, models_[1].regs, sizeof models_[0].regs), 0) << name;
    return o;
  }
  std::unique_ptr<Pair> pair_;
  alignas(8) std::uint32_t raw_[2][8] = {};
  Model models_[2];
  DeviceAperture apertures_[2][2];
};

TEST_F(AotDevices, RawAndModelledAperturesServeNativeAccesses) {
  for (std::uint32_t base : {kRawBase, kModelBase}) {
    same("store32", {i32(base + 4), i32(0xdeadbeef)});
    EXPECT_EQ(same("load32", {i32(base + 4)}).results, std::vector<std::uint64_t>{0xdeadbeefu});
    same("block_fill", {i32(base + 8), i32(100)});
    EXPECT_EQ(same("block_sum", {i32(base + 8)}).results, std::vector<std::uint64_t>{406u});
    // The group runs past the window's end: the accesses inside happen, then the first one
    // outside every aperture traps.
    const std::uint32_t end = base + (base == kRawBase ? sizeof raw_[0] : sizeof models_[0].regs);
    EXPECT_EQ(same("block_fill", {i32(end - 8), i32(7)}).trap, ErrorCode::kOutOfBoundsMemoryAccess);
    EXPECT_EQ(same("block_sum", {i32(end - 12)}).trap, ErrorCode::kOutOfBoundsMemoryAccess);
  }
  EXPECT_EQ(raw_[1][1], 0xdeadbeefu);
  EXPECT_EQ(raw_[1][6], 7u);
  EXPECT_EQ(raw_[1][7], 8u);
  EXPECT_EQ(models_[1].regs[15], 8u);
  EXPECT_FALSE(models_[1].log.empty());
  // The same group on linear memory.
  same("block_fill", {i32(64), i32(9)});
  EXPECT_EQ(same("block_sum", {i32(64)}).results, std::vector<std::uint64_t>{42u});
}

TEST_F(AotDevices, RefusedAccessesTrapLikeTheInterpreter) {
  EXPECT_EQ(same("load32", {i32(kRawBase + 2)}).trap, ErrorCode::kAccessViolation);   // misaligned
  EXPECT_EQ(same("load8", {i32(kRawBase)}).trap, ErrorCode::kAccessViolation);       // width refused
  EXPECT_EQ(same("load32", {i32(kRawBase + 30)}).trap, ErrorCode::kAccessViolation);  // straddles
  EXPECT_EQ(same("block_sum", {i32(kRawBase + 2)}).trap, ErrorCode::kAccessViolation);
  EXPECT_EQ(same("store32", {i32(kModelBase + 1), i32(1)}).trap, ErrorCode::kAccessViolation);
  EXPECT_EQ(same("load32", {i32(0x60000000u)}).trap, ErrorCode::kOutOfBoundsMemoryAccess);
  EXPECT_EQ(same("block_sum", {i32(65530)}).trap, ErrorCode::kOutOfBoundsMemoryAccess);
}

// ---- suspension: native runs stop at safe points and host calls, the interpreter resumes --------

// Runs `name` under fuel slices of `slice` units (FuelPolicy::kSuspend), resuming until done.
Outcome sliced(Instance* instance, const char* name, std::vector<Value> args, std::uint64_t slice,
               int* suspensions) {
  ExecutionConfig config;
  config.fuel_policy = FuelPolicy::kSuspend;
  Execution ex(config);
  ex.set_fuel(slice);
  auto r = ex.invoke(instance->exported_function(name), args);
  *suspensions = 0;
  while (r && *r == RunState::kSuspended) {
    EXPECT_EQ(ex.suspend_reason(), SuspendReason::kFuel);
    ++*suspensions;
    ex.set_fuel(slice);
    r = ex.resume();
  }
  return observe(ex, r);
}

constexpr const char* kSuspending = R"(
(module
  (import "env" "host" (func $host (param i32 i32) (result i32)))
  (func $work (param $n i32) (param $k i32) (result i32) (local $i i32) (local $s i32)
    (loop $l
      (local.set $s (i32.add (i32.mul (local.get $s) (i32.const 31)) (i32.add (local.get $i) (local.get $k))))
      (local.set $i (i32.add (local.get $i) (i32.const 1)))
      (br_if $l (i32.lt_u (local.get $i) (local.get $n))))
    (local.get $s))
  (func $mid (param $n i32) (result i32) (local $keep i32)
    (local.set $keep (i32.mul (local.get $n) (i32.const 7)))
    (i32.add (call $work (local.get $n) (local.get $keep))
             (i32.xor (local.get $keep) (call $work (i32.const 10) (i32.const 3)))))
  (func (export "top") (param $n i32) (result i32) (local $a i32) (local $h i32)
    (local.set $a (i32.add (local.get $n) (i32.const 5)))
    (local.set $h (call $host (local.get $a) (local.get $n)))
    (i32.sub (i32.mul (call $mid (local.get $n)) (local.get $a)) (local.get $h)))
)
)";

struct HostState {
  int calls = 0;
  int suspend_first = 0;  // suspend this many calls before returning
  bool preempt = false;
  bool stop = false;
  bool trap = false;
};
HostStatus suspending_host(HostCall& call) {
  auto* state = static_cast<HostState*>(call.user_data);
  ++state->calls;
  if (state->preempt) call.execution.request_preempt();
  if (state->stop) call.execution.request_stop();
  if (state->trap) return call.fail(ErrorCode::kHostTrap);
  if (state->suspend_first > 0) {
    --state->suspend_first;
    return HostStatus::kSuspend;
  }
  call.set_i32(0, call.arg_i32(0) * 1000 + call.arg_i32(1));
  return HostStatus::kReturn;
}

class AotSuspend : public ::testing::Test {
 protected:
  void SetUp() override {
    module_ = load_wat_with_names(kSuspending);
    ASSERT_NE(module_, nullptr);
    aot_test::compile_native(*module_, &native_);
    ASSERT_NE(native_.image, nullptr);
    FuncType type;
    static const ValType kParams[] = {ValType::kI32, ValType::kI32};
    static const ValType kResults[] = {ValType::kI32};
    type.params = kParams;
    type.results = kResults;
    FunctionInstance* host = store_->add_host_function(type, suspending_host, &host_state_, "host");
    for (Instance** slot : {&interpreted_, &compiled_}) {
      auto instance = store_->instantiate(*module_, std::vector<Extern>{Extern::of(host)});
      ASSERT_TRUE(instance.has_value());
      *slot = *instance;
    }
    ASSERT_TRUE(compiled_->attach_native(*native_.image).has_value());
  }
  NativeCode native_;
  std::unique_ptr<Module> module_;
  std::unique_ptr<Store> store_ = std::make_unique<Store>();
  HostState host_state_;
  Instance* interpreted_ = nullptr;
  Instance* compiled_ = nullptr;
};

TEST_F(AotSuspend, FuelSlicesGiveTheSameResultAndTotal) {
  for (std::uint64_t slice : {3ull, 17ull, 64ull, 1000ull}) {
    int interpreted_suspensions = 0;
    int native_suspensions = 0;
    const Outcome a = sliced(interpreted_, "top", {i32(500)}, slice, &interpreted_suspensions);
    const Outcome b = sliced(compiled_, "top", {i32(500)}, slice, &native_suspensions);
    EXPECT_EQ(a, b) << "slice " << slice;
    EXPECT_TRUE(b.ok);
    EXPECT_GT(native_suspensions, 0);
    EXPECT_EQ(native_suspensions, interpreted_suspensions);
  }
}

TEST_F(AotSuspend, PreemptAndHostSuspensionResume) {
  Execution reference;
  const Outcome expected = observe(reference, reference.invoke(interpreted_->exported_function("top"),
                                                               std::vector<Value>{i32(40)}));
  ASSERT_TRUE(expected.ok);
  // A host function requests preemption: the next safe point (the entry of $mid) suspends inside
  // native frames; a host call that suspends is called again on resume.
  for (bool preempt : {false, true}) {
    host_state_ = HostState{};
    host_state_.preempt = preempt;
    host_state_.suspend_first = preempt ? 0 : 2;
    Execution ex;
    auto r = ex.invoke(compiled_->exported_function("top"), std::vector<Value>{i32(40)});
    int suspensions = 0;
    while (r && *r == RunState::kSuspended) {
      EXPECT_EQ(ex.suspend_reason(), preempt ? SuspendReason::kPreempt : SuspendReason::kHost);
      ++suspensions;
      host_state_.preempt = false;
      r = ex.resume();
    }
    const Outcome o = observe(ex, r);
    EXPECT_EQ(o.results, expected.results);
    if (!preempt) EXPECT_EQ(suspensions, 2);
    if (!preempt) EXPECT_EQ(host_state_.calls, 3);
  }
}

TEST_F(AotSuspend, StopRequestTraps) {
  // The host function requests a stop; the next safe point (the entry of $mid) traps.
  std::vector<Outcome> outcomes;
  for (Instance* instance : {interpreted_, compiled_}) {
    host_state_ = HostState{};
    host_state_.stop = true;
    Execution ex;
    outcomes.push_back(observe(ex, ex.invoke(instance->exported_function("top"), std::vector<Value>{i32(3)})));
  }
  EXPECT_EQ(outcomes[0], outcomes[1]);
  EXPECT_EQ(outcomes[1].trap, ErrorCode::kStopped);
  EXPECT_EQ(outcomes[1].backtrace.size(), 2u);
}

TEST_F(AotSuspend, HostTrapInTheOnlyFrameAllowed) {
  // max_frames = 1: the entry frame's host call traps; nothing may be recorded past frames[0].
  std::vector<Outcome> outcomes;
  for (Instance* instance : {interpreted_, compiled_}) {
    host_state_ = HostState{};
    host_state_.trap = true;
    ExecutionConfig config;
    config.max_frames = 1;
    Execution ex(config);
    outcomes.push_back(observe(ex, ex.invoke(instance->exported_function("top"), std::vector<Value>{i32(3)})));
  }
  EXPECT_EQ(outcomes[0], outcomes[1]);
  EXPECT_EQ(outcomes[1].trap, ErrorCode::kHostTrap);
  EXPECT_EQ(outcomes[1].backtrace.size(), 1u);
}

}  // namespace
}  // namespace wasmio
