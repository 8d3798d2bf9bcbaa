"""`check` reuses its coverage search while the play graph is unchanged, and only then."""

from __future__ import annotations

from pathlib import Path

import pytest
from authoring_support import STORY_HEAD, scene, write_story

import game.engine.checks as checks_mod
import game.engine.explore as explore_mod
from game.engine.checks import check_story


@pytest.fixture
def story(tmp_path: Path) -> Path:
    return write_story(
        tmp_path / "story",
        STORY_HEAD + "  variables:\n    key: {type: bool, default: false}\n",
        "scenes:\n"
        + scene("one", "{id: go, text: Go, goto: two}", '{id: magic, text: Magic, goto: two, if: "key"}')
        + scene("two", ending=True),
    )


@pytest.fixture
def searches(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    calls: list[str] = []
    real = explore_mod.coverage

    def counted(story: object) -> object:
        calls.append("search")
        return real(story)  # type: ignore[arg-type]

    monkeypatch.setattr(checks_mod, "coverage", counted)
    return calls


def _found(folder: Path) -> list[tuple[str, int, str]]:
    return [(d.code, d.line, d.message) for d in check_story(folder).diagnostics if d.code == "never-taken"]


def test_a_reworded_passage_reuses_the_search_and_its_findings_follow_moved_lines(story: Path, searches: list[str]) -> None:
    first = _found(story)
    assert [code for code, _, _ in first] == ["never-taken"]
    scenes = story / "scenes.yaml"
    scenes.write_text("# a comment that moves every line down\n" + scenes.read_text().replace("text: Go", "text: Go on"))
    again = _found(story)
    assert len(searches) == 1
    assert again == [(code, line + 1, message) for code, line, message in first]


def test_a_changed_condition_searches_again(story: Path, searches: list[str]) -> None:
    assert _found(story)
    scenes = story / "scenes.yaml"
    scenes.write_text(scenes.read_text().replace('if: "key"', 'if: "not key"'))
    assert _found(story) == []
    assert len(searches) == 2
