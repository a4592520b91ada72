#!/usr/bin/env python3
"""Writes docs/evaluation.md from the raw benchmark outputs that `bench/run report` stored.

usage: generate.py --data DIR --plots DIR --md FILE [--template FILE] [--png]

DIR/NAME.txt is a benchmark's stdout, NAME.log its stderr, NAME.status its exit status and
duration; DIR/meta.txt describes the machine and the run. Every figure in the report comes from
those files; a benchmark that is absent, failed or printed something unparsable gets a
"not measured" line with the reason instead of numbers.
"""

import argparse
import os
import string
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import parsers  # noqa: E402
import plots  # noqa: E402

SECTIONS = ("engine", "callgrind", "io", "irq", "mcu", "footprint", "casestudy", "async")


def fmt(value, digits=2):
    if value is None:
        return "–"
    if isinstance(value, int):
        return "{:,}".format(value).replace(",", " ")
    return "%.*f" % (digits, value)


def table(header, rows):
    out = ["| " + " | ".join(header) + " |", "|" + "|".join("---" for _ in header) + "|"]
    for row in rows:
        out.append("| " + " | ".join(str(c) for c in row) + " |")
    return "\n".join(out)


def not_measured(result):
    return "**Not measured** — %s." % result.reason.rstrip(".")


def notes(result):
    if not result.notes:
        return ""
    return "\n\n" + "\n".join("> Note: %s." % n.rstrip(".") for n in result.notes)


def geomean(values):
    import math
    values = [v for v in values if v and v > 0]
    return math.exp(sum(math.log(v) for v in values) / len(values)) if values else None


