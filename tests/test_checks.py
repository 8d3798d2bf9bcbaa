"""`candid check`: each warning fires on a story made for it, and none on the clean tiny story."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from game.cli import main
from game.engine import Severity
from game.engine.checks import _path_diff, check_story

WARN = Path("tests/stories/warn")

# fixture: (code, file, line, col, message fragment, count)
EXPECTED = {
    "unreachable": ("unreachable", "scenes.yaml", 64, 5, "scene 'orphan' is reached by no path from any start", 1),
    "unreachable_ending": ("unreachable-ending", "endings.yaml", 28, 5, "ending 'end_lost' is reached by no path", 1),
    "dead_end": ("dead-end", "scenes.yaml", 51, 5, "every choice of 'held' has a condition", 1),
    "unused_variable": ("unused-variable", "story.yaml", 19, 12, "variable 'spare' is declared but never used", 1),
    "constant_variable": ("constant-variable", "story.yaml", 19, 12, "variable 'level' is read but never changed", 1),
    "role": ("role", "scenes.yaml", 51, 5, "scene 'held' is reached by role 'other' but does not list it in `roles`", 1),
    "historical_no_choice": ("historical-path", "scenes.yaml", 2, 5, "role 'hero': scene 'launch' has no historical choice", 2),
    "historical_locked": ("historical-path", "scenes.yaml", 2, 5, "historical choice launch.wait is locked on the historical path", 2),
    "historical_loop": ("historical-path", "scenes.yaml", 2, 5, "the historical path loops back to 'start'", 2),
    "historical_wrong_ending": ("historical-path", "scenes.yaml", 2, 5, "ends in 'end_real', which is not a historical ending", 2),
    "historical_path_changed": (
        "historical-path-changed",
        "story.yaml",
        21,
        11,
        "role 'hero': historical path differs from the recorded one: was start.hold; now start.ship (at step 1)",
        1,
    ),
    "chronology": ("chronology", "scenes.yaml", 30, 5, "'launch' (2022-11-01 10:00) comes after 'start' on the historical path", 2),
}


def test_every_warning_fixture_is_in_the_table() -> None:
    assert sorted(p.name for p in WARN.iterdir()) == sorted(EXPECTED)


def test_tiny_story_is_clean() -> None:
    report = check_story("tests/stories/tiny")
    # `mood` is there for the tests of `--set` and saves to change; the story itself never reads it.
    assert [(d.code, d.line) for d in report.diagnostics] == [("write-only", 19)]
    assert report.stats == {
        "scenes": 6,
        "choices": 6,
        "endings": 3,
        "words": 41,
        "historical_scenes": 3,
        "sources": 3,
        "states": report.stats["states"],
        "exhaustive": 1,
    }
    assert 6 <= report.stats["states"] < 40


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_warning_fires_on_its_fixture(name: str) -> None:
    code, file, line, col, fragment, count = EXPECTED[name]
    # `dead-end` is the structural guess that only stands where no exhaustive search has proved otherwise.
    report = check_story(WARN / name, exhaustive=name != "dead_end")
    assert report.errors == []
    assert {d.code for d in report.warnings} == {code}, report.warnings
    assert len(report.warnings) == count
    first = report.warnings[0]
    assert first.severity is Severity.WARNING
    assert (first.file, first.line, first.col) == (f"tests/stories/warn/{name}/{file}", line, col)
    assert fragment in first.message


def test_story_without_history_has_no_historical_path_warnings() -> None:
    report = check_story("tests/stories/loop")
    assert report.errors == [] and report.warnings == []


def test_recorded_path_is_not_compared_when_the_path_itself_is_broken() -> None:
    codes = {d.code for d in check_story(WARN / "historical_no_choice").diagnostics}
    assert "historical-path-changed" not in codes


@pytest.mark.parametrize(
    ("recorded", "actual", "expected"),
    [
        (["a.x", "b.y"], ["a.x", "b.z"], "was b.y; now b.z (at step 2)"),
        (["a.x", "b.y"], ["a.x", "b.y", "c.z"], "now c.z (at step 3)"),
        (["a.x", "b.y", "c.z"], ["a.x", "c.z"], "was b.y (at step 2)"),
        (["a.x"], ["b.y", "c.z"], "was a.x; now b.y, c.z (at step 1)"),
    ],
)
def test_path_diff_reads_well(recorded: list[str], actual: list[str], expected: str) -> None:
    assert _path_diff(recorded, actual) == f"historical path differs from the recorded one: {expected}"


# --- candid check: exit codes and output ---------------------------------------------------------


def test_check_clean_story_exits_0(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["check", "tests/stories/tiny"]) == 0
    out = capsys.readouterr().out.splitlines()[-1]
    summary = "6 scenes, 6 choices, 3 endings, 41 words, 3 historical scenes, 3 sources: 0 errors, 1 warnings"
    assert out.strip() == summary + "; 14 states searched"  # the one warning: tiny's write-only `mood`


def test_check_with_warnings_exits_0_unless_strict(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["check", "--quick", "tests/stories/warn/dead_end"]) == 0
    out = capsys.readouterr().out
    assert "scenes.yaml:51:5: warning: every choice of 'held' has a condition" in out
    assert out.rstrip().endswith("0 errors, 1 warnings")
    assert main(["check", "--quick", "--strict", "tests/stories/warn/dead_end"]) == 1
    assert main(["check", "--strict", "examples/clockwork"]) == 0


def test_check_with_errors_exits_1(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["check", "tests/stories/bad/unknown_goto"]) == 1
    captured = capsys.readouterr()
    assert "tests/stories/bad/unknown_goto/scenes.yaml:11:15: error: goto: no scene 'finsh'" in captured.out
    assert "1 errors" in captured.err
    assert "Traceback" not in captured.out + captured.err


@pytest.mark.parametrize("name", sorted(p.name for p in Path("tests/stories/bad").iterdir()))
def test_check_every_bad_story_exits_1_with_positions(name: str, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["check", f"tests/stories/bad/{name}"]) == 1
    out = capsys.readouterr().out
    assert out.startswith(f"tests/stories/bad/{name}/")
    first = out.splitlines()[0]
    where = first.split(": ")[0].rsplit(":", 2)
    assert where[1].isdigit() and where[2].isdigit(), first


def test_check_json_shape(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["check", "--format", "json", "tests/stories/warn/historical_no_choice"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert set(data) == {"diagnostics", "stats"}
    assert set(data["stats"]) == {"scenes", "choices", "endings", "words", "historical_scenes", "sources", "states", "exhaustive"}
    assert all(isinstance(v, int) for v in data["stats"].values())
    [first, second] = data["diagnostics"]
    assert set(first) == {"file", "line", "col", "severity", "code", "message"}
    assert first == {
        "file": "tests/stories/warn/historical_no_choice/scenes.yaml",
        "line": 2,
        "col": 5,
        "severity": "warning",
        "code": "historical-path",
        "message": "role 'hero': scene 'launch' has no historical choice",
    }
    assert second["message"].startswith("role 'other'")


def test_check_json_on_errors(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["check", "--format", "json", "tests/stories/bad/cond_assign"]) == 1
    data = json.loads(capsys.readouterr().out)
    assert data["stats"] == {}
    [diag] = data["diagnostics"]
    assert (diag["line"], diag["col"], diag["severity"], diag["code"]) == (12, 20, "error", "condition")


def test_check_json_strict_with_warnings_exits_1(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["check", "--format", "json", "--strict", "tests/stories/warn/role"]) == 1
    assert json.loads(capsys.readouterr().out)["diagnostics"][0]["code"] == "role"


def test_a_string_that_spells_a_variable_name_is_not_a_read(tmp_path: Path) -> None:
    from helpers import write_story

    story = """\
    story:
      id: mini
      title: Mini
      version: "1.0"
      roles:
        hero: {name: Hero, description: The only role., start: start}
      variables:
        mood: {type: str, default: calm}
        secret: {type: bool, default: false}
    """
    scenes = """\
    scenes:
      - id: start
        act: 1
        title: Start
        label: dramatised
        roles: [hero]
        text: Hello.
        choices:
          - {id: brood, text: Brood, goto: done, effects: {set: {mood: secret}}}
          - {id: peek, text: Peek, goto: done, if: "mood == 'secret'"}
          - {id: leave, text: Leave, goto: done}
      - id: done
        act: 1
        title: Done
        label: dramatised
        roles: [hero]
        text: Bye.
        ending: {title: Done, epilogue: Bye.}
    """
    report = check_story(write_story(tmp_path / "mini", story, scenes=scenes))
    assert not report.errors
    found = [(d.code, d.message) for d in report.diagnostics if "variable" in d.code]
    assert found == [("unused-variable", "variable 'secret' is declared but never used")]
