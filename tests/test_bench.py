"""The benchmark's own parts: the synthetic stories are valid and shaped as promised, and the
runner completes on a tiny story. No timings are asserted here; they live in bench/RESULTS.md."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from bench import gen
from game.engine.checks import check_story, reachable
from game.engine.compiler import load_story
from game.engine.session import Session

ROOT = Path(__file__).resolve().parent.parent


def test_synthetic_story_checks_clean(tmp_path: Path) -> None:
    report = check_story(gen.generate(tmp_path / "s", 60))
    assert report.errors == []
    assert report.warnings == []
    assert report.stats["scenes"] == 60
    assert report.stats["endings"] == 3


def test_synthetic_story_has_the_promised_shape(tmp_path: Path) -> None:
    story = load_story(gen.generate(tmp_path / "s", 200))
    playing = [s for s in story.scenes.values() if s.ending is None]
    assert all(len(s.choices) == 3 for s in playing)
    assert all(sum(c.guard is not None for c in s.choices) == 1 for s in playing)
    assert all(len(c.move.adds) == 2 for s in playing for c in s.choices)
    assert sum(s.ending is not None for s in story.scenes.values()) == 10
    words = [len(s.passages[0].text.split()) for s in story.scenes.values()]
    assert min(words) == max(words) == 80
    assert reachable(story, story.meta.roles["reader"].start) == set(story.scenes)


def test_synthetic_story_is_reproducible(tmp_path: Path) -> None:
    a = gen.generate(tmp_path / "a", 40, seed=3)
    b = gen.generate(tmp_path / "b", 40, seed=3)
    files = sorted(p.relative_to(a) for p in a.rglob("*.yaml"))
    assert files == sorted(p.relative_to(b) for p in b.rglob("*.yaml"))
    assert all((a / f).read_bytes() == (b / f).read_bytes() for f in files)


def test_synthetic_story_plays_to_an_ending(tmp_path: Path) -> None:
    session = Session.new(load_story(gen.generate(tmp_path / "s", 30)))
    for _ in range(100):
        if session.ending:
            break
        session.choose(session.choices()[0].id)
    assert session.ending is not None


def test_generator_refuses_tiny_stories() -> None:
    with pytest.raises(ValueError):
        gen.plan(2)


def test_quick_bench_prints_the_table_and_writes_results(tmp_path: Path) -> None:
    out = tmp_path / "RESULTS.md"
    done = subprocess.run(
        [sys.executable, "-m", "bench", "--quick", "--out", str(out)], cwd=ROOT, capture_output=True, text=True, timeout=300, check=False
    )
    assert done.returncode == 0, done.stderr
    assert "| measurement | N | median |" in done.stdout
    text = out.read_text(encoding="utf-8")
    assert "`check` cold: CPU" in text
    assert "start to first interactive screen" in text
    rows = [line for line in text.splitlines() if line.startswith("| `check` unchanged (warm): CPU")]
    assert rows and "n/a" not in rows[0]