class Report:
    def __init__(self, data_dir, plot_dir, md_path, png=False):
        self.data_dir = data_dir
        self.plot_dir = plot_dir
        self.md_path = md_path
        self.plotter = plots.Plotter(plot_dir, png=png)
        self.results = {name: parsers.load(data_dir, name) for name in SECTIONS}
        self.meta = parsers.parse_meta(self._read("meta.txt") or "")

    def _read(self, name):
        try:
            with open(os.path.join(self.data_dir, name), encoding="utf-8", errors="replace") as f:
                return f.read()
        except OSError:
            return None

    def rel(self, path):
        return os.path.relpath(path, os.path.dirname(os.path.abspath(self.md_path)))

    def figure(self, svg, caption):
        if svg is None:
            return ""
        return "\n\n![%s](%s)\n\n*Figure: %s (data and gnuplot script: `%s`, `%s`).*" % (
            caption, self.rel(os.path.join(self.plot_dir, svg)), caption,
            self.rel(os.path.join(self.plot_dir, svg[:-4] + ".dat")),
            self.rel(os.path.join(self.plot_dir, svg[:-4] + ".gp")))

    def raw(self, name):
        return "`%s`" % self.rel(os.path.join(self.data_dir, name + ".txt"))

    def took(self, name):
        seconds = getattr(self.results[name], "seconds", None)
        return "" if seconds is None else "\n\n*Benchmark run time: %.1f s wall-clock (built beforehand).*" % seconds

    # --- sections ---------------------------------------------------------------------------

    def setup(self):
        m = self.meta
        get = lambda k: m.get(k) or "unknown"  # noqa: E731
        mode = get("mode")
        rows = [
            ("date (UTC)", get("date_utc")),
            ("git commit", "%s%s" % (get("git_commit"), " (working tree had uncommitted changes: %s files)"
                                      % m["git_dirty"] if m.get("git_dirty", "0") not in ("0", "") else "")),
            ("machine", "%s, %s logical CPUs, %s RAM, %s" % (get("cpu_model"), get("cpus"), get("mem_total"),
                                                             get("virtualization"))),
            ("OS / kernel", "%s / %s" % (get("os"), get("kernel"))),
            ("host compiler", get("cxx")),
            ("wasm32 compiler", get("clang")),
            ("build", "%s (`%s`)" % (get("build_type"), get("build_dir"))),
            ("QEMU", get("qemu")),
            ("valgrind / gnuplot", "%s / %s" % (get("valgrind"), get("gnuplot"))),
            ("load average (1 min) at start / end", "%s / %s" % (get("load_start"), get("load_end"))),
            ("mode", mode),
        ]
        text = table(["", ""], rows)
        try:
            load = max(float(m.get("load_start", "0").split()[0]), float(m.get("load_end", "0").split()[0]))
            cpus = int(m.get("cpus", "0"))
        except ValueError:
            load, cpus = 0.0, 0
        if cpus and load > 0.5 * cpus:
            text += ("\n\nThe machine was **shared and busy** during this run (load average %.1f on %d CPUs): "
                     "times are thread CPU time, best of N, which excludes waiting for a core but not cache "
                     "and frequency effects of the other work. Virtual cycles and icount instructions are "
                     "unaffected." % (load, cpus))
        elif cpus:
            text += ("\n\nThe machine was quiet during this run (load average at most %.1f on %d CPUs)." % (load, cpus))
        if mode == "smoke":
            text += ("\n\n**Smoke run**: every benchmark ran in its short mode (fewer repetitions and "
                     "iterations) to check the report end to end; the figures are not the ones to quote.")
        return text

    def engine(self):
        r, c = self.results["engine"], self.results["callgrind"]
        if not r.ok:
            return not_measured(r)
        v = r.values
        counts = {k["name"]: k for k in c.values.get("kernels", [])} if c.ok else {}
        rows = []
        for k in v["kernels"]:
            ir = counts.get(k["name"])
            rows.append([k["name"], "%.4f" % k["native_s"], "%.4f" % k["wasm_s"], "**%.2f**" % k["ratio"],
                         fmt(ir["native_ir"]) if ir else "–", fmt(ir["wasm_ir"]) if ir else "–",
                         "%.2f" % ir["ratio"] if ir else "–"])
        text = table(["kernel", "native s", "wasm s", "time ratio", "native instr.", "wasm instr.",
                      "instr. ratio"], rows)
        if v["geomean"] is not None:
            text += "\n\nGeometric mean of the time ratios: **%.2f**." % v["geomean"]
        if v.get("reps"):
            text += " Best (minimum) of %d run%s per side, %s time." % (v["reps"], "" if v["reps"] == 1 else "s",
                                                                     v.get("clock") or "thread CPU")
        if v["hostcall"]:
            text += (" One Wasm → host → Wasm call costs %.2f ns in wasmio against %.2f ns for the same C "
                     "function called through a volatile pointer natively."
                     % (v["hostcall"]["wasm_ns"], v["hostcall"]["native_ns"]))
        if c.ok and len(counts) > 1:
            g = geomean([k["ratio"] for k in counts.values()])
            text += " Geometric mean of the instruction ratios (%d kernels): **%.2f**." % (len(counts), g)
        if c.ok:
            text += ("\n\nInstruction counts: `valgrind --tool=callgrind` on the same binary, counting "
                     "the x86-64 instructions executed inside the native kernel function and inside "
                     "`WasmKernel::run` (the engine's call), for one `run(size, 1)` per side. They do not "
                     "depend on the machine's load, so they are the stable second measure next to the "
                     "times. The two ratios differ where the interpreter and the native code retire "
                     "instructions at different rates (instructions per cycle): e.g. a native loop bound "
                     "by load latency runs fewer instructions per cycle than the interpreter's "
                     "independent dispatch work, so its instruction ratio is higher than its time ratio.")
        else:
            text += "\n\nInstruction counts (callgrind): " + not_measured(c)
        if v.get("aot_kernels"):
            text += ("\n\nThe same kernels compiled ahead of time by the AOT tier ([0015](design/0015-aot-tier.md): "
                     "the lowered code translated to C++ and compiled with the host compiler, with the same bounds "
                     "checks, traps and fuel accounting as the interpreter), against the same native times:\n\n")
            text += table(["kernel", "native s", "aot s", "time ratio"],
                          [[k["name"], "%.4f" % k["native_s"], "%.4f" % k["aot_s"], "**%.2f**" % k["ratio"]]
                           for k in v["aot_kernels"]])
            if v.get("aot_geomean") is not None:
                text += "\n\nGeometric mean of the AOT time ratios: **%.2f**." % v["aot_geomean"]
        if v["loads"]:
            rows = [[name, fmt(l["bytes"]), "%.1f" % (l["load_s"] * 1e6), "%.1f" % (l["instantiate_s"] * 1e6)]
                    for name, l in v["loads"].items()]
            text += "\n\nLoad (decode + validate + lower) and instantiation, timed once each, outside the kernel times:\n\n"
            text += table(["module", "bytes", "load µs", "instantiate µs"], rows)
        series = ["time ratio"] + (["instruction ratio"] if c.ok else [])
        svg = self.plotter.bars("engine", "wasmio engine vs native: slowdown per kernel", "wasm / native",
                                series, [(k["name"], [k["ratio"]] + ([counts[k["name"]]["ratio"] if k["name"] in counts
                                                                     else None] if c.ok else []))
                                         for k in v["kernels"]], log=False)
        return text + self.figure(svg, "engine slowdown per kernel (lower is better)") + notes(r) + notes(c)

    def io(self):
        r = self.results["io"]
        if not r.ok:
            return not_measured(r)
        v = r.values
        rows = [[p["path"], "%.2f" % p["read_ns"], "%.2f" % p["write_ns"], "**%.2f**" % p["ratio"]]
                for p in v["paths"] if p["group"] == "accessor"]
        text = table(["access path", "read32 ns", "write32 ns", "(read+write) vs native"], rows)
        raw = [p for p in v["paths"] if p["group"] == "raw"]
        if raw:
            text += ("\n\nPlain volatile pointer loops without an accessor function (8 accesses per iteration): "
                     "natively on the host memory (`native-raw`), in Wasm on the mapped window (`mapped-raw`), "
                     "in Wasm on ordinary linear memory (`linear-raw`), and the same Wasm loops compiled by the "
                     "AOT tier ([0015](design/0015-aot-tier.md)) on the window (`mapped-aot`) and on linear memory "
                     "(`linear-aot`); ratios against `native-raw`:\n\n")
            text += table(["loop", "read32 ns", "write32 ns", "(read+write) vs native-raw"],
                          [[p["path"], "%.2f" % p["read_ns"], "%.2f" % p["write_ns"], "**%.2f**" % p["ratio"]]
                           for p in raw])
        if v["linear"]:
            text += ("\n\nThe same loops on ordinary linear memory (the Wasm code around each access by itself): "
                     "%.2f ns per read, %.2f ns per write." % (v["linear"]["read_ns"], v["linear"]["write_ns"]))
        if v["mapped_load"]:
            ml = v["mapped_load"]
            text += (" One pointer loop through the mapped window costs %.2f ns per load against %.2f ns on linear "
                     "memory (%.2f ns for the window)." % (ml["window_ns"], ml["linear_ns"], ml["overhead_ns"]))
        if v["memory"]:
            text += "\n\nOrdinary memory accesses of a container with and without a mapped window (must not care):\n\n"
            text += table(["container", "ns per iteration", "vs no window"],
                          [[m["path"], "%.2f" % m["ns"], "%.3f" % m["ratio"]] for m in v["memory"]])
        if v["tmp105"]:
            text += "\n\nA whole bit-banged TMP105 temperature read over the simulated SBCon I2C, per path:\n\n"
            text += table(["path", "µs per read", "vs native"],
                          [[t["path"], "%.2f" % t["read_us"], "%.2f" % t["ratio"]] for t in v["tmp105"]])
        svg = self.plotter.bars("io", "register access cost per path (ns, log scale)", "ns per access",
                                ["read32", "write32"], [(p["path"], [p["read_ns"], p["write_ns"]]) for p in v["paths"]],
                                log=True)
        return text + self.figure(svg, "ns per 32-bit register access per path") + notes(r)

    def irq(self):
        r = self.results["irq"]
        if not r.ok:
            return not_measured(r)
        v = r.values
        text = ""
        if v["latency"]:
            lat, d = v["latency"], v["detail"] or {}
            rows = [["native C handler (E0)", "E0", "%.1f" % lat["native"], fmt(d.get("native_min")), fmt(d.get("native_max"))],
                    ["Wasm handler", "E1/4", "%.1f" % lat["wasm"], fmt(d.get("wasm_min")), fmt(d.get("wasm_max"))],
                    ["ratio Wasm / native", "", "**%.2f**" % lat["ratio"], "", ""]]
            text += table(["handler", "level", "mean cycles", "min", "max"], rows)
            if d.get("interrupts"):
                text += "\n\nOver %s interrupts (virtual cycles of the 25 MHz board clock)." % fmt(d["interrupts"])
            svg = self.plotter.bars("irq-latency", "interrupt latency, simulated AN385 (virtual cycles)", "cycles",
                                    ["min", "mean", "max"],
                                    [("native E0", [d.get("native_min"), lat["native"], d.get("native_max")]),
                                     ("Wasm E1/4", [d.get("wasm_min"), lat["wasm"], d.get("wasm_max")])])
            text += self.figure(svg, "interrupt latency, raise to first handler instruction")
        if v["wcet"]:
            rows = [[w["level"], w["handler"], fmt(w["min"], 0) if w["min"] is not None else "–",
                     fmt(w["mean"], 1) if w["mean"] is not None else "–", fmt(w["max"], 0)] for w in v["wcet"]]
            text += "\n\nHandler execution time per activation (WCET = max), virtual cycles:\n\n"
            text += table(["level", "handler", "min", "mean", "max (WCET)"], rows)
            for line in v.get("wcet_notes", []):
                text += "\n\n%s." % line.rstrip(".")
        return text + notes(r)

    def mcu(self):
        r = self.results["mcu"]
        if not r.ok:
            return not_measured(r)
        v = r.values
        lat, d = v["latency"], v["detail"] or {}
        text = table(["handler", "instructions (timer expiry → first register read)"],
                     [["native C handler (E0)", fmt(lat["native"])], ["Wasm handler (E1/4 under the scheduler on the NVIC)", fmt(lat["wasm"])],
                      ["ratio", "**%.1f**" % lat["ratio"]]])
        if d:
            text += ("\n\nMeasured in CMSDK timer ticks (25 MHz) under `-icount shift=%d` (one instruction = %d ns of "
                     "virtual time): %d ticks Wasm, %d native; the Wasm latency is 2 × native + %d instructions."
                     % (d["icount_shift"], 2 ** int(d["icount_shift"]), d["ticks_wasm"], d["ticks_native"],
                        d["constant_beyond_2x"]))
        if v["preemption"]:
            text += "\n\nPreemption: %s." % v["preemption"]["text"]
        if v.get("casestudy"):
            cs = v["casestudy"]
            text += ("\n\nThe case study on QEMU (bench/mcu/run-mcu-casestudy: the four containers on QEMU's timer, "
                     "UART0 and TMP105, docs/design/0011): **%.2f %%** CPU with a report every 100 ms (1 − time in "
                     "WFI / span, over 5 s of board time under icount), **%s** reports per second flat out "
                     "(CPU-bound: QEMU's UART has no baud timing)." % (cs["cpu_share"] * 100, fmt(cs["reports_per_s"], 0)))
        if v.get("extra"):
            text += "\n\nFurther figures the firmware printed in the same run (bytes unless named otherwise):\n\n"
            text += table(["line", "values"], [["`%s`" % e["kind"], ", ".join("%s = %s" % kv for kv in e["pairs"])]
                                               for e in v["extra"]])
        return text + notes(r)

    def interference(self):
        r = self.results["irq"]
        if not r.ok:
            return not_measured(r)
        inter = r.values["interference"]
        if not inter:
            return "**Not measured** — the irq benchmark printed no interference line."
        labels = {"interference": "misbehaving handler with budget and minimum inter-arrival",
                  "interference-baseline": "no misbehaving handler",
                  "interference-unbounded": "misbehaving handler without a budget"}
        rows = [[labels.get(k, e["label"] or k), "`%s`" % k, "**%d**" % e["misses"], e["jobs"],
                 "–" if e["overruns"] is None else e["overruns"]] for k, e in inter.items()]
        text = table(["scenario", "line", "deadlines missed", "jobs completed", "handler overruns"], rows)
        svg = self.plotter.bars("interference", "periodic task beside a misbehaving interrupt handler",
                                "count", ["deadlines missed", "jobs completed"],
                                [(k.replace("interference-", "").replace("interference", "budgeted"),
                                  [e["misses"], e["jobs"]]) for k, e in inter.items()])
        return text + self.figure(svg, "deadline misses and completed jobs per scenario")

    def footprint(self):
        r = self.results["footprint"]
        if not r.ok:
            return not_measured(r)
        v = r.values
        parts = parsers.FOOTPRINT_PARTS
        rows = [[d["driver"], fmt(d["binary"])] + [fmt(d[p]) for p in parts] + ["**%s**" % fmt(d["total"]),
                                                                               fmt(d["total"] - d["linear"])]
                for d in v["drivers"]]
        text = table(["driver container", "binary", "module", "lowered code", "instance", "execution stacks",
                      "linear memory", "I/O layer", "scheduler", "total", "total without linear"], rows)
        stacks = [d for d in v["drivers"] if d.get("execution_count")]
        if stacks:
            text += ("\n\nExecution stacks: one `Execution` per interrupt handler and task (%s), each sized by the "
                     "deployment's `ExecutionConfig`; the polled drivers have neither, so they have none. "
                     "Rows named `_1k_slots` use 1024 value slots and 64 frames instead of the engine's default "
                     "(65 536 slots, 8 192 frames)." % ", ".join("%s: %d with %s slots" % (
                         d["driver"], d["execution_count"], fmt(d.get("stack_slots"))) for d in stacks))
        svg = self.plotter.bars("footprint", "bytes per driver container (without linear memory and stacks)", "bytes",
                                ["module", "lowered code", "instance", "I/O layer", "scheduler"],
                                [(d["driver"], [d["module"], d["lowered"], d["instance"], d["io"], d["sched"]])
                                 for d in v["drivers"]], stacked=True, key="outside right top")
        text += self.figure(svg, "bytes per container by owner; linear memory and execution stacks, which are "
                                 "set by the module and the deployment, are in the table")
        if v["scaling"]:
            last = v["scaling"][-1]
            text += ("\n\n%d copies of `%s` in one scheduler: %s bytes in all, the first %s bytes, each further one "
                     "**%s bytes** on average (marginal)." % (last["containers"], last["driver"], fmt(last["total"]),
                                                             fmt(last["first"]), fmt(last["marginal"])))
            same = [d for d in v["drivers"] if d["driver"] == last["driver"]]
            if same:
                text += (" Of each container's bytes, %s are its linear memory (the module's declared pages), so "
                         "the marginal cost without linear memory is %s bytes."
                         % (fmt(same[0]["linear"]), fmt(last["marginal"] - same[0]["linear"])))
            svg = self.plotter.lines("footprint-scaling", "live bytes vs installed containers (%s)" % last["driver"],
                                     "containers", "bytes", ["total bytes"],
                                     [(s["containers"], [s["total"]]) for s in v["scaling"]])
            text += self.figure(svg, "total bytes against the number of containers")
        if v["release"]:
            rel = v["release"]
            text += ("\n\nAfter removing all of them: %s engine bytes and %s host bytes still live compared with before "
                     "the first install%s." % (fmt(rel["engine_left"]), fmt(rel["host_left"]),
                                               "" if rel["engine_left"] == 0 else " — **engine bytes not returned**"))
        return text + notes(r)

    def casestudy(self):
        r = self.results["casestudy"]
        if not r.ok:
            return not_measured(r)
        v = r.values
        text = ""
        rows = []
        if v["throughput"]:
            t = v["throughput"]
            rows.append(["sensor reports per virtual second", fmt(t["native"], 1), fmt(t["wasm"], 1),
                         "**%.3f**" % t["ratio"]])
        if v["cpu"]:
            c = v["cpu"]
            rows.append(["CPU share of drivers + application (%)", fmt(c["native"], 3), fmt(c["wasm"], 3),
                         "**%.2f**" % (c["wasm"] / c["native"]) if c["native"] else "–"])
        if rows:
            text += table(["", "native drivers", "Wasm containers", "Wasm / native"], rows)
        if v["cpu"] and "wasm_nolog" in v["cpu"]:
            text += ("\n\nThe CPU shares include logging every report to the SPI flash; without the logger the "
                     "Wasm containers take %s %%." % fmt(v["cpu"]["wasm_nolog"], 3))
        if v["cpu"]:
            svg = self.plotter.bars("casestudy-cpu", "case study: CPU share of drivers + application", "% of virtual time",
                                    ["native drivers", "Wasm containers"],
                                    [("CPU share", [v["cpu"]["native"], v["cpu"]["wasm"]])])
            text += self.figure(svg, "CPU share, native drivers vs Wasm containers")
        if v["update_gap"]:
            g = v["update_gap"]
            text += ("\n\nLive update of the sensor driver: service gap **%s virtual cycles = %s µs**."
                     % (fmt(g["cycles"], 0), fmt(g["us"], 1)))
        if v["footprint"]:
            text += "\n\nMemory per case-study container:\n\n" + table(
                ["container", "linear memory bytes", "host bytes"],
                [[f["container"], fmt(f["linear"]), fmt(f["host"])] for f in v["footprint"]])
            svg = self.plotter.bars("casestudy-footprint", "case study: bytes per container", "bytes",
                                    ["linear memory", "host"],
                                    [(f["container"], [f["linear"], f["host"]]) for f in v["footprint"]],
                                    stacked=True, key="outside right top")
            text += self.figure(svg, "bytes per case-study container")
        return text + notes(r)

    def async_io(self):
        r = self.results["async"]
        if not r.ok:
            return not_measured(r)
        rows = [[a["path"], fmt(a["bytes"]), "%.1f" % a["cycles_per_byte"], "%.4f" % a["cpu_share"]]
                for a in r.values["rows"]]
        text = table(["transfer path", "bytes", "virtual cycles per byte", "CPU share (as printed)"], rows)
        svg = self.plotter.bars("async", "Block transfers (UART, SPI): virtual cycles per byte", "cycles per byte",
                                ["cycles per byte"], [("%s %d B" % (a["path"], a["bytes"]), [a["cycles_per_byte"]])
                                                      for a in r.values["rows"]], log=True)
        return text + self.figure(svg, "cycles per byte per transfer path") + notes(r)

    def summary(self):
        """Key figures, each only when its benchmark was measured."""
        r = self.results
        items = []
        if r["engine"].ok and r["engine"].values["geomean"] is not None:
            item = "Engine: Wasm kernels run **%.1f×** slower than native C (geometric mean of %d kernels, CPU time)" % (
                r["engine"].values["geomean"], len(r["engine"].values["kernels"]))
            if r["callgrind"].ok:
                g = geomean([k["ratio"] for k in r["callgrind"].values["kernels"]])
                n = len(r["callgrind"].values["kernels"])
                item += "; **%.1f×** the instructions (callgrind, %d kernel%s)" % (g, n, "" if n == 1 else "s")
            if r["engine"].values.get("aot_geomean") is not None:
                item += "; compiled ahead of time, **%.2f×**" % r["engine"].values["aot_geomean"]
            items.append(item + ".")
        if r["io"].ok:
            rows = {p["path"]: p for p in r["io"].values["paths"]}
            parts = ["%s %.1f×" % (name, rows[name]["ratio"]) for name in ("host-call", "mapped", "copy") if name in rows]
            if parts:
                items.append("Register access against native C on the same backend: " + ", ".join(parts) + ".")
            raw = ["%s %.1f×" % (name, rows[name]["ratio"]) for name in ("mapped-raw", "mapped-aot") if name in rows]
            if raw:
                items.append("Volatile pointer loop on a raw-memory window against the same loop in native C: " +
                             ", ".join(raw) + " (interpreted, compiled ahead of time).")
        if r["irq"].ok and r["irq"].values["latency"]:
            lat = r["irq"].values["latency"]
            items.append("Interrupt latency, simulated: Wasm handler %.1f cycles vs native %.1f (**%.1f×**)." % (
                lat["wasm"], lat["native"], lat["ratio"]))
        if r["mcu"].ok:
            lat = r["mcu"].values["latency"]
            items.append("Interrupt latency on the Cortex-M3 in QEMU: %d vs %d instructions (**%.1f×**)." % (
                lat["wasm"], lat["native"], lat["ratio"]))
        if r["irq"].ok and "interference" in r["irq"].values["interference"]:
            e = r["irq"].values["interference"]["interference"]
            line = "A misbehaving handler under a budget: the periodic task missed **%d** of %d deadlines" % (
                e["misses"], e["jobs"] + e["misses"])
            unb = r["irq"].values["interference"].get("interference-unbounded")
            if unb:
                line += " (%d without the budget)" % unb["misses"]
            items.append(line + ".")
        if r["footprint"].ok and r["footprint"].values["scaling"]:
            last = r["footprint"].values["scaling"][-1]
            same = [d for d in r["footprint"].values["drivers"] if d["driver"] == last["driver"]]
            if same:
                items.append("Memory: one more `%s` container costs **%s bytes** besides its %s bytes of linear "
                             "memory (host build)." % (last["driver"], fmt(last["marginal"] - same[0]["linear"]),
                                                       fmt(same[0]["linear"])))
        if r["casestudy"].ok and r["casestudy"].values["throughput"]:
            t = r["casestudy"].values["throughput"]
            items.append("Case study: Wasm containers deliver %.2f× the native reports per second." % t["ratio"])
        if not items:
            return "Nothing was measured in this run: see the sections below for the reasons."
        return "\n".join("- " + i for i in items)

    def raw_data(self):
        rows = []
        for name in SECTIONS:
            res = self.results[name]
            state = "measured" if res.ok else "not measured: " + res.reason
            seconds = getattr(res, "seconds", None)
            command = getattr(res, "command", None)
            rows.append([name, "`%s`" % command if command else "–", self.raw(name),
                         "–" if seconds is None else "%.1f" % seconds, getattr(res, "load", None) or "–", state])
        return table(["benchmark", "command", "raw output", "wall s", "load average after", "state"], rows)

    def render(self, template_text):
        values = {
            "setup": self.setup(),
            "summary": self.summary(),
            "engine": self.engine() + self.took("engine"),
            "io": self.io() + self.took("io"),
            "irq": self.irq() + self.took("irq"),
            "mcu": self.mcu() + self.took("mcu"),
            "interference": self.interference(),
            "footprint": self.footprint(),
            "casestudy": self.casestudy(),
            "async": self.async_io(),
            "raw": self.raw_data(),
            "meta": self.rel(os.path.join(self.data_dir, "meta.txt")),
            "plots": self.rel(self.plot_dir),
            "data": self.rel(self.data_dir),
        }
        text = string.Template(template_text).safe_substitute(values)
        if self.plotter.errors:
            text += "\n\n## Plots not drawn\n\n" + "\n".join("- " + e for e in self.plotter.errors) + "\n"
        return text


