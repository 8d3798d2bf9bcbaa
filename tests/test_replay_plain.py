"""`candid replay --plain` and `candid play --plain --transcript`: history printed, path written down."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from game.cli import main
from game.engine.compiler import Story, load_story
from game.engine.loader import builtin_story
from game.engine.models import Label
from game.engine.replay import walk_history

TINY = "tests/stories/tiny"


def test_replay_plain_prints_the_whole_path_in_order(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["replay", TINY, "--plain", "--role", "hero"]) == 0
    out = capsys.readouterr().out
    titles = [line[3:] for line in out.splitlines() if line.startswith("## ")]
    assert titles == ["The decision", "Launch", "As it was"]
    assert "History's choice: Ship it" in out
    assert "Not taken: Hold it" in out
    assert "Not taken: The secret door (closed at this point)" in out
    assert 'Blog, "Shipped", 2022-11-30' in out
    assert out.rstrip().endswith("It happened like this.")


@pytest.mark.parametrize("role", ["board", "staff"])
def test_replay_plain_of_the_built_in_story_is_chronological(role: str, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["replay", "--plain", "--role", role]) == 0
    out = capsys.readouterr().out
    story = load_story(builtin_story())
    walk = walk_history(story, role)
    printed = [line[3:] for line in out.splitlines() if line.startswith("## ")]
    assert printed == [b.title for b in walk.beats]
    assert "*** THE END:" in out
    assert out.count("Sources:") == sum(1 for b in walk.beats if b.history)
    years = [int(y) for y in re.findall(r"^\w{3} \d{1,2} \w{3} (\d{4})", out, flags=re.M)]
    assert years == sorted(years)
    assert any(b.label is Label.HISTORICAL for b in walk.beats)


def test_replay_with_unknown_role_is_an_error(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["replay", TINY, "--plain", "--role", "nobody"]) == 1
    assert "no role 'nobody'" in capsys.readouterr().err


def test_plain_transcript_marks_history_and_lists_sources(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    import io

    monkeypatch.setattr("sys.stdin", io.StringIO("2\n1\n1\n"))
    target = tmp_path / "out.md"
    assert main(["play", TINY, "--plain", "--transcript", str(target)]) == 0
    text = target.read_text("utf-8")
    assert "**You chose:** Hold it" in text
    assert "**History chose:** Ship it" in text
    assert "**You chose:** Wait and see *(as history did)*" in text
    assert "| Tue 15 Nov 2022 · 09:00 PT | The decision | Hold it | ≠ | Ship it |" in text
    assert text.rstrip().endswith("3. The Atlantic, “Inside”, 2023-11-19")
    assert f"(transcript written to {target})" in capsys.readouterr().out


def test_transcript_needs_plain(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["play", TINY, "--transcript", str(tmp_path / "t.md")]) == 1
    assert "--transcript goes with --plain" in capsys.readouterr().err


def test_the_historical_path_is_walked_once_per_story_and_role(monkeypatch: pytest.MonkeyPatch) -> None:
    import game.engine.replay as replay_mod

    story = load_story()
    role = next(iter(story.meta.roles))
    walks: list[str] = []
    real = replay_mod.walk_history

    def counted(story: Story, role: str) -> replay_mod.Walk:
        walks.append(role)
        return real(story, role)

    monkeypatch.setattr(replay_mod, "walk_history", counted)
    first = replay_mod.historical_path(story, role)
    again = replay_mod.historical_path(story, role)
    assert walks == [role]
    assert [s.id for s in first[0]] == [s.id for s in again[0]] and first[1] == again[1]
    other = load_story()
    replay_mod.historical_path(other, role)
    assert walks == [role, role]  # another story object: walked for itself
