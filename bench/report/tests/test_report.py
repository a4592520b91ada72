"""The whole generator: recorded outputs in, docs/evaluation.md-like report out."""

import os
import re
import shutil
import sys
import tempfile
import unittest
from unittest import mock

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.dirname(HERE))

import generate  # noqa: E402
import plots  # noqa: E402

META = """date_utc=2026-11-25 01:30 UTC
git_commit=0123456789ab
git_dirty=0
cpu_model=AMD EPYC 7B13
cpus=2
mem_total=7.8 GiB
virtualization=virtual machine (hypervisor flag set)
os=Debian GNU/Linux 12 (bookworm)
kernel=6.1.0
cxx=c++ (Debian 12.2.0-14) 12.2.0
clang=Debian clang version 14.0.6
build_type=Release
build_dir=build/bench
qemu=QEMU emulator version 7.2.0
valgrind=valgrind-3.19.0
gnuplot=gnuplot 5.4 patchlevel 4
mode=full
load_start=3.10 2.00 1.00
load_end=2.50 2.10 1.10
"""


class ReportTest(unittest.TestCase):
    def setUp(self):
        self.tmp = tempfile.TemporaryDirectory()
        root = self.tmp.name
        self.data = os.path.join(root, "evaluation", "data")
        self.plots = os.path.join(root, "evaluation", "plots")
        self.md = os.path.join(root, "evaluation.md")
        os.makedirs(self.data)
        for name in ("engine", "io", "irq", "mcu", "footprint"):
            shutil.copy(os.path.join(HERE, "samples", name + ".txt"), os.path.join(self.data, name + ".txt"))
            self.write(name + ".status", "exit=0\nseconds=12.0\n")
        self.write("callgrind.txt", "callgrind fib native=1000000 wasm=9000000 ratio=9.00\n")
        self.write("callgrind.status", "exit=0\nseconds=40\n")
        self.write("casestudy.status", "skipped=bench/casestudy is not in this tree yet\nabsent=1\n")
        self.write("async.txt", "async dma bytes=4096 cycles_per_byte=oops cpu_share=0.1\n")
        self.write("async.status", "exit=0\n")
        self.write("meta.txt", META)

    def tearDown(self):
        self.tmp.cleanup()

    def write(self, name, text):
        with open(os.path.join(self.data, name), "w") as f:
            f.write(text)

    def generate(self):
        self.assertEqual(generate.main(["--data", self.data, "--plots", self.plots, "--md", self.md]), 0)
        with open(self.md, encoding="utf-8") as f:
            return f.read()

    def test_figures_come_from_the_data(self):
        with mock.patch.object(plots, "gnuplot_available", return_value=False):
            text = self.generate()
        self.assertNotRegex(text, r"\$[a-z]+")  # every placeholder filled
        self.assertNotIn("None", text)
        self.assertNotIn("nan", text.lower().replace("nano", ""))
        # engine: times, ratio, callgrind count, geomean
        self.assertIn("| fib | 0.0524 | 0.8031 | **15.32** | 1 000 000 | 9 000 000 | 9.00 |", text)
        self.assertIn("Geometric mean of the time ratios: **12.80**", text)
        # io, irq, mcu, footprint figures
        self.assertRegex(text, r"\| host-call \| [0-9.]+ \| [0-9.]+ \| \*\*[0-9.]+\*\* \|")
        self.assertIn("| Wasm handler | E1/4 | 139.2 | 112 | 167 |", text)
        self.assertIn("| Wasm handler (E1/4 under the scheduler on the NVIC) | 476 |", text)
        self.assertIn("| misbehaving handler without a budget | `interference-unbounded` | **99** | 0 | – |", text)
        self.assertRegex(text, r"\| irq_demo \| [0-9 ]+ \|")
        # key figures at the top, from the same data
        self.assertIn("Wasm kernels run **12.8×** slower than native C (geometric mean of 8 kernels", text)
        self.assertIn("**9.0×** the instructions (callgrind, 1 kernel)", text)
        self.assertIn("missed **0** of 100 deadlines (99 without the budget)", text)
        self.assertNotIn("Case study:", text)
        # the machine
        self.assertIn("AMD EPYC 7B13, 2 logical CPUs", text)
        self.assertIn("0123456789ab", text)
        self.assertIn("shared and busy", text)
        # absent and garbled benchmarks say so, with the reason
        self.assertIn("**Not measured** — bench/casestudy is not in this tree yet.", text)
        self.assertRegex(text, r"\*\*Not measured\*\* — garbled output \(cycles_per_byte: 'oops' is not a number\)")
        # no gnuplot: said once per plot, no image links
        self.assertIn("## Plots not drawn", text)
        self.assertNotIn("![", text)

    def test_missing_data_directory_gives_a_report_of_not_measured(self):
        shutil.rmtree(self.data)
        os.makedirs(self.data)
        with mock.patch.object(plots, "gnuplot_available", return_value=False):
            text = self.generate()
        self.assertEqual(len(re.findall(r"\*\*Not measured\*\* —", text)), 8)
        self.assertNotRegex(text, r"\| fib \|")
        self.assertIn("unknown", text)  # the machine is not invented either
        self.assertIn("Nothing was measured in this run", text)

    def test_case_study_and_async_appear_when_their_benchmarks_ran(self):
        self.write("casestudy.txt", "casestudy-throughput native=10.00 wasm=9.50 ratio=0.95\n"
                                    "casestudy-cpu native=1.5 wasm=12.0\n"
                                    "casestudy-update-gap cycles=25000 us=1000.0\n"
                                    "casestudy-footprint container=sensor linear=65536 host=12000\n")
        self.write("casestudy.status", "exit=0\nseconds=3\n")
        self.write("async.txt", "async dma bytes=4096 cycles_per_byte=0.50 cpu_share=0.02\n")
        with mock.patch.object(plots, "gnuplot_available", return_value=False):
            text = self.generate()
        self.assertIn("| sensor reports per virtual second | 10.0 | 9.5 | **0.950** |", text)
        self.assertIn("| CPU share of drivers + application (%) | 1.500 | 12.000 | **8.00** |", text)
        self.assertIn("service gap **25000 virtual cycles = 1000.0 µs**", text)
        self.assertIn("| sensor | 65 536 | 12 000 |", text)
        self.assertIn("| dma | 4 096 | 0.5 | 0.0200 |", text)
        self.assertIn("Case study: Wasm containers deliver 0.95×", text)

    def test_strict_fails_only_for_benchmarks_that_are_in_the_tree(self):
        args = ["--data", self.data, "--plots", self.plots, "--md", self.md, "--strict"]
        with mock.patch.object(plots, "gnuplot_available", return_value=False):
            # async printed garbage: a failure
            self.assertEqual(generate.main(args), 1)
            self.write("async.status", "skipped=bench/async is not in this tree yet\nabsent=1\n")
            self.assertEqual(generate.main(args), 0)
            # a build failure is skipped too, but it is a failure
            self.write("io.status", "skipped=building wasmio-io-bench failed\n")
            self.assertEqual(generate.main(args), 1)

    @unittest.skipUnless(plots.gnuplot_available(), "gnuplot not installed")
    def test_plots_are_drawn_and_linked_relative_to_the_report(self):
        text = self.generate()
        for name in ("engine", "io", "irq-latency", "interference", "footprint", "footprint-scaling"):
            svg = os.path.join(self.plots, name + ".svg")
            self.assertTrue(os.path.getsize(svg) > 1000, name)
            with open(svg) as f:
                self.assertIn("<svg", f.read(200))
            self.assertIn("](evaluation/plots/%s.svg)" % name, text)
            self.assertTrue(os.path.exists(os.path.join(self.plots, name + ".dat")))
        self.assertNotIn("## Plots not drawn", text)


if __name__ == "__main__":
    unittest.main()
