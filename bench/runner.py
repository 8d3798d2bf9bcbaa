"""The benchmark runner: generate stories, run every probe several times, print one table.

Every figure is the median of several runs in fresh processes, with the min and max beside it;
each set sits next to a baseline measured in the same run, so the ratios hold on any machine.
"""

from __future__ import annotations

import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from . import gen

ROOT = Path(__file__).resolve().parent.parent
RESULTS = Path(__file__).resolve().parent / "RESULTS.md"
NOTES = Path(__file__).resolve().parent / "NOTES.md"


@dataclass(slots=True)
class Row:
    what: str
    size: str
    unit: str
    values: list[float] = field(default_factory=list)
    baseline: list[float] = field(default_factory=list)
    baseline_name: str = ""
    target: str = ""
    check: Callable[[Row], bool] | None = None
    missing: str = ""

    @property
    def median(self) -> float:
        return statistics.median(self.values)

    def verdict(self) -> str:
        if self.check is None or not self.values:
            return ""
        return "yes" if self.check(self) else "NO"


@dataclass(slots=True)
class Config:
    sizes: Sequence[int] = (100, 1_000, 10_000)
    runs: int = 5
    heavy_runs: int = 3
    """Runs for the 10,000-scene rows, which take seconds each."""
    playthroughs: Sequence[int] = (1_000, 10_000)
    ui_steps: int = 20
    out: Path | None = RESULTS


