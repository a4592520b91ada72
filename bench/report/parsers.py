"""Parsers for the fixed output lines of wasmio's benchmarks (bench/run SUBCOMMAND).

Each parse_NAME(text) returns a Result. A Result is either measured (ok, with values) or not
(ok False, with a reason saying why). Lines a parser does not know are ignored (benchmarks may
print more over time); a known line whose numbers do not fit its format makes the whole result
"garbled" rather than half-believed. No parser ever fills in a value that was not printed.
"""

import math
import re

NUMBER = r"[-+]?(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?"


class Result:
    """Parsed output of one benchmark. `ok` False means: not measured, see `reason`."""

    def __init__(self, name, ok, reason="", values=None, notes=None):
        self.name = name
        self.ok = ok
        self.absent = False  # not in the tree / tools not installed: not a failure
        self.reason = reason
        self.values = values if values is not None else {}
        self.notes = notes if notes is not None else []

    def __repr__(self):
        return "Result(%r, ok=%r, reason=%r)" % (self.name, self.ok, self.reason)


class Garbled(Exception):
    """A known line whose fields do not have their fixed format."""


def not_measured(name, reason):
    return Result(name, False, reason)


def _num(text, what):
    try:
        value = float(text)
    except (TypeError, ValueError):
        raise Garbled("%s: %r is not a number" % (what, text))
    if math.isnan(value) or math.isinf(value):
        raise Garbled("%s: %r is not a finite number" % (what, text))
    return value


def _nonneg(text, what):
    value = _num(text, what)
    if value < 0:
        raise Garbled("%s: %r is negative" % (what, text))
    return value


def _int(text, what):
    value = _nonneg(text, what)
    if value != int(value):
        raise Garbled("%s: %r is not an integer" % (what, text))
    return int(value)


def _fields(line, keys, what):
    """key=value pairs of `line` for exactly the given keys (each must appear once)."""
    found = {}
    for token in line.split():
        if "=" not in token:
            continue
        key, _, value = token.partition("=")
        if key in keys:
            if key in found:
                raise Garbled("%s: %s= appears twice" % (what, key))
            found[key] = value
    missing = [k for k in keys if k not in found]
    if missing:
        raise Garbled("%s: no %s" % (what, ", ".join(k + "=" for k in missing)))
    return found


def _check_ratio(ratio, numerator, denominator, what, tolerance=0.02, slack=0.011):
    """A printed ratio must agree with its printed parts (rounding aside)."""
    if denominator <= 0:
        raise Garbled("%s: zero or negative denominator" % what)
    expected = numerator / denominator
    if abs(ratio - expected) > max(tolerance * expected, slack):
        raise Garbled("%s: ratio %.4g does not match %.6g / %.6g" % (what, ratio, numerator, denominator))


def _lines(text):
    return [line.strip() for line in (text or "").replace("\r", "").split("\n") if line.strip()]


def _guard(name, text, body):
    """Runs body(lines) -> Result; empty input and format errors become 'not measured'."""
    if text is None:
        return not_measured(name, "no output recorded")
    lines = _lines(text)
    if not lines:
        return not_measured(name, "the benchmark printed nothing")
    try:
        return body(lines)
    except Garbled as error:
        return not_measured(name, "garbled output (%s)" % error)


# --- bench/run engine (wasmio-bench) ---------------------------------------------------------

KERNEL_LINE = re.compile(r"^([a-z][a-z0-9_]*) (%s) (%s) (%s)$" % (NUMBER, NUMBER, NUMBER))


