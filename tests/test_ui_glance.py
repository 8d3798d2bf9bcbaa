"""A scene whose text fits beside its choices is read at a glance: the choices are laid out
undrawn, then shown. They must be shown however the text came to be read, including when it was
read before the look (a resize or a browser connecting can do that first)."""

from __future__ import annotations

from pathlib import Path

from game.engine.compiler import load_story
from game.ui import make_app
from game.ui.screens import PlayScreen
from game.ui.widgets import ChoiceList

TINY = Path(__file__).parent / "stories" / "tiny"


async def test_a_text_read_before_the_first_look_still_shows_its_choices(candid_home: Path) -> None:
    story = load_story(TINY)
    app = make_app(story, role=next(iter(story.meta.roles)), home=candid_home)
    async with app.run_test(headless=True, size=(100, 50)) as pilot:
        await pilot.press("1")  # New game
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, PlayScreen)
        choices = screen.query_one(ChoiceList)
        assert choices.display and not choices.veiled and choices.option_count
        screen.first_look()  # a second look at a text already read: no new `Read` will come
        await pilot.pause()
        await pilot.pause()
        assert choices.display and not choices.veiled
        before = screen.session.scene_id
        await pilot.press("1")
        await pilot.pause()
        assert screen.session.scene_id != before  # and they answer keys
