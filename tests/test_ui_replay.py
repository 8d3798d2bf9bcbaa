"""Replay: walk the historical path with its record, and branch off into a game of one's own."""

from __future__ import annotations

import pytest
from textual.widgets import OptionList

from game.engine.compiler import Story
from game.engine.saves import SaveStore
from game.ui import make_app, settings
from game.ui.screens import EndingScreen, PlayScreen, ReplayScreen, RoleScreen
from game.ui.settings import REPLAY_PACES
from game.ui.widgets import SceneText


async def test_replay_follows_history_to_its_ending(tiny_story: Story) -> None:
    app = make_app(tiny_story, replay=True)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        assert isinstance(app.screen, RoleScreen)
        await pilot.press("1")
        screen = app.screen
        assert isinstance(screen, ReplayScreen)
        text = screen.query_one(SceneText).text
        assert "WHAT REALLY HAPPENED" in text
        assert "Blog, “Shipped”, 2022-11-30" in text
        choices = screen.query_one("#choices", OptionList)
        assert "what happened" in str(choices.get_option_at_index(0).prompt)
        await pilot.press("n", "enter")
        await pilot.pause()
        assert isinstance(app.screen, EndingScreen)
        assert app.screen.session.path == ["start.ship", "launch.wait"]
    assert not SaveStore(tiny_story).slots()


async def test_branching_off_history_becomes_a_saved_game(tiny_story: Story) -> None:
    app = make_app(tiny_story, role="hero", replay=True)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        assert isinstance(app.screen, ReplayScreen)
        await pilot.press("2")
        await pilot.pause()
        screen = app.screen
        assert type(screen) is PlayScreen
        assert screen.session.scene_id == "held"
        assert [s.slot for s in SaveStore(tiny_story).slots()] == ["autosave"]


async def test_space_follows_history_and_u_goes_back(tiny_story: Story) -> None:
    app = make_app(tiny_story, role="hero", replay=True)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, ReplayScreen)
        await pilot.press("space")
        await pilot.pause()
        assert screen.session.scene_id == "launch"
        await pilot.press("u")
        await pilot.pause()
        assert screen.session.scene_id == "start"


async def test_b_branches_before_choosing_with_history_state(tiny_story: Story) -> None:
    app = make_app(tiny_story, role="hero", replay=True)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        await pilot.press("space")
        await pilot.pause()
        await pilot.press("b")
        await pilot.pause()
        screen = app.screen
        assert type(screen) is PlayScreen
        assert screen.session.scene_id == "launch"
        assert screen.session.vars["trust"] == 70  # what history's choice had made of it
        assert screen.session.path == ["start.ship"]
        await pilot.press("u")  # a branched game is a normal game: it can go back past the branch
        await pilot.pause()
        await pilot.press("2", "2")  # hold it back, then give up: history's option not taken
        await pilot.pause()
        assert isinstance(app.screen, EndingScreen)
        assert app.screen.session.path == ["start.hold", "held.give_up"]
        assert app.screen.session.divergence.score == 2


async def test_auto_advance_walks_to_the_ending_at_the_set_pace(tiny_story: Story, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(REPLAY_PACES, "steady", 60_000)  # words a minute: the tiny scenes take milliseconds
    monkeypatch.setattr(settings, "MIN_SCENE_SECONDS", 0.05)
    app = make_app(tiny_story, role="hero", replay=True)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, ReplayScreen)
        await pilot.press("a")
        for _ in range(40):
            await pilot.pause(0.05)
            if isinstance(app.screen, EndingScreen):
                break
        assert isinstance(app.screen, EndingScreen)
        assert app.screen.session.path == ["start.ship", "launch.wait"]
        assert screen.auto_timer is None