def parse_engine(text):
    def body(lines):
        kernels, loads, header, geomean, hostcall, failed = [], {}, "", None, None, None
        aot_kernels, aot_geomean = [], None
        for line in lines:
            if line.startswith("#"):
                if not header:
                    header = line.lstrip("# ")
                m = re.match(r"^# (\d+) kernel\(s\) failed", line)
                if m:
                    failed = int(m.group(1))
                continue
            if line.startswith("geomean ratio"):
                geomean = _nonneg(line.split()[-1], "geomean")
                continue
            if line.startswith("aot "):
                parts = line.split()
                if len(parts) == 3 and parts[1] == "geomean":
                    aot_geomean = _nonneg(parts[2], "aot geomean")
                    continue
                if len(parts) != 5:
                    raise Garbled("aot line: expected 'aot NAME native_s aot_s ratio' or 'aot geomean R'")
                native = _nonneg(parts[2], parts[1] + " native_s")
                aot = _nonneg(parts[3], parts[1] + " aot_s")
                ratio = _nonneg(parts[4], parts[1] + " aot ratio")
                _check_ratio(ratio, aot, native, "aot " + parts[1])
                aot_kernels.append({"name": parts[1], "native_s": native, "aot_s": aot, "ratio": ratio})
                continue
            if line.startswith("load "):
                parts = line.split()
                f = _fields(line, ["load_s", "instantiate_s", "bytes"], "load line")
                loads[parts[1]] = {
                    "load_s": _nonneg(f["load_s"], "load_s"),
                    "instantiate_s": _nonneg(f["instantiate_s"], "instantiate_s"),
                    "bytes": _int(f["bytes"], "bytes"),
                }
                continue
            if line.startswith("hostcall ns_per_call"):
                f = _fields(line, ["wasm", "native"], "hostcall line")
                hostcall = {"wasm_ns": _nonneg(f["wasm"], "hostcall wasm"),
                            "native_ns": _nonneg(f["native"], "hostcall native")}
                continue
            m = KERNEL_LINE.match(line)
            if m:
                name = m.group(1)
                native = _nonneg(m.group(2), name + " native_s")
                wasm = _nonneg(m.group(3), name + " wasm_s")
                ratio = _nonneg(m.group(4), name + " ratio")
                _check_ratio(ratio, wasm, native, name)
                kernels.append({"name": name, "native_s": native, "wasm_s": wasm, "ratio": ratio})
        if not kernels:
            if any(re.match(r"^[a-z_0-9]+ 0x[0-9a-f]{8}$", l) for l in lines):
                return not_measured("engine", "smoke run only (checksums, no times)")
            return not_measured("engine", "no kernel line in the output")
        values = {"kernels": kernels, "loads": loads, "header": header, "geomean": geomean,
                  "hostcall": hostcall, "aot_kernels": aot_kernels, "aot_geomean": aot_geomean}
        notes = []
        if failed:
            notes.append("%d kernel(s) failed their checksum or trapped: no geomean" % failed)
        elif geomean is None:
            notes.append("no geomean line: the run did not finish")
        m = re.search(r"best of (\d+) runs?", header)
        values["reps"] = int(m.group(1)) if m else None
        values["clock"] = "thread CPU" if "thread CPU" in header else ("wall-clock" if "wall" in header else "")
        return Result("engine", True, values=values, notes=notes)

    return _guard("engine", text, body)


# --- callgrind instruction counts (bench/run callgrind) --------------------------------------

def parse_callgrind(text):
    def body(lines):
        kernels = []
        for line in lines:
            if not line.startswith("callgrind "):
                continue
            parts = line.split()
            f = _fields(line, ["native", "wasm", "ratio"], "callgrind line")
            native = _int(f["native"], "callgrind native")
            wasm = _int(f["wasm"], "callgrind wasm")
            ratio = _nonneg(f["ratio"], "callgrind ratio")
            _check_ratio(ratio, wasm, native, "callgrind " + parts[1])
            kernels.append({"name": parts[1], "native_ir": native, "wasm_ir": wasm, "ratio": ratio})
        if not kernels:
            return not_measured("callgrind", "no callgrind line in the output")
        return Result("callgrind", True, values={"kernels": kernels})

    return _guard("callgrind", text, body)


# --- bench/run io (wasmio-io-bench) -----------------------------------------------------------

IO_OTHER_LINES = ("tmp105", "memory", "wasm-linear-memory", "mapped-load")