class Bench:
    def __init__(self, config: Config, work: Path) -> None:
        self.config = config
        self.work = work
        self.rows: list[Row] = []
        self.python = sys.executable
        self.last_cpu = 0.0

    # --- running things -------------------------------------------------------------------------
    def env(self, home: Path) -> dict[str, str]:
        env = dict(os.environ)
        env["CANDID_HOME"] = str(home)
        env.pop("CANDID_CACHE", None)  # the cache lives in `home`, so a fresh home is a cold start
        env.pop("CANDID_NO_CACHE", None)
        env["PYTHONPATH"] = str(ROOT) + os.pathsep + env.get("PYTHONPATH", "")
        env.pop("PYTHONDONTWRITEBYTECODE", None)
        return env

    def process(self, args: Sequence[str], home: Path, stdin: str = "") -> tuple[float, float, str, int]:
        """Run a command; wall seconds, peak RSS in MiB (from wait4), stdout, exit status.

        The CPU seconds it used (user + system) are kept in `self.last_cpu`."""
        with tempfile.TemporaryFile("w+") as inp, tempfile.TemporaryFile("w+") as out:
            inp.write(stdin)
            inp.seek(0)
            start = time.perf_counter()
            proc = subprocess.Popen([self.python, *args], stdin=inp, stdout=out, stderr=subprocess.DEVNULL, env=self.env(home), cwd=ROOT)
            _, status, usage = os.wait4(proc.pid, 0)
            wall = time.perf_counter() - start
            self.last_cpu = usage.ru_utime + usage.ru_stime
            proc.returncode = os.waitstatus_to_exitcode(status)
            out.seek(0)
            return wall, usage.ru_maxrss / 1024, out.read(), proc.returncode

    def probe(self, home: Path, kind: str, *args: str) -> tuple[float, dict[str, Any]]:
        wall, peak, out, status = self.process(["-m", "bench.probe", kind, *args], home)
        if status != 0:
            return wall, {"missing": f"probe {kind} failed (exit {status})"}
        lines = out.strip().splitlines()
        data: dict[str, Any] = json.loads(lines[-1]) if lines else {"missing": "no output"}
        data.setdefault("peak_mib", peak)
        return wall, data

    def home(self) -> Path:
        return Path(tempfile.mkdtemp(prefix="home-", dir=self.work))

    def runs_for(self, size: int) -> int:
        return self.config.heavy_runs if size >= 10_000 else self.config.runs

    def add(self, row: Row) -> Row:
        self.rows.append(row)
        print(f"  {row.what} [{row.size}]: {fmt_values(row)}", file=sys.stderr, flush=True)
        return row

    # --- the measurements -----------------------------------------------------------------------
    def run(self) -> list[Row]:
        self.reference()
        for size in self.config.sizes:
            story = gen.generate(self.work / f"story{size}", size)
            print(f"{size} scenes:", file=sys.stderr, flush=True)
            self.check_rows(story, size)
            self.load_rows(story, size)
            self.randomtest_rows(story, size)
        self.builtin_rows()
        return self.rows

    def reference(self) -> None:
        home = self.home()
        times = [self.process(["-c", "pass"], home)[0] for _ in range(self.config.runs)]
        self.add(Row("python start (reference)", "-", "s", times))

    def check_rows(self, story: Path, size: int) -> None:
        n = self.runs_for(size)
        label = f"{size:,}"
        for quick in (False, True):
            command = ["-m", "game", "check", str(story), *(["--quick"] if quick else [])]
            name = "`check --quick`" if quick else "`check`"
            gated = not quick
            cold = Row(f"{name} cold: wall", label, "s", target=_t(size, "< 1.2 s", gated), check=_under(size, 1.2, gated))
            cold_cpu = Row(f"{name} cold: CPU", label, "s")
            cold_mem = Row(f"{name} cold: peak memory", label, "MiB", target=_t(size, "< 150 MiB", gated), check=_under(size, 150, gated))
            warm = Row(f"{name} warm: wall", label, "s", target=_t(size, "< 0.3 s", gated), check=_under(size, 0.3, gated))
            warm_cpu = Row(f"{name} warm: CPU", label, "s")
            warm_mem = Row(f"{name} warm: peak memory", label, "MiB")
            warm_home = self.home()
            self.process(command, warm_home)
            for _ in range(n):
                home = self.home()
                wall, peak, _, status = self.process(command, home)
                shutil.rmtree(home, ignore_errors=True)
                if status != 0:
                    cold.missing = f"check exited {status}"
                cold.values.append(wall)
                cold_cpu.values.append(self.last_cpu)
                cold_mem.values.append(peak)
                wall, peak, _, _ = self.process(command, warm_home)
                warm.values.append(wall)
                warm_cpu.values.append(self.last_cpu)
                warm_mem.values.append(peak)
            for row in (cold, cold_cpu, cold_mem, warm, warm_cpu, warm_mem):
                self.add(row)
        inproc = Row("check_story() in process, cold cache", label, "s")
        inwarm = Row("check_story() in process, warm cache", label, "s")
        yaml_row = Row("CSafeLoader alone over the files (reference)", label, "s")
        for _ in range(n):
            home = self.home()
            inproc.values.append(self.probe(home, "check", str(story))[1]["check_s"])
            inwarm.values.append(self.probe(home, "check", str(story))[1]["check_s"])
            yaml_row.values.append(self.probe(home, "yaml", str(story))[1]["yaml_s"])
        for row in (inproc, inwarm, yaml_row):
            self.add(row)

    def load_rows(self, story: Path, size: int) -> None:
        label = f"{size:,}"
        warm_home = self.home()
        self.probe(warm_home, "load", str(story))
        for cache in ("cold", "warm"):
            load = Row(f"story load, {cache} cache", label, "s")
            machine = Row(f"machine build, {cache} cache", label, "s")
            mem = Row(f"loaded for play, {cache} cache: peak memory", label, "MiB", target=_t(size, "< 120 MiB"), check=_under(size, 120))
            for _ in range(self.runs_for(size)):
                _, data = self.probe(self.home() if cache == "cold" else warm_home, "load", str(story))
                if "missing" in data:
                    load.missing = data["missing"]
                    break
                load.values.append(data["load_s"])
                machine.values.append(data["machine_s"])
                mem.values.append(data["peak_mib"])
            for row in (load, machine, mem):
                self.add(row)

    def randomtest_rows(self, story: Path, size: int) -> None:
        label = f"{size:,}"
        home = self.home()
        for count in self.config.playthroughs:
            wanted = size >= 10_000 and count >= 10_000
            whole = Row(f"randomtest {count:,}: whole call (set-up, play, report)", label, "s")
            rate = Row(
                f"randomtest {count:,}: play-throughs/s in the play loop",
                label,
                "/s",
                baseline_name="dict walk",
                target="> 20,000/s" if wanted else "",
                check=(lambda r: r.median > 20_000) if wanted else None,
            )
            steps = Row(f"randomtest {count:,}: steps/s in the play loop", label, "/s", baseline_name="dict walk")
            for i in range(self.runs_for(size)):
                _, data = self.probe(home, "randomtest", str(story), str(count), str(i))
                if "missing" in data:
                    whole.missing = rate.missing = steps.missing = data["missing"]
                    break
                whole.values.append(data["call_s"])
                rate.values.append((count - 1) / data["play_s"])
                steps.values.append(data["steps"] / data["play_s"])
                _, base = self.probe(home, "dictwalk", str(story), str(count), str(i))
                rate.baseline.append(count / base["play_s"])
                steps.baseline.append(base["steps"] / base["play_s"])
            self.add(whole)
            self.add(rate)
            self.add(steps)

    def builtin_rows(self) -> None:
        print("built-in story:", file=sys.stderr, flush=True)
        start = Row(
            "start to first interactive screen",
            "built-in",
            "s",
            baseline_name="bare Textual app",
            target="≤ 1.3× bare",
            check=lambda r: r.median <= 1.3 * statistics.median(r.baseline),
        )
        step = Row(
            "UI scene change: CPU (each sample one step of a play-through)",
            "built-in",
            "ms",
            baseline_name="bare Textual app, one key press",
            target="< 16 ms",
            check=lambda r: r.median < 16,
        )
        plain = Row("plain-mode play-through (process)", "built-in", "s")
        home = self.home()
        for _ in range(self.config.runs):
            wall, data = self.probe(home, "ui-start", "")
            if "missing" in data:
                start.missing = data["missing"]
                break
            start.values.append(wall)
            start.baseline.append(self.probe(home, "ui-bare")[0])
        _, data = self.probe(home, "ui-step", "", str(self.config.ui_steps))
        if "missing" in data:
            step.missing = data["missing"]
        else:
            step.values = data["cpu_ms"]
            step.baseline = self.probe(home, "ui-bare-step", str(self.config.ui_steps))[1]["cpu_ms"]
        for _ in range(self.config.runs):
            wall, _, out, status = self.process(["-m", "game", "play", "--plain"], home, stdin="1\n" * 400 + "q\n")
            if status != 0 or "THE END" not in out:
                plain.missing = "plain play did not reach an ending" if status == 0 else f"exit {status}"
                break
            plain.values.append(wall)
        for row in (start, step, plain):
            self.add(row)


