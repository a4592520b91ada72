"""The benchmark output parsers on recorded outputs, and on missing, truncated and garbled ones."""

import os
import random
import sys
import tempfile
import unittest

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.dirname(HERE))

import parsers  # noqa: E402


def sample(name):
    with open(os.path.join(HERE, "samples", name), encoding="utf-8") as f:
        return f.read()


class EngineTest(unittest.TestCase):
    def test_recorded_run(self):
        r = parsers.parse_engine(sample("engine.txt"))
        self.assertTrue(r.ok, r.reason)
        names = [k["name"] for k in r.values["kernels"]]
        self.assertEqual(names, ["fib", "crc32", "matmul_i32", "matmul_f64", "quicksort", "sha256",
                                 "hostcall", "memory"])
        fib = r.values["kernels"][0]
        self.assertAlmostEqual(fib["native_s"], 0.052433)
        self.assertAlmostEqual(fib["wasm_s"], 0.803069)
        self.assertAlmostEqual(fib["ratio"], 15.32)
        self.assertAlmostEqual(r.values["geomean"], 12.80)
        self.assertEqual(r.values["reps"], 3)
        self.assertEqual(r.values["clock"], "thread CPU")
        self.assertEqual(r.values["loads"]["crc32"]["bytes"], 1541)
        self.assertAlmostEqual(r.values["hostcall"]["wasm_ns"], 9.83)
        self.assertEqual([k["name"] for k in r.values["aot_kernels"]], ["fib", "crc32"])
        self.assertAlmostEqual(r.values["aot_kernels"][1]["aot_s"], 0.09)
        self.assertAlmostEqual(r.values["aot_geomean"], 1.26)
        self.assertEqual(r.notes, [])

    def test_aot_ratio_that_does_not_match_its_times_is_refused(self):
        text = sample("engine.txt").replace("aot fib 0.052433 0.073000 1.39", "aot fib 0.052433 0.073000 13.9")
        r = parsers.parse_engine(text)
        self.assertFalse(r.ok)
        self.assertIn("aot fib", r.reason)

    def test_ratio_that_does_not_match_its_times_is_refused(self):
        text = sample("engine.txt").replace("fib 0.052433 0.803069 15.32", "fib 0.052433 0.803069 1.53")
        r = parsers.parse_engine(text)
        self.assertFalse(r.ok)
        self.assertIn("garbled", r.reason)
        self.assertIn("fib", r.reason)

    def test_failed_kernel_keeps_the_others_and_says_so(self):
        text = "\n".join(l for l in sample("engine.txt").splitlines()
                         if not l.startswith(("sha256 ", "geomean")))
        text += "\n# 1 kernel(s) failed: no geomean\n"
        r = parsers.parse_engine(text)
        self.assertTrue(r.ok)
        self.assertNotIn("sha256", [k["name"] for k in r.values["kernels"]])
        self.assertIsNone(r.values["geomean"])
        self.assertTrue(any("failed" in n for n in r.notes))

    def test_truncated_run_has_no_geomean_and_a_note(self):
        text = "\n".join(sample("engine.txt").splitlines()[:3])
        r = parsers.parse_engine(text)
        self.assertTrue(r.ok)
        self.assertEqual(len(r.values["kernels"]), 2)
        self.assertIsNone(r.values["geomean"])
        self.assertTrue(r.notes)

    def test_smoke_output_is_not_a_measurement(self):
        r = parsers.parse_engine("# wasmio-bench --smoke: NAME checksum\nfib 0x0001a6a5\ncrc32 0x12345678\n")
        self.assertFalse(r.ok)
        self.assertIn("smoke", r.reason)

    def test_nan_time_is_refused(self):
        r = parsers.parse_engine("fib nan 0.8 15.3\n")
        self.assertFalse(r.ok)


class CallgrindTest(unittest.TestCase):
    def test_counts(self):
        r = parsers.parse_callgrind("# header\ncallgrind fib native=1000 wasm=15000 ratio=15.00\n")
        self.assertTrue(r.ok)
        self.assertEqual(r.values["kernels"][0]["wasm_ir"], 15000)

    def test_fractional_instruction_count_is_garbled(self):
        r = parsers.parse_callgrind("callgrind fib native=10.5 wasm=15000 ratio=1428.57\n")
        self.assertFalse(r.ok)

    def test_no_line(self):
        r = parsers.parse_callgrind("bench/run callgrind: fib: no count\n")
        self.assertFalse(r.ok)
        self.assertIn("no callgrind line", r.reason)