def io_group(path):
    """Rows are compared within their group: accessor paths against "native", plain pointer
    loops (PATH-raw, and the same loops compiled by the AOT tier, PATH-aot) against "native-raw"."""
    return "raw" if path.endswith("-raw") or path.endswith("-aot") else "accessor"


def parse_io(text):
    def body(lines):
        paths, tmp105, memory, linear, mapped_load = [], [], [], None, None
        for line in lines:
            parts = line.split()
            if parts[0] != "io" or len(parts) < 2:
                continue
            what = parts[1]
            if what == "tmp105":
                if len(parts) != 5:
                    raise Garbled("io tmp105: expected PATH read_us ratio")
                tmp105.append({"path": parts[2], "read_us": _nonneg(parts[3], "tmp105 read_us"),
                               "ratio": _nonneg(parts[4], "tmp105 ratio")})
            elif what == "memory":
                if len(parts) != 5:
                    raise Garbled("io memory: expected PATH ns ratio")
                memory.append({"path": parts[2], "ns": _nonneg(parts[3], "memory ns"),
                               "ratio": _nonneg(parts[4], "memory ratio")})
            elif what == "wasm-linear-memory":
                if len(parts) != 4:
                    raise Garbled("io wasm-linear-memory: expected read_ns write_ns")
                linear = {"read_ns": _nonneg(parts[2], "linear read"), "write_ns": _nonneg(parts[3], "linear write")}
            elif what == "mapped-load":
                if len(parts) != 5:
                    raise Garbled("io mapped-load: expected window_ns linear_ns overhead_ns")
                mapped_load = {"window_ns": _nonneg(parts[2], "window_ns"),
                               "linear_ns": _nonneg(parts[3], "linear_ns"),
                               "overhead_ns": _num(parts[4], "overhead_ns")}
            elif re.match(r"^[a-z][a-z0-9-]*$", what):
                if len(parts) != 5:
                    raise Garbled("io %s: expected read_ns write_ns ratio" % what)
                paths.append({"path": what, "group": io_group(what),
                              "read_ns": _nonneg(parts[2], what + " read_ns"),
                              "write_ns": _nonneg(parts[3], what + " write_ns"),
                              "ratio": _nonneg(parts[4], what + " ratio")})
        if not any(p["path"] == "native" for p in paths):
            return not_measured("io", "no 'io native read_ns write_ns ratio' line in the output")
        notes = []
        for group in sorted(set(p["group"] for p in paths)):
            base_name = "native" if group == "accessor" else "native-raw"
            base = [p for p in paths if p["path"] == base_name]
            if not base:
                notes.append("no %s line: the %s ratios are as printed" % (base_name, group))
                continue
            total = base[0]["read_ns"] + base[0]["write_ns"]
            for p in paths:
                if p["group"] == group:
                    _check_ratio(p["ratio"], p["read_ns"] + p["write_ns"], total, "io " + p["path"])
        return Result("io", True, values={"paths": paths, "tmp105": tmp105, "memory": memory,
                                          "linear": linear, "mapped_load": mapped_load}, notes=notes)

    return _guard("io", text, body)


# --- bench/run irq (wasmio-irq-bench) ----------------------------------------------------------

DETAIL = re.compile(r"^irq-latency-detail interrupts=(\d+) wasm min=(\d+) max=(\d+) native min=(\d+) max=(\d+)")


