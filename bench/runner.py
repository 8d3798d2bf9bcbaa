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
    ui_steps: int = 200
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
        if size >= 50_000:
            return 1
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
            print(f"{size:,} scenes:", file=sys.stderr, flush=True)
            self.check_rows(story, size)
            self.load_rows(story, size)
            self.randomtest_rows(story, size)
        self.builtin_rows()
        return self.rows

    def reference(self) -> None:
        home = self.home()
        cpu = []
        for _ in range(self.config.runs):
            self.process(["-c", "pass"], home)
            cpu.append(self.last_cpu)
        self.add(Row("python start (reference): CPU", "-", "s", cpu))

    def command(self, args: Sequence[str], home: Path) -> tuple[float, float, int]:
        """CPU seconds and peak MiB of one `candid` command as a user types it, and its exit status."""
        _, peak, _, status = self.process(["-m", "game", *args], home)
        return self.last_cpu, peak, status

    def check_rows(self, story: Path, size: int) -> None:
        n = self.runs_for(size)
        label = f"{size:,}"
        big = size >= 10_000
        yaml_row = Row("CSafeLoader alone over the files, CPU (reference)", label, "s")
        cold = Row("`check` cold: CPU", label, "s", target="≤ CSafeLoader alone" if big else "")
        cold.check = (lambda r: r.median <= statistics.median(yaml_row.values)) if big else None
        cold_mem = Row("`check` cold: peak memory", label, "MiB", target=_t(size, "< 120 MiB"), check=_under(size, 120))
        prose = Row("`check` after editing one file (a title): CPU", label, "s", target="≤ 0.15× cold" if big else "")
        prose.check = (lambda r: r.median <= 0.15 * cold.median) if big else None
        guard = Row("`check` after editing one condition: CPU", label, "s")
        warm = Row("`check` unchanged (warm): CPU", label, "s", target=_t(size, "< 0.2 s"), check=_under(size, 0.2))
        warm_mem = Row("`check` unchanged (warm): peak memory", label, "MiB")
        quick = Row("`check --quick` cold: CPU", label, "s")
        command = ["check", str(story)]
        victim = story / "scenes" / f"{gen.scene_id(size // 2)}.yaml"
        locked = next(p for p in sorted((story / "scenes").glob("*.yaml")) if 'if: "' in p.read_text())
        for i in range(n):
            yaml_row.values.append(self.probe(self.home(), "yaml", str(story))[1]["yaml_s"])
            home = self.home()
            cpu, peak, status = self.command(command, home)
            if status != 0:
                cold.missing = f"check exited {status}"
            cold.values.append(cpu)
            cold_mem.values.append(peak)
            _edit(victim, "    title: Scene ", f"    title: Scene (edit {i}) ")
            prose.values.append(self.command(command, home)[0])
            _edit(locked, f">= {gen.THRESHOLD}", f">= {gen.THRESHOLD + 1}")
            guard.values.append(self.command(command, home)[0])
            _edit(locked, f">= {gen.THRESHOLD + 1}", f">= {gen.THRESHOLD}")
            self.command(command, home)  # back to the story as generated, and remembered
            cpu, peak, _ = self.command(command, home)
            warm.values.append(cpu)
            warm_mem.values.append(peak)
            quick.values.append(self.command([*command, "--quick"], self.home())[0])
            shutil.rmtree(home, ignore_errors=True)
        for row in (yaml_row, cold, cold_mem, prose, guard, warm, warm_mem, quick):
            self.add(row)

    def load_rows(self, story: Path, size: int) -> None:
        label = f"{size:,}"
        warm_home = self.home()
        self.probe(warm_home, "load", str(story))
        for cache in ("cold", "warm"):
            load = Row(f"load for play, {cache} cache: CPU", label, "s")
            if cache == "warm":
                load.target, load.check = _t(size, "≤ 0.29 s (0.5× Ink's 0.57 s)"), _under(size, 0.285)
            machine = Row(f"machine build, {cache} cache: CPU", label, "s")
            mem = Row(f"loaded for play, {cache} cache: memory (RSS)", label, "MiB", target=_t(size, "< 100 MiB"), check=_under(size, 100))
            for _ in range(self.runs_for(size)):
                _, data = self.probe(self.home() if cache == "cold" else warm_home, "load", str(story))
                if "missing" in data:
                    load.missing = data["missing"]
                    break
                load.values.append(data["load_s"])
                machine.values.append(data["machine_s"])
                mem.values.append(data["rss_mib"])
            for row in (load, machine, mem):
                self.add(row)

    def randomtest_rows(self, story: Path, size: int) -> None:
        label = f"{size:,}"
        home = self.home()
        whole = Row(
            "`candid randomtest -n 1000`, whole process (warm cache): CPU",
            label,
            "s",
            target=_t(size, "≤ 0.36 s (0.4× ChoiceScript's 0.90 s)"),
            check=_under(size, 0.36),
        )
        self.command(["randomtest", str(story), "-n", "1"], home)
        for _ in range(self.runs_for(size)):
            whole.values.append(self.command(["randomtest", str(story), "-n", "1000"], home)[0])
        self.add(whole)
        for count in self.config.playthroughs:
            wanted = size >= 10_000 and count >= 10_000
            call = Row(f"randomtest {count:,}: whole call (set-up, play, report), CPU", label, "s")
            rate = Row(
                f"randomtest {count:,}: play-throughs/s in the play loop (CPU)",
                label,
                "/s",
                baseline_name="dict walk",
                target="> 20,000/s" if wanted else "",
                check=(lambda r: r.median > 20_000) if wanted else None,
            )
            for i in range(self.runs_for(size)):
                _, data = self.probe(home, "randomtest", str(story), str(count), str(i))
                if "missing" in data:
                    call.missing = rate.missing = data["missing"]
                    break
                call.values.append(data["call_s"])
                if data["play_s"] <= 0:
                    continue  # too short for the clock: no rate
                rate.values.append(count / data["play_s"])
                _, base = self.probe(home, "dictwalk", str(story), str(count), str(i))
                rate.baseline.append(count / base["play_s"])
            if not rate.values and not rate.missing:
                rate.missing = "the loop is too short to tell from the set-up"
            self.add(call)
            self.add(rate)

    def builtin_rows(self) -> None:
        print("built-in story:", file=sys.stderr, flush=True)
        start = Row(
            "start to first interactive screen: CPU",
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
        long = Row(f"UI scene change: CPU over {self.config.ui_steps} steps of a generated story", "1,000", "ms", target="< 16 ms")
        long.check = lambda r: r.median < 16
        late = Row(
            f"UI scene change: CPU, last {_TAIL} of those {self.config.ui_steps} steps", "1,000", "ms", target="flat (≈ first steps)"
        )
        late.check = lambda r: r.median <= 1.25 * statistics.median(r.baseline)
        plain = Row("plain-mode play-through (process): CPU", "built-in", "s")
        home = self.home()
        for _ in range(self.config.runs):
            _, data = self.probe(home, "ui-start", "")
            if "missing" in data:
                start.missing = data["missing"]
                break
            start.values.append(self.last_cpu)
            self.probe(home, "ui-bare")
            start.baseline.append(self.last_cpu)
        _, data = self.probe(self.home(), "ui-step", "", str(self.config.ui_steps))
        if "missing" in data:
            step.missing = data["missing"]
        else:
            step.values = data["cpu_ms"]  # the built-in story ends after about 30 scene changes
            step.baseline = self.probe(home, "ui-bare-step", str(min(self.config.ui_steps, 40)))[1]["cpu_ms"]
        story = gen.generate(self.work / "story-ui", 1_000)
        _, data = self.probe(self.home(), "ui-step", str(story), str(self.config.ui_steps))
        if "missing" in data:
            long.missing = late.missing = data["missing"]
        else:
            long.values = data["cpu_ms"]
            late.values = data["cpu_ms"][-_TAIL:]
            late.baseline, late.baseline_name = data["cpu_ms"][:_TAIL], f"first {_TAIL} steps"
        for _ in range(self.config.runs):
            _, _, out, status = self.process(["-m", "game", "play", "--plain"], home, stdin="1\n" * 400 + "q\n")
            if status != 0 or "THE END" not in out:
                plain.missing = "plain play did not reach an ending" if status == 0 else f"exit {status}"
                break
            plain.values.append(self.last_cpu)
        for row in (start, step, long, late, plain):
            self.add(row)


_TAIL = 10


def _edit(path: Path, old: str, new: str) -> None:
    """Change a scene file as an author would (one place in it), so that it is not what was checked last."""
    text = path.read_text(encoding="utf-8")
    if old not in text:
        raise SystemExit(f"bench: cannot find {old!r} in {path}")
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


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
    runs = f"{config.runs} runs per figure ({config.heavy_runs} for 10,000 scenes or more)"
    parts = [
        "# Benchmark results",
        "",
        f"`python -m bench` on {machine()}; {time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}; "
        f"{runs}; the whole run took {seconds:.0f} s.",
        "Times are processor time (user + system: from `wait4` for a whole process, `time.process_time` inside one), "
        "not wall-clock, so other work on the machine moves them little; memory is resident set size.",
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
