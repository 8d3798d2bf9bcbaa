"""The side panel's "Your path" column is updated in place; it must still show exactly the path."""

from __future__ import annotations

from game.engine.compiler import Story
from game.ui import make_app
from game.ui.screens import PlayScreen
from game.ui.widgets.panels import TimelineColumn

SIZE = (120, 40)


def path_lines(screen: PlayScreen) -> list[str]:
    """The path's texts as drawn: every other line (a date line, then its text, indented)."""
    column = list(screen.query(TimelineColumn))[1]
    drawn = column.body.text.splitlines()
    assert all(line.startswith("  ") for line in drawn[1::2])
    return [line.strip() for line in drawn[1::2]]


async def test_path_column_follows_choices_and_undo(tiny_story: Story) -> None:
    app = make_app(tiny_story, role="hero")  # a role on the command line starts its game at once
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, PlayScreen)
        assert path_lines(screen) == ["The decision"]
        await pilot.press("2")
        await pilot.pause()
        assert path_lines(screen) == ["The decision", "Held back"]
        await pilot.press("1")
        await pilot.pause()
        assert path_lines(screen) == ["The decision", "Held back", "Launch"]
        await pilot.press("u", "u")
        await pilot.pause()
        assert path_lines(screen) == ["The decision"]
        await pilot.press("1")
        await pilot.pause()
        assert path_lines(screen) == ["The decision", "Launch"]


async def test_the_play_screen_does_not_grow_as_the_path_does(tiny_story: Story) -> None:
    app = make_app(tiny_story, role="hero")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("1")
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, PlayScreen)
        widgets = len(list(screen.query("*")))
        await pilot.press("2")
        await pilot.pause()
        await pilot.press("u")
        await pilot.pause()
        await pilot.press("2")
        await pilot.pause()
        assert len(path_lines(screen)) == 2
        assert len(list(screen.query("*"))) == widgets