def parse_irq(text):
    def body(lines):
        latency, detail, wcet, interference, wcet_notes = None, None, [], {}, []
        for line in lines:
            if line.startswith("irq-latency "):
                f = _fields(line, ["wasm", "native", "ratio"], "irq-latency")
                latency = {k: _nonneg(v, "irq-latency " + k) for k, v in f.items()}
                _check_ratio(latency["ratio"], latency["wasm"], latency["native"], "irq-latency")
            elif line.startswith("irq-latency-detail"):
                m = DETAIL.match(line)
                if not m:
                    raise Garbled("irq-latency-detail: unexpected format")
                detail = {"interrupts": int(m.group(1)), "wasm_min": int(m.group(2)), "wasm_max": int(m.group(3)),
                          "native_min": int(m.group(4)), "native_max": int(m.group(5))}
            elif line.startswith("irq-wcet "):
                if "handler=" in line:
                    f = _fields(line, ["level", "handler", "min", "mean", "max"], "irq-wcet")
                    lo, mean, hi = (_nonneg(f[k], "irq-wcet " + k) for k in ("min", "mean", "max"))
                    if not lo <= mean <= hi:
                        raise Garbled("irq-wcet %s: not min <= mean <= max" % f["handler"])
                    wcet.append({"level": f["level"], "handler": f["handler"], "min": lo, "mean": mean, "max": hi})
                else:
                    # Older form: irq-wcet level=E1/4 wasm=N level=E0 native=M (maximum only).
                    pairs = re.findall(r"level=(\S+) (wasm|native)=(%s)" % NUMBER, line)
                    if not pairs:
                        raise Garbled("irq-wcet: unexpected format")
                    for level, handler, value in pairs:
                        wcet.append({"level": level, "handler": handler, "min": None, "mean": None,
                                     "max": _nonneg(value, "irq-wcet")})
            elif line.startswith("irq-wcet-detail "):
                wcet_notes.append(line[len("irq-wcet-detail "):])
            elif re.match(r"^interference(-[a-z]+)? ", line):
                kind = line.split()[0]
                f = _fields(line, ["misses", "jobs"], kind)
                entry = {"misses": _int(f["misses"], kind), "jobs": _int(f["jobs"], kind)}
                m = re.search(r"overruns=(\d+)", line)
                entry["overruns"] = int(m.group(1)) if m else None
                m = re.search(r"\((.*)\)\s*$", line)
                entry["label"] = m.group(1) if m else ""
                interference[kind] = entry
        if latency is None and not wcet and not interference:
            return not_measured("irq", "no irq-latency, irq-wcet or interference line in the output")
        notes = []
        if latency is None:
            notes.append("no irq-latency line")
        return Result("irq", True, values={"latency": latency, "detail": detail, "wcet": wcet,
                                           "interference": interference, "wcet_notes": wcet_notes}, notes=notes)

    return _guard("irq", text, body)


# --- bench/run mcu (run-mcu-bench on QEMU) -------------------------------------------------------

def parse_mcu(text):
    def body(lines):
        latency, detail, preemption, extra, casestudy = None, None, None, [], None
        for line in lines:
            if line.startswith("mcu-irq-latency "):
                f = _fields(line, ["wasm", "native", "ratio"], "mcu-irq-latency")
                latency = {"wasm": _int(f["wasm"], "mcu wasm"), "native": _int(f["native"], "mcu native"),
                           "ratio": _nonneg(f["ratio"], "mcu ratio")}
                # Printed with one decimal from unrounded instruction counts.
                _check_ratio(latency["ratio"], latency["wasm"], latency["native"], "mcu-irq-latency",
                             tolerance=0.05, slack=0.06)
            elif line.startswith("mcu-irq-latency-detail"):
                f = _fields(line, ["ticks_wasm", "ticks_native", "icount_shift", "constant_beyond_2x"],
                            "mcu-irq-latency-detail")
                detail = {k: _num(v, k) for k, v in f.items()}
            elif line.startswith("mcu-casestudy "):
                f = _fields(line, ["cpu_share", "reports_per_s"], "mcu-casestudy")
                casestudy = {"cpu_share": _nonneg(f["cpu_share"], "mcu-casestudy cpu_share"),
                             "reports_per_s": _nonneg(f["reports_per_s"], "mcu-casestudy reports_per_s")}
                if casestudy["cpu_share"] > 1:
                    raise Garbled("mcu-casestudy: cpu_share %g is more than the whole CPU" % casestudy["cpu_share"])
            elif line.startswith("mcu-preemption"):
                m = re.match(r"^mcu-preemption (\d+) ", line)
                if not m:
                    raise Garbled("mcu-preemption: no count")
                preemption = {"count": int(m.group(1)), "text": line[len("mcu-preemption "):]}
            elif re.match(r"^mcu-[a-z0-9-]+ [a-z_+-]+=", line):
                # Further firmware figures (e.g. mcu-container-ram module=N ...): shown as printed,
                # each value checked to be a number or a plain name.
                kind, _, rest = line.partition(" ")
                pairs = []
                for token in rest.split():
                    key, sep, value = token.partition("=")
                    if not sep or not re.match(r"^(%s|[A-Za-z_][A-Za-z0-9_.-]*)$" % NUMBER, value):
                        raise Garbled("%s: %r is not key=value" % (kind, token))
                    pairs.append((key, value))
                extra.append({"kind": kind, "pairs": pairs})
        if latency is None:
            return not_measured("mcu", "no mcu-irq-latency line in the output")
        return Result("mcu", True, values={"latency": latency, "detail": detail, "preemption": preemption,
                                           "extra": extra, "casestudy": casestudy})

    return _guard("mcu", text, body)