def _t(size: int, text: str, gated: bool = True) -> str:
    return text if size >= 10_000 and gated else ""


def _under(size: int, limit: float, gated: bool = True) -> Callable[[Row], bool] | None:
    return (lambda r: r.median < limit) if size >= 10_000 and gated else None


def fmt(value: float, unit: str) -> str:
    if unit == "/s":
        return f"{value:,.0f}"
    if unit == "MiB":
        return f"{value:.0f}"
    if unit == "ms":
        return f"{value:.1f}"
    return f"{value:.3f}"


def fmt_values(row: Row) -> str:
    if row.missing or not row.values:
        return f"n/a ({row.missing or 'not available'})"
    return f"{fmt(row.median, row.unit)} {row.unit} ({fmt(min(row.values), row.unit)}–{fmt(max(row.values), row.unit)})"


def table(rows: list[Row]) -> str:
    head = ["measurement", "N", "median", "min–max", "baseline (median)", "ratio", "target", "met"]
    lines = ["| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
    for row in rows:
        if row.missing or not row.values:
            cells = [row.what, row.size, f"n/a ({row.missing or 'not available'})", "", "", "", row.target, ""]
        else:
            base = statistics.median(row.baseline) if row.baseline else None
            cells = [
                row.what,
                row.size,
                f"{fmt(row.median, row.unit)} {row.unit}",
                f"{fmt(min(row.values), row.unit)}–{fmt(max(row.values), row.unit)}",
                f"{fmt(base, row.unit)} {row.unit} ({row.baseline_name})" if base is not None else "",
                f"{row.median / base:.2f}×" if base else "",
                row.target,
                row.verdict(),
            ]
        lines.append("| " + " | ".join(cells) + " |")
    return "\n".join(lines)


def machine() -> str:
    cpu = platform.processor() or platform.machine()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    return f"{cpu}, {os.cpu_count()} cores, Python {platform.python_version()}, {platform.system()} {platform.release()}"


def report(rows: list[Row], config: Config, seconds: float) -> str:
    runs = f"{config.runs} runs per figure ({config.heavy_runs} for 10,000 scenes)"
    parts = [
        "# Benchmark results",
        "",
        f"`python -m bench` on {machine()}; {time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}; "
        f"{runs}; the whole run took {seconds:.0f} s.",
        "Times are wall-clock for whole processes unless a row says otherwise; memory is peak resident set size.",
        "",
        table(rows),
        "",
    ]
    if NOTES.is_file():
        parts.append(NOTES.read_text(encoding="utf-8"))
    return "\n".join(parts)


def main(config: Config) -> int:
    started = time.perf_counter()
    with tempfile.TemporaryDirectory(prefix="candid-bench-") as tmp:
        rows = Bench(config, Path(tmp)).run()
    seconds = time.perf_counter() - started
    print(table(rows))
    if config.out is not None:
        config.out.write_text(report(rows, config, seconds), encoding="utf-8")
        print(f"\nwrote {config.out}", file=sys.stderr)
    return 0
