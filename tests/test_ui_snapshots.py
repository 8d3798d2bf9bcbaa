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