# --- bench/run footprint (wasmio-footprint) ----------------------------------------------------

FOOTPRINT_PARTS = ("module", "lowered", "instance", "executions", "linear", "io", "sched")


def parse_footprint(text):
    def body(lines):
        drivers, scaling, release = [], [], None
        for line in lines:
            if line.startswith("footprint "):
                f = _fields(line, ["driver"] + list(FOOTPRINT_PARTS) + ["total", "binary"], "footprint")
                entry = {"driver": f["driver"]}
                for key in FOOTPRINT_PARTS + ("total", "binary"):
                    entry[key] = _int(f[key], "footprint " + key)
                for key in ("execution_count", "stack_slots"):
                    m = re.search(r"\b%s=(\d+)" % key, line)
                    entry[key] = int(m.group(1)) if m else None
                if sum(entry[k] for k in FOOTPRINT_PARTS) != entry["total"]:
                    raise Garbled("footprint %s: parts do not add up to total" % f["driver"])
                drivers.append(entry)
            elif line.startswith("footprint-scaling "):
                f = _fields(line, ["driver", "containers", "total", "first", "marginal"], "footprint-scaling")
                scaling.append({"driver": f["driver"], "containers": _int(f["containers"], "containers"),
                                "total": _int(f["total"], "total"), "first": _int(f["first"], "first"),
                                "marginal": _int(f["marginal"], "marginal")})
            elif line.startswith("footprint-release "):
                f = _fields(line, ["driver", "engine_left", "host_left"], "footprint-release")
                release = {"driver": f["driver"], "engine_left": int(_num(f["engine_left"], "engine_left")),
                           "host_left": int(_num(f["host_left"], "host_left"))}
        if not drivers:
            return not_measured("footprint", "no 'footprint driver=...' line in the output")
        return Result("footprint", True, values={"drivers": drivers, "scaling": scaling, "release": release})

    return _guard("footprint", text, body)


# --- bench/casestudy (E6) ----------------------------------------------------------------------

def parse_casestudy(text):
    def body(lines):
        values = {"throughput": None, "cpu": None, "update_gap": None, "footprint": []}
        for line in lines:
            if line.startswith("casestudy-throughput "):
                f = _fields(line, ["native", "wasm", "ratio"], "casestudy-throughput")
                t = {k: _nonneg(v, "throughput " + k) for k, v in f.items()}
                if t["native"] > 0:
                    _check_ratio(t["ratio"], t["wasm"], t["native"], "casestudy-throughput")
                values["throughput"] = t
            elif line.startswith("casestudy-cpu "):
                keys = ["native", "wasm"] + (["wasm_nolog"] if " wasm_nolog=" in line else [])
                f = _fields(line, keys, "casestudy-cpu")
                values["cpu"] = {k: _nonneg(v.rstrip("%"), "cpu " + k) for k, v in f.items()}
            elif line.startswith("casestudy-update-gap "):
                f = _fields(line, ["cycles", "us"], "casestudy-update-gap")
                values["update_gap"] = {"cycles": _nonneg(f["cycles"], "gap cycles"), "us": _nonneg(f["us"], "gap us")}
            elif line.startswith("casestudy-footprint "):
                f = _fields(line, ["container", "linear", "host"], "casestudy-footprint")
                values["footprint"].append({"container": f["container"], "linear": _int(f["linear"], "linear"),
                                            "host": _int(f["host"], "host")})
        if values["throughput"] is None and values["cpu"] is None and values["update_gap"] is None \
                and not values["footprint"]:
            return not_measured("casestudy", "no casestudy-* line in the output")
        return Result("casestudy", True, values=values)

    return _guard("casestudy", text, body)


