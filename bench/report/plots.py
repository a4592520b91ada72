"""Bar and line charts through Debian's gnuplot: each plot leaves NAME.dat (the numbers),
NAME.gp (the script) and NAME.svg (plus NAME.png when asked) in the plot folder, so a reader
can check and re-draw every figure."""

import os
import shutil
import subprocess


def gnuplot_available():
    return shutil.which("gnuplot") is not None


def _quote(text):
    return '"' + str(text).replace("\\", "\\\\").replace('"', '\\"') + '"'


class Plotter:
    def __init__(self, folder, png=False):
        self.folder = folder
        self.png = png
        self.errors = []

    def _run(self, name, script_body):
        os.makedirs(self.folder, exist_ok=True)
        terminals = [("svg", "set terminal svg size 760,420 dynamic font 'sans,11' background rgb 'white'")]
        if self.png:
            terminals.append(("png", "set terminal pngcairo size 760,420 font 'sans,10'"))
        script = []
        for ext, terminal in terminals:
            script += [terminal, "set output %s" % _quote(name + "." + ext), script_body, "unset output"]
        gp = os.path.join(self.folder, name + ".gp")
        with open(gp, "w") as f:
            f.write("# Drawn by bench/report/generate.py from %s.dat; re-draw: gnuplot %s.gp\n" % (name, name))
            f.write("\n".join(script) + "\n")
        if not gnuplot_available():
            self.errors.append("%s: gnuplot not installed (apt-get install gnuplot-nox)" % name)
            return None
        try:
            done = subprocess.run(["gnuplot", name + ".gp"], cwd=self.folder, capture_output=True,
                                  text=True, timeout=60)
        except (OSError, subprocess.TimeoutExpired) as error:
            self.errors.append("%s: gnuplot failed: %s" % (name, error))
            return None
        if done.returncode != 0:
            self.errors.append("%s: gnuplot failed: %s" % (name, done.stderr.strip()[-300:]))
            return None
        return name + ".svg"

    def _write_dat(self, name, header, rows):
        os.makedirs(self.folder, exist_ok=True)
        with open(os.path.join(self.folder, name + ".dat"), "w") as f:
            f.write("# " + " ".join(header) + "\n")
            for row in rows:
                f.write(" ".join(_quote(v) if isinstance(v, str) else ("%.6g" % v) for v in row) + "\n")

    def bars(self, name, title, ylabel, series, rows, log=False, stacked=False, key="outside right top"):
        """rows: [(label, [value per series])]; a None value is drawn as missing ('?')."""
        if not rows:
            return None
        header = ["label"] + [s.replace(" ", "_") for s in series]
        self._write_dat(name, header, [[label] + [("?" if v is None else v) for v in values]
                                       for label, values in rows])
        style = "rowstacked" if stacked else "clustered gap 1"
        lines = [
            "set datafile missing '?'",
            "set title %s noenhanced" % _quote(title),
            "set ylabel %s noenhanced" % _quote(ylabel),
            "set style data histogram",
            "set style histogram %s" % style,
            "set style fill solid 0.85 border -1",
            "set boxwidth 0.85",
            "set key %s noenhanced" % key,
            "set grid ytics",
            "set xtics rotate by -25 noenhanced",
            "set yrange [%s:*]" % ("*" if log else "0"),
        ]
        if log:
            lines.append("set logscale y")
        plots = []
        for i, s in enumerate(series):
            using = "%d:xtic(1)" % (i + 2) if i == 0 else "%d" % (i + 2)
            plots.append("%s using %s title %s" % ("'%s.dat'" % name if i == 0 else "''", using, _quote(s)))
        lines.append("plot " + ", ".join(plots))
        return self._run(name, "\n".join(lines))

    def lines(self, name, title, xlabel, ylabel, series, points):
        """points: [(x, [y per series])]."""
        if not points:
            return None
        self._write_dat(name, ["x"] + [s.replace(" ", "_") for s in series],
                        [[x] + list(ys) for x, ys in points])
        body = [
            "set title %s noenhanced" % _quote(title),
            "set xlabel %s noenhanced" % _quote(xlabel),
            "set ylabel %s noenhanced" % _quote(ylabel),
            "set key top left noenhanced",
            "set grid",
            "set yrange [0:*]",
            "plot " + ", ".join("%s using 1:%d with linespoints lw 2 title %s"
                                % ("'%s.dat'" % name if i == 0 else "''", i + 2, _quote(s))
                                for i, s in enumerate(series)),
        ]
        return self._run(name, "\n".join(body))
