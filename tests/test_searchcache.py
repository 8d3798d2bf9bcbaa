"""`check` reuses its coverage search while the play graph is unchanged, and only then."""

from __future__ import annotations

from pathlib import Path

import pytest
from authoring_support import STORY_HEAD, scene, write_story

import game.engine.explore as explore_mod
import game.engine.searchcache as searchcache_mod
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
    real = explore_mod.explore_states

    def counted(story: object, max_states: int = explore_mod.MAX_STATES) -> object:
        calls.append("search")
        return real(story, max_states)  # type: ignore[arg-type]

    monkeypatch.setattr(searchcache_mod, "explore_states", counted)
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


def test_a_remembered_search_gives_the_same_report_states_and_dead_end_proof(story: Path, searches: list[str]) -> None:
    first = check_story(story)
    again = check_story(story)
    assert len(searches) == 1
    assert again.stats["states"] == first.stats["states"] > 0
    assert again.stats["exhaustive"] == first.stats["exhaustive"] == 1
    assert [str(d) for d in again.diagnostics] == [str(d) for d in first.diagnostics]


def test_another_state_budget_searches_again(story: Path, searches: list[str]) -> None:
    whole = check_story(story)
    capped = check_story(story, max_states=1)
    assert len(searches) == 2
    assert whole.stats["exhaustive"] == 1
    assert capped.stats["exhaustive"] == 0
    assert any(d.code == "sampled" for d in capped.diagnostics)
    assert check_story(story, max_states=1).stats == capped.stats
    assert len(searches) == 2


def test_a_damaged_search_cache_is_searched_again(story: Path, searches: list[str], tmp_path: Path) -> None:
    import os

    first = check_story(story)
    for path in Path(os.environ["CANDID_CACHE"]).glob("search/*.json"):
        path.write_text(path.read_text().replace('"states": ', '"states": "x", "was": '))
    again = check_story(story)
    assert len(searches) == 2
    assert again.stats == first.stats