# --- bench/async (E5) ----------------------------------------------------------------------------

def parse_async(text):
    def body(lines):
        rows = []
        for line in lines:
            if not line.startswith("async "):
                continue
            parts = line.split()
            if len(parts) < 2 or "=" in parts[1]:
                raise Garbled("async: no PATH")
            f = _fields(line, ["bytes", "cycles_per_byte", "cpu_share"], "async " + parts[1])
            rows.append({"path": parts[1], "bytes": _int(f["bytes"], "bytes"),
                         "cycles_per_byte": _nonneg(f["cycles_per_byte"], "cycles_per_byte"),
                         "cpu_share": _nonneg(f["cpu_share"].rstrip("%"), "cpu_share")})
        if not rows:
            return not_measured("async", "no 'async PATH bytes=... cycles_per_byte=... cpu_share=...' line")
        return Result("async", True, values={"rows": rows})

    return _guard("async", text, body)


# --- run metadata written by bench/run report ----------------------------------------------------

def parse_meta(text):
    """key=value lines (values may contain spaces); unknown keys are kept."""
    meta = {}
    for line in _lines(text):
        if line.startswith("#") or "=" not in line:
            continue
        key, _, value = line.partition("=")
        meta[key.strip()] = value.strip()
    return meta


def parse_status(text):
    """The NAME.status file: exit=N seconds=S [skipped=REASON]."""
    status = {"exit": None, "seconds": None, "skipped": None, "absent": False, "load": None, "command": None}
    for line in _lines(text):
        key, _, value = line.partition("=")
        if key == "exit":
            try:
                status["exit"] = int(value)
            except ValueError:
                pass
        elif key == "seconds":
            try:
                status["seconds"] = float(value)
            except ValueError:
                pass
        elif key == "skipped":
            status["skipped"] = value
        elif key == "absent":
            status["absent"] = value.strip() == "1"
        elif key == "load":
            status["load"] = value
        elif key == "command":
            status["command"] = value.strip()
    return status


def load(data_dir, name):
    """The Result of benchmark `name` from DIR/NAME.txt, NAME.status and NAME.log."""
    import os

    def read(suffix):
        path = os.path.join(data_dir, name + suffix)
        try:
            with open(path, encoding="utf-8", errors="replace") as f:
                return f.read()
        except OSError:
            return None

    status = parse_status(read(".status") or "")
    if status["skipped"]:
        result = not_measured(name, status["skipped"])
        result.absent = status["absent"]
        return result
    output = read(".txt")
    if output is None:
        return not_measured(name, "no output file %s.txt" % name)
    result = PARSERS[name](output)
    if status["exit"] not in (0, None):
        log = [l for l in _lines(read(".log") or "") if l]
        why = "exited with status %d" % status["exit"]
        if log:
            why += ": " + log[-1][:300]
        if result.ok:
            result.notes.append(why + " (the lines it printed before are shown)")
        else:
            result = not_measured(name, "the benchmark failed (%s)" % why)
    result.seconds = status["seconds"]
    result.load = status["load"]
    result.command = status["command"]
    return result


PARSERS = {
    "engine": parse_engine,
    "callgrind": parse_callgrind,
    "io": parse_io,
    "irq": parse_irq,
    "mcu": parse_mcu,
    "footprint": parse_footprint,
    "casestudy": parse_casestudy,
    "async": parse_async,
}
