"""Reviewed snapshots of the key screens (update with `pytest --snapshot-update`, then look at the SVGs)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from game.engine.compiler import Story, load_story
from game.ui import make_app

SHOWCASE = Path(__file__).parent / "stories" / "showcase"


@pytest.fixture
def showcase() -> Story:
    return load_story(SHOWCASE)


def test_title_screen(snap_compare: Any, showcase: Story) -> None:
    assert snap_compare(make_app(showcase), terminal_size=(80, 24))


def test_play_screen_narrow(snap_compare: Any, showcase: Story) -> None:
    assert snap_compare(make_app(showcase), press=["1", "1", "2"], terminal_size=(80, 24))


def test_play_screen_wide_with_panel(snap_compare: Any, showcase: Story) -> None:
    assert snap_compare(make_app(showcase), press=["1", "1"], terminal_size=(120, 36))


def test_ending_screen(snap_compare: Any, showcase: Story) -> None:
    assert snap_compare(make_app(showcase), press=["1", "1", "2", "2"], terminal_size=(100, 40))


def test_menu(snap_compare: Any, showcase: Story) -> None:
    assert snap_compare(make_app(showcase), press=["1", "1", "escape"], terminal_size=(80, 24))


def test_stats_page(snap_compare: Any, showcase: Story) -> None:
    assert snap_compare(make_app(showcase), press=["1", "1", "v"], terminal_size=(80, 24))


def test_beats_of_a_long_scene(snap_compare: Any, tmp_path: Path) -> None:
    from helpers import write_story
    from test_ui_issue14_reading import BEATS_STORY

    story = load_story(write_story(tmp_path / "story", scenes=BEATS_STORY))
    assert snap_compare(make_app(story), press=["1", "space"], terminal_size=(80, 24))


def test_endings_gallery(snap_compare: Any, showcase: Story) -> None:
    assert snap_compare(make_app(showcase), press=["5"], terminal_size=(80, 24))


def test_log_to_rewind_from(snap_compare: Any, showcase: Story) -> None:
    assert snap_compare(make_app(showcase), press=["1", "1", "1", "h"], terminal_size=(80, 24))