class IoTest(unittest.TestCase):
    def test_recorded_run(self):
        r = parsers.parse_io(sample("io.txt"))
        self.assertTrue(r.ok, r.reason)
        paths = [p["path"] for p in r.values["paths"]]
        self.assertEqual(paths, ["native", "host-call", "mapped", "copy"])
        self.assertEqual(r.values["paths"][0]["ratio"], 1.0)
        self.assertTrue(r.values["tmp105"])
        self.assertTrue(r.values["memory"])
        self.assertIsNotNone(r.values["linear"])
        self.assertIsNotNone(r.values["mapped_load"])

    def test_raw_pointer_loops_are_compared_with_native_raw(self):
        r = parsers.parse_io(sample("io_raw.txt"))
        self.assertTrue(r.ok, r.reason)
        raw = {p["path"]: p for p in r.values["paths"] if p["group"] == "raw"}
        self.assertEqual(sorted(raw), ["linear-aot", "linear-raw", "mapped-aot", "mapped-raw", "native-raw"])
        self.assertAlmostEqual(raw["mapped-raw"]["ratio"], 12.80)
        self.assertAlmostEqual(raw["mapped-aot"]["ratio"], 2.02)
        self.assertEqual(len([p for p in r.values["paths"] if p["group"] == "accessor"]), 4)

    def test_aot_loop_with_a_ratio_against_the_accessor_native_is_garbled(self):
        text = sample("io_raw.txt").replace("io mapped-aot 0.40 0.62 2.02", "io mapped-aot 0.40 0.62 0.33")
        r = parsers.parse_io(text)
        self.assertFalse(r.ok)
        self.assertIn("mapped-aot", r.reason)

    def test_missing_column_is_garbled(self):
        text = sample("io.txt").replace("io native ", "io native 1.0 ", 1)
        r = parsers.parse_io(text)
        self.assertFalse(r.ok)
        self.assertIn("garbled", r.reason)

    def test_ratio_against_native_is_checked(self):
        lines = sample("io.txt").splitlines()
        for i, line in enumerate(lines):
            if line.startswith("io host-call "):
                parts = line.split()
                parts[4] = "%.2f" % (float(parts[4]) * 3)
                lines[i] = " ".join(parts)
        self.assertFalse(parsers.parse_io("\n".join(lines)).ok)


class IrqTest(unittest.TestCase):
    def test_recorded_run(self):
        r = parsers.parse_irq(sample("irq.txt"))
        self.assertTrue(r.ok, r.reason)
        self.assertAlmostEqual(r.values["latency"]["wasm"], 139.2)
        self.assertEqual(r.values["detail"]["interrupts"], 2084)
        self.assertEqual(r.values["detail"]["wasm_max"], 167)
        self.assertEqual([(w["level"], w["handler"], w["max"]) for w in r.values["wcet"]],
                         [("E1/4", "wasm", 28), ("E0", "native", 6)])
        self.assertEqual(r.values["interference"]["interference"]["misses"], 0)
        self.assertEqual(r.values["interference"]["interference"]["overruns"], 200)
        self.assertEqual(r.values["interference"]["interference-unbounded"]["misses"], 99)

    def test_wcet_per_handler_lines(self):
        text = sample("irq.txt") + "irq-wcet level=E1/4 handler=on_irq min=20 mean=24.5 max=28\n"
        r = parsers.parse_irq(text)
        self.assertTrue(r.ok, r.reason)
        self.assertEqual(r.values["wcet"][-1], {"level": "E1/4", "handler": "on_irq", "min": 20, "mean": 24.5,
                                                "max": 28})

    def test_recorded_run_with_wcet_per_handler(self):
        r = parsers.parse_irq(sample("irq_wcet.txt"))
        self.assertTrue(r.ok, r.reason)
        variable = [w for w in r.values["wcet"] if w["handler"] == "variable/on_irq"][0]
        self.assertEqual((variable["min"], variable["mean"], variable["max"]), (152, 722.0, 1292))
        self.assertEqual(r.values["wcet"][-1]["level"], "E0")
        self.assertIn("preempted 826 times", r.values["wcet_notes"][0])

    def test_wcet_mean_outside_min_max_is_garbled(self):
        r = parsers.parse_irq(sample("irq.txt") + "irq-wcet level=E1/4 handler=h min=20 mean=50 max=28\n")
        self.assertFalse(r.ok)

    def test_latency_without_ratio_is_garbled(self):
        r = parsers.parse_irq("irq-latency wasm=139.2 native=12.0\n")
        self.assertFalse(r.ok)
        self.assertIn("ratio=", r.reason)