def main(argv=None):
    here = os.path.dirname(os.path.abspath(__file__))
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--data", required=True)
    ap.add_argument("--plots", required=True)
    ap.add_argument("--md", required=True)
    ap.add_argument("--template", default=os.path.join(here, "evaluation.md.in"))
    ap.add_argument("--png", action="store_true", help="also draw PNGs next to the SVGs")
    ap.add_argument("--strict", action="store_true",
                    help="exit status 1 when a benchmark that is in the tree was not measured")
    args = ap.parse_args(argv)
    with open(args.template, encoding="utf-8") as f:
        template = f.read()
    report = Report(args.data, args.plots, args.md, png=args.png)
    text = report.render(template)
    os.makedirs(os.path.dirname(os.path.abspath(args.md)), exist_ok=True)
    with open(args.md, "w", encoding="utf-8") as f:
        f.write(text)
    measured = [n for n in SECTIONS if report.results[n].ok]
    missing = [n for n in SECTIONS if not report.results[n].ok]
    print("report: %s: measured %s; not measured %s" % (args.md, " ".join(measured) or "-", " ".join(missing) or "-"))
    for error in report.plotter.errors:
        print("report: " + error, file=sys.stderr)
    failed = [n for n in SECTIONS if not report.results[n].ok and not report.results[n].absent]
    if args.strict and failed:
        for n in failed:
            print("report: %s not measured: %s" % (n, report.results[n].reason), file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
