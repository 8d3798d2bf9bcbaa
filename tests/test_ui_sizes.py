"""The layout at common sizes, below the minimum, and through resizes."""

from __future__ import annotations

import pytest
from textual.widgets import Static

from game.engine.compiler import Story
from game.ui import make_app
from game.ui.screens import EndingScreen, PlayScreen, TitleScreen, TooSmallScreen


@pytest.mark.parametrize(("size", "panel"), [((80, 24), False), ((120, 40), True), ((200, 60), True)])
async def test_play_to_an_ending(tiny_story: Story, size: tuple[int, int], panel: bool) -> None:
    app = make_app(tiny_story)
    async with app.run_test(size=size) as pilot:
        await pilot.press("1", "1")
        screen = app.screen
        assert isinstance(screen, PlayScreen)
        assert screen.query_one("#side").display == panel
        assert screen.query_one("#vars-line").display != panel
        choices = screen.query_one("#choices")
        assert choices.region.bottom <= size[1] - 1
        await pilot.press("2", "1", "1")
        await pilot.pause()
        assert isinstance(app.screen, EndingScreen)


async def test_panel_can_be_shown_on_a_narrow_terminal(tiny_story: Story) -> None:
    app = make_app(tiny_story)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("1", "1", "p")
        assert app.screen.query_one("#side").display


async def test_too_small_asks_for_room_and_recovers(tiny_story: Story) -> None:
    app = make_app(tiny_story)
    async with app.run_test(size=(40, 12)) as pilot:
        assert isinstance(app.screen, TooSmallScreen)
        assert "at least 60×20" in str(app.screen.query_one("#too-small").render())
        await pilot.resize_terminal(80, 24)
        await pilot.pause()
        assert isinstance(app.screen, TitleScreen)
        await pilot.press("1", "1")
        assert isinstance(app.screen, PlayScreen)
        for width, height in [(1, 1), (59, 40), (200, 19), (10, 3), (200, 60), (60, 20)]:
            await pilot.resize_terminal(width, height)
            await pilot.pause()
            small = width < 60 or height < 20
            assert isinstance(app.screen, TooSmallScreen) == small
        assert isinstance(app.screen, PlayScreen)


async def test_starts_at_one_by_one(tiny_story: Story) -> None:
    app = make_app(tiny_story)
    async with app.run_test(size=(1, 1)):
        assert isinstance(app.screen, TooSmallScreen)


async def test_page_keys_scroll_the_text_while_the_choices_have_focus(tiny_story: Story) -> None:
    app = make_app(tiny_story)
    async with app.run_test(size=(60, 20)) as pilot:
        await pilot.press("1", "1")
        screen = app.screen
        assert isinstance(screen, PlayScreen)
        text = screen.query_one("#text")
        text.query_one("#prose", Static).update("long " * 400)
        await pilot.pause()
        assert screen.focused is screen.query_one("#choices")
        await pilot.press("pagedown")
        await pilot.pause()
        assert text.scroll_y > 0
        await pilot.press("pageup")
        await pilot.pause()
        assert text.scroll_y == 0


async def test_the_plea_for_room_goes_even_if_the_palette_opened_over_it(tiny_story: Story) -> None:
    app = make_app(tiny_story)
    async with app.run_test(size=(40, 12)) as pilot:
        assert isinstance(app.screen, TooSmallScreen)
        await pilot.press("ctrl+p")
        await pilot.pause()
        await pilot.resize_terminal(80, 24)
        await pilot.pause()
        assert not any(isinstance(s, TooSmallScreen) for s in app.screen_stack)
        assert isinstance(app.screen, TitleScreen)