class McuTest(unittest.TestCase):
    def test_recorded_run(self):
        r = parsers.parse_mcu(sample("mcu.txt"))
        self.assertTrue(r.ok, r.reason)
        self.assertEqual(r.values["latency"], {"wasm": 476, "native": 36, "ratio": 13.4})
        self.assertEqual(r.values["detail"]["icount_shift"], 7)
        self.assertEqual(r.values["preemption"]["count"], 601)
        self.assertEqual(r.values["casestudy"], {"cpu_share": 0.0477, "reports_per_s": 479})

    def test_case_study_cpu_share_above_one_is_garbled(self):
        text = sample("mcu.txt").replace("cpu_share=0.0477", "cpu_share=4.77")
        r = parsers.parse_mcu(text)
        self.assertFalse(r.ok)
        self.assertIn("mcu-casestudy", r.reason)

    def test_further_firmware_lines_are_kept_as_printed(self):
        text = sample("mcu.txt") + "mcu-container-ram module=4155 execution=2516 store+instance=873 linear=65536\n"
        r = parsers.parse_mcu(text)
        self.assertTrue(r.ok, r.reason)
        self.assertEqual(r.values["extra"][-1], {"kind": "mcu-container-ram", "pairs": [
            ("module", "4155"), ("execution", "2516"), ("store+instance", "873"), ("linear", "65536")]})
        bad = parsers.parse_mcu(sample("mcu.txt") + "mcu-container-ram module=<script>\n")
        self.assertFalse(bad.ok)

    def test_qemu_failure_output(self):
        r = parsers.parse_mcu("run-mcu-bench: no latency line or the firmware failed (QEMU exit status 1)\n")
        self.assertFalse(r.ok)
        self.assertIn("no mcu-irq-latency line", r.reason)


class FootprintTest(unittest.TestCase):
    def test_recorded_run(self):
        r = parsers.parse_footprint(sample("footprint.txt"))
        self.assertTrue(r.ok, r.reason)
        first = r.values["drivers"][0]
        self.assertEqual(first["total"], sum(first[k] for k in parsers.FOOTPRINT_PARTS))
        self.assertTrue(r.values["scaling"])
        self.assertIsNotNone(r.values["release"])

    def test_parts_that_do_not_add_up_are_garbled(self):
        line = "footprint driver=x module=1 lowered=2 instance=3 executions=0 linear=4 io=5 sched=6 total=99 binary=7\n"
        r = parsers.parse_footprint(line)
        self.assertFalse(r.ok)
        self.assertIn("add up", r.reason)


