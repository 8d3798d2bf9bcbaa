"""The command line: bad stories, folders and options give a clear message and exit 1, never a traceback."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from game.cli import main, parse_overrides


def run(*args: str, stdin: str = "") -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "game", *args], input=stdin, capture_output=True, text=True, timeout=60)


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("check", "tests/stories/nowhere"), "tests/stories/nowhere: error: no such story folder [no-story]"),
        (("play", "tests/stories/nowhere", "--plain"), "tests/stories/nowhere: error: no such story folder"),
        (("play", "tests/stories", "--plain"), "tests/stories/story.yaml: error: no story.yaml in this folder"),
        (("check", "tests/stories/tiny/scenes.yaml"), "tests/stories/tiny/scenes.yaml: error: not a folder"),
        (("play", "tests/stories/tiny", "--role", "villain", "--plain"), "candid: no role 'villain'; roles are: hero, other"),
        (("play", "tests/stories/bad/alias", "--plain"), "tests/stories/bad/alias/scenes.yaml:4:12: error: anchors and aliases"),
        (("play", "tests/stories/tiny", "--from", "nowhere", "--plain"), "candid: --from 'nowhere': no such scene"),
    ],
)
def test_bad_story_or_option_exits_1_with_a_clear_message(args: tuple[str, ...], message: str) -> None:
    done = run(*args)
    assert done.returncode == 1
    assert message in done.stdout + done.stderr  # check reports on stdout, play on stderr
    assert "Traceback" not in done.stderr + done.stdout


def test_bare_story_argument_means_play() -> None:
    done = run("tests/stories/tiny", "--plain", stdin="1\n1\n")
    assert done.returncode == 0, done.stderr
    assert "*** THE END: History ***" in done.stdout


@pytest.mark.parametrize(
    ("items", "message"),
    [
        (["nobody=1"], "--set 'nobody=1': no variable 'nobody' (did you mean 'mood'?); variables are: trust, told, mood"),
        (["trust"], "--set 'trust': expected VAR=VALUE"),
        (["role=other"], "--set 'role=other'"),
        (["told=maybe"], "--set told: expected true or false"),
        (["trust=lots"], "--set trust: expected a whole number"),
        (["trust=" + "9" * 5000], "--set trust: expected a whole number"),
    ],
)
def test_bad_set_options(items: list[str], message: str, capsys: pytest.CaptureFixture[str]) -> None:
    args = ["play", "tests/stories/tiny", "--plain"]
    for item in items:
        args += ["--set", item]
    assert main(args) == 1
    assert f"candid: {message}" in capsys.readouterr().err


def test_set_options_are_typed() -> None:
    types = {"trust": int, "told": bool, "mood": str, "role": str}
    assert parse_overrides(types, ["trust=-3", "told=TRUE", "mood=a=b", " trust =7"]) == {"trust": 7, "told": True, "mood": "a=b"}


def test_check_accepts_the_story_file_itself(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["check", "tests/stories/tiny/story.yaml"]) == 0
    assert "0 errors, 1 warnings" in capsys.readouterr().out  # tiny's write-only `mood`


def test_unknown_option_is_a_usage_error() -> None:
    done = run("check", "--format", "xml", "tests/stories/tiny")
    assert done.returncode == 2
    assert "invalid choice: 'xml'" in done.stderr and "Traceback" not in done.stderr


@pytest.mark.parametrize(("args", "root"), [(["schema"], "scenes"), (["schema", "--story-file"], "story")])
def test_schema(args: list[str], root: str, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(args) == 0
    schema = json.loads(capsys.readouterr().out)
    assert schema["required"] == [root]
    assert schema["additionalProperties"] is False


def test_check_through_a_real_process(tmp_path: Path) -> None:
    clean = run("check", "tests/stories/tiny")
    assert (clean.returncode, clean.stderr) == (0, "")
    strict = run("check", "--strict", "--format", "json", "tests/stories/warn/unreachable")
    assert strict.returncode == 1
    assert json.loads(strict.stdout)["diagnostics"][0]["code"] == "unreachable"


def test_check_prints_no_python_warnings_for_odd_conditions(tmp_path: Path) -> None:
    scenes = Path("tests/stories/bad/unknown_key/scenes.yaml").read_text().replace("titel", "title")
    (tmp_path / "scenes.yaml").write_text(scenes.replace('if: "trust > 1"', 'if: "trust == 1and trust > 0"'))
    (tmp_path / "story.yaml").write_text(Path("tests/stories/bad/unknown_key/story.yaml").read_text())
    done = run("check", str(tmp_path))
    assert done.returncode == 0
    assert done.stderr == ""
