"""The example story and plain-mode warps: every tool handles a story that is not ours."""

from __future__ import annotations

from pathlib import Path

import pytest
from authoring_support import EXAMPLE, TINY, run

from game.engine.checks import check_story
from game.engine.compiler import load_story


@pytest.fixture(autouse=True)
def _home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CANDID_HOME", str(tmp_path / "home"))


def test_example_is_small_and_uses_the_whole_format() -> None:
    story = load_story(EXAMPLE)
    assert 5 <= len(story.scenes) <= 10
    assert len(story.meta.roles) == 2
    assert sum(1 for s in story.scenes.values() if s.ending) >= 2
    assert any(c.guard is not None and c.model.locked_reason for c in story.choices())
    assert any(p.guard is not None for s in story.scenes.values() for p in s.passages)
    assert {type(v.default) for v in story.meta.variables.values()} == {int, bool, str}


def test_example_checks_clean(capsys: pytest.CaptureFixture[str]) -> None:
    assert check_story(EXAMPLE).diagnostics == []
    code, out, _ = run(capsys, "check", str(EXAMPLE), "--strict")
    assert code == 0 and "0 errors, 0 warnings" in out


def test_example_randomtest_reaches_every_ending(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "randomtest", str(EXAMPLE), "-n", "400", "--seed", "11", "--avoid-used")
    assert code == 0
    assert "endings reached: 4 of 4" in out and "choices taken: 11 of 11" in out and "0 errors" in out


def test_example_plays_in_plain_mode(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "play", str(EXAMPLE), "--plain", "--role", "deckhand", stdin="1\n1\n1\n")
    assert code == 0
    assert "## Below deck" in out and "The captain shouts down for you by name." in out
    assert "*** THE END: Home ***" in out


def test_locked_choice_is_shown_with_its_reason(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "play", str(EXAMPLE), "--plain", "--role", "captain", stdin="1\n1\nq\n")
    assert code == 0
    assert "The engine coughs, runs, coughs, and stops." in out
    assert "-  Steer for the harbour lights (locked: There is no fuel left to steer with.)" in out
    assert "1. Call" not in out  # the radio was never fixed on the captain's path


def test_warp_from_and_set(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(
        capsys, "play", str(EXAMPLE), "--plain", "--from", "mid_channel", "--set", "fuel=0", "--set", "radio_fixed=true", stdin="1\n"
    )
    assert code == 0
    assert out.startswith("=== Act 2: The crossing ===")
    assert "The tanks are dry." in out
    assert "> Call the coastguard on the radio" in out and "*** THE END: Rescued ***" in out


def test_set_clamps_to_the_declared_range(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "play", str(EXAMPLE), "--plain", "--from", "mid_channel", "--set", "fuel=99", stdin="q\n")
    assert code == 0 and "The engine coughs once and catches again." in out and "1. Steer for the harbour lights" in out


def test_set_strings_and_tiny(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "play", str(TINY), "--plain", "--set", "trust=61", "--set", "mood=odd", stdin="q\n")
    assert code == 0 and "They trust you." in out


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--from", "mid_chanel"], "--from 'mid_chanel': no such scene (did you mean 'mid_channel'?)"),
        (["--set", "fule=1"], "no variable 'fule' (did you mean 'fuel'?); variables are: fuel, trust, radio_fixed, weather"),
        (["--set", "fuel"], "--set 'fuel': expected VAR=VALUE"),
        (["--set", "fuel=lots"], "--set fuel: expected a whole number"),
        (["--set", "radio_fixed=maybe"], "--set radio_fixed: expected true or false"),
        (["--set", "role=captain"], "no variable 'role'"),
        (["--role", "pilot"], "no role 'pilot'; roles are: captain, deckhand"),
    ],
)
def test_warp_errors_are_clear(args: list[str], message: str, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(capsys, "play", str(EXAMPLE), "--plain", *args)
    assert code == 1
    assert message in err and "Traceback" not in err
    assert out == ""