class CaseStudyAndAsyncTest(unittest.TestCase):
    def test_case_study_lines(self):
        r = parsers.parse_casestudy(
            "casestudy-throughput native=10.0 wasm=9.5 ratio=0.95\n"
            "casestudy-cpu native=1.2 wasm=14.5\n"
            "casestudy-update-gap cycles=25000 us=1000\n"
            "casestudy-footprint container=sensor linear=65536 host=12000\n")
        self.assertTrue(r.ok, r.reason)
        self.assertEqual(r.values["update_gap"]["us"], 1000)
        self.assertEqual(r.values["footprint"][0]["container"], "sensor")

    def test_case_study_cpu_without_the_logger(self):
        r = parsers.parse_casestudy("casestudy-cpu native=0.717 wasm=5.047 wasm_nolog=2.701\n")
        self.assertTrue(r.ok, r.reason)
        self.assertAlmostEqual(r.values["cpu"]["wasm_nolog"], 2.701)
        self.assertFalse(parsers.parse_casestudy("casestudy-cpu native=0.7 wasm=5.0 wasm_nolog=x\n").ok)

    def test_case_study_wrong_ratio(self):
        r = parsers.parse_casestudy("casestudy-throughput native=10.0 wasm=9.5 ratio=2.0\n")
        self.assertFalse(r.ok)

    def test_async_lines(self):
        r = parsers.parse_async("async dma bytes=4096 cycles_per_byte=0.50 cpu_share=0.02\n"
                                "async irq bytes=4096 cycles_per_byte=12.00 cpu_share=0.31\n")
        self.assertTrue(r.ok, r.reason)
        self.assertEqual([a["path"] for a in r.values["rows"]], ["dma", "irq"])

    def test_async_without_path(self):
        self.assertFalse(parsers.parse_async("async bytes=1 cycles_per_byte=1 cpu_share=1\n").ok)


class RobustnessTest(unittest.TestCase):
    def test_missing_and_empty_output(self):
        for name, parse in parsers.PARSERS.items():
            for text in (None, "", "\n\n  \n"):
                r = parse(text)
                self.assertFalse(r.ok, name)
                self.assertTrue(r.reason, name)

    def test_random_garbage_never_raises_or_invents(self):
        rng = random.Random(6)
        tokens = ["io", "native", "host-call", "fib", "irq-latency", "wasm=", "native=1", "ratio=x", "footprint",
                  "driver=a", "total=3", "casestudy-cpu", "async", "bytes=-1", "1e999", "nan", "0x10", "=", "#",
                  "load", "geomean", "ratio", "12.5", "-3", "callgrind", "mcu-irq-latency", "interference"]
        for _ in range(3000):
            line_count = rng.randint(1, 6)
            text = "\n".join(" ".join(rng.choice(tokens) + rng.choice(["", "1", "=2", " 0.5"])
                                      for _ in range(rng.randint(1, 8))) for _ in range(line_count))
            for name, parse in parsers.PARSERS.items():
                r = parse(text)  # must not raise
                self.assertIsInstance(r, parsers.Result, name)
                if not r.ok:
                    self.assertTrue(r.reason)

    def test_binary_noise(self):
        rng = random.Random(7)
        for _ in range(200):
            text = bytes(rng.randrange(256) for _ in range(rng.randint(0, 400))).decode("latin-1")
            for parse in parsers.PARSERS.values():
                parse(text)


class LoadTest(unittest.TestCase):
    def setUp(self):
        self.dir = tempfile.TemporaryDirectory()
        self.path = self.dir.name

    def tearDown(self):
        self.dir.cleanup()

    def write(self, name, text):
        with open(os.path.join(self.path, name), "w") as f:
            f.write(text)

    def test_skipped(self):
        self.write("async.status", "skipped=bench/async is not in this tree yet\n")
        r = parsers.load(self.path, "async")
        self.assertFalse(r.ok)
        self.assertEqual(r.reason, "bench/async is not in this tree yet")

    def test_no_file(self):
        r = parsers.load(self.path, "io")
        self.assertFalse(r.ok)
        self.assertIn("io.txt", r.reason)

    def test_failed_without_output_names_the_error(self):
        self.write("irq.txt", "")
        self.write("irq.log", "bench/run: building wasmio-irq-bench\nirq-bench: cannot load handler.wasm\n")
        self.write("irq.status", "exit=1\nseconds=2.0\n")
        r = parsers.load(self.path, "irq")
        self.assertFalse(r.ok)
        self.assertIn("exited with status 1", r.reason)
        self.assertIn("cannot load handler.wasm", r.reason)

    def test_failed_after_some_lines_keeps_them_with_a_note(self):
        self.write("mcu.txt", sample("mcu.txt"))
        self.write("mcu.status", "exit=1\nseconds=30\n")
        r = parsers.load(self.path, "mcu")
        self.assertTrue(r.ok)
        self.assertTrue(any("status 1" in n for n in r.notes))
        self.assertEqual(r.seconds, 30.0)


if __name__ == "__main__":
    unittest.main()
