"""The exhaustive part of `check`: exact never-taken / never-reached / stuck, or a stated fallback."""

from __future__ import annotations

from pathlib import Path

import pytest
from authoring_support import STORY_HEAD, run, scene, stories, write_story

from game.engine import Severity
from game.engine.analysis import condition_reads
from game.engine.checks import check_story
from game.engine.compiler import load_story
from game.engine.explore import explore_states

VARS = """\
  variables:
    n: {type: int, default: 0, min: 0, max: 3}
    key: {type: bool, default: false}
    mood: {type: str, default: calm, visible: true}
"""


@pytest.fixture(autouse=True)
def _home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CANDID_HOME", str(tmp_path / "home"))


@pytest.fixture
def locked(tmp_path: Path) -> Path:
    """`n` only reaches 3, so `n > 5` never holds; `key` is never set on the way to `three`."""
    return write_story(
        tmp_path / "locked",
        STORY_HEAD + VARS,
        "scenes:\n"
        + scene(
            "one",
            "{id: up, text: Up, goto: one, effects: {add: {n: 1}, set: {mood: grim}}}",
            '{id: magic, text: Magic, goto: two, if: "n > 5"}',
            '{id: go, text: Go, goto: three, if: "n == 3"}',
        )
        + scene(
            "three",
            '{id: door, text: Door, goto: two, if: "key"}',
            "{id: unlock, text: Unlock, goto: three, if: \"key and visited('three') > 9\", effects: {set: {key: true}}}",
        )
        + scene("two", ending=True),
    )


def _codes(folder: Path) -> list[tuple[str, str]]:
    return [(d.code, d.message) for d in check_story(folder).diagnostics]


def test_exact_findings(locked: Path) -> None:
    found = explore_states(load_story(locked))
    assert found.exhaustive
    assert found.reached == {"one", "three"}
    assert found.taken == {"one.up", "one.go"}
    assert found.stuck == {"three": ["one.up", "one.up", "one.up", "one.go"]}


def test_check_reports_them_with_positions(locked: Path) -> None:
    report = check_story(locked)
    by_code = {(d.code, d.line) for d in report.warnings}
    # one.magic, three.door and three.unlock; the ending `two`; the scene `three`: lines in scenes.yaml
    assert {("never-taken", 10), ("never-taken", 19), ("never-taken", 20), ("never-reached", 21), ("stuck", 12)} <= by_code
    messages = [d.message for d in report.warnings]
    assert "choice 'one.magic' can never be taken: its condition never holds here" in messages
    assert "ending 'two' can never be reached: the conditions on the way never all hold" in messages
    assert "choice 'three.door' can never be taken: its condition never holds here" in messages
    assert any(m.startswith("a player can be stuck in 'three'") and "after one.up, one.up, one.up, one.go" in m for m in messages)
    assert report.errors == []


def test_strict_check_fails_on_them(locked: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "check", str(locked), "--strict")
    assert code == 1 and "[never-taken]" in out and "[never-reached]" in out


def test_only_condition_inputs_make_states(locked: Path) -> None:
    """`mood` is written but read by no choice condition, so it must not multiply the states."""
    story = load_story(locked)
    names, scenes = condition_reads(story)
    assert names == ["key", "n"] and scenes == ["three"]
    assert explore_states(story).states == 5  # one with n = 0..3, three with n = 3


def test_falls_back_to_sampling_when_too_big(locked: Path) -> None:
    assert not explore_states(load_story(locked), max_states=3).exhaustive
    report = check_story(locked, max_states=3)
    infos = [d for d in report.diagnostics if d.severity is Severity.INFO]
    summary = next(d for d in infos if d.code == "sampled")
    assert "too many states for an exhaustive check (over 3 states; raise it with --max-states)" in summary.message
    assert "sampled 1000 random play-throughs instead: 3 choices never taken, 1 scene never reached" in summary.message
    # What the sample never met is named, each at its own place in the files.
    missed = sorted(d.message for d in infos if d.code == "unsampled")
    assert missed == [
        "choice 'one.magic' was never taken by the sample",
        "choice 'three.door' was never taken by the sample",
        "choice 'three.unlock' was never taken by the sample",
        "scene 'two' was never reached by the sample",
    ]
    assert "(scenes: two; choices: one.magic, three.door, three.unlock;" in summary.message
    assert not any(d.code in ("never-taken", "never-reached") for d in report.diagnostics)
    assert any(d.code == "stuck" for d in report.warnings)  # a sampled path that gets stuck is still proof


def test_the_sample_counts_what_it_names_apart(tmp_path: Path) -> None:
    """A long list of what the sample missed names a few scenes and a few choices, each list with
    its own count of the rest."""
    closed = [f'{{id: to_{i}, text: To {i}, goto: s{i}, if: "n > 5"}}' for i in range(12)]
    scenes = scene("one", "{id: up, text: Up, goto: one, effects: {add: {n: 1}}}", "{id: stop, text: Stop, goto: two}", *closed)
    scenes += "".join(scene(f"s{i}", f"{{id: back_{i}, text: Back, goto: one}}") for i in range(12)) + scene("two", ending=True)
    folder = write_story(tmp_path / "many", STORY_HEAD + VARS, "scenes:\n" + scenes)
    summary = next(d for d in check_story(folder, max_states=3).diagnostics if d.code == "sampled")
    assert ": 24 choices never taken, 12 scenes never reached (scenes: s0, s1, s2, s3, s4, s5, s6, s7 and 4 more; " in summary.message
    assert "; choices: one.to_0, one.to_1, one.to_2, one.to_3, one.to_4, one.to_5, one.to_6, one.to_7 and 16 more; " in summary.message


def test_unbounded_counter_falls_back(tmp_path: Path) -> None:
    folder = write_story(
        tmp_path / "count",
        STORY_HEAD + "  variables:\n    n: {type: int, default: 0}\n",
        "scenes:\n"
        + scene("one", "{id: up, text: Up, goto: one, effects: {add: {n: 1}}}", '{id: out, text: Out, goto: done, if: "n > 2"}')
        + scene("done", ending=True),
    )
    assert not explore_states(load_story(folder), max_states=1000).exhaustive


def test_unreachable_scenes_are_not_reported_twice(tmp_path: Path) -> None:
    folder = write_story(
        tmp_path / "u",
        STORY_HEAD,
        "scenes:\n"
        + scene("one", "{id: go, text: Go, goto: done}")
        + scene("island", "{id: go, text: Go, goto: done}")
        + scene("done", ending=True),
    )
    codes = [c for c, _ in _codes(folder)]
    assert codes == ["unreachable"]


@pytest.mark.parametrize("folder", stories(), ids=lambda p: p.name)
def test_shipped_stories_have_no_coverage_warnings(folder: Path) -> None:
    report = check_story(folder)
    assert report.errors == []
    assert not [d for d in report.diagnostics if d.code in ("never-taken", "never-reached", "stuck")]


def test_quick_check_skips_the_search(locked: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert not [d for d in check_story(locked, exhaustive=False).diagnostics if d.code in ("never-taken", "never-reached", "stuck")]
    code, out, _ = run(capsys, "check", str(locked), "--quick")
    assert code == 0 and "[never-taken]" not in out and "[dead-end]" in out
