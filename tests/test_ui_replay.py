"""Replay: walk the historical path with its record, and branch off into a game of one's own."""

from __future__ import annotations

from textual.widgets import OptionList

from game.engine import SaveStore, Story
from game.ui import make_app
from game.ui.screens import EndingScreen, PlayScreen, ReplayScreen, RoleScreen
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
