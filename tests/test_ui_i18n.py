"""The language in the full-screen game: the Settings row switches story and interface at once,
the game in progress keeps its place, and the choice is kept for the next start."""

from __future__ import annotations

from pathlib import Path

from textual.widgets import Select, Static

from game.engine.compiler import load_story
from game.engine.i18n import language
from game.engine.localize import load_localized
from game.ui import make_app
from game.ui.screens import PlayScreen
from game.ui.screens.settings import SettingsScreen
from game.ui.settings import Settings
from game.ui.widgets import SceneText

DUO = Path("tests/stories/duo")
SIZE = (100, 32)


async def test_the_language_row_switches_the_game_in_progress_to_german(candid_home: Path) -> None:
    app = make_app(load_story(DUO), home=candid_home)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("1")  # new game
        await pilot.press("1")  # the first role
        assert isinstance(app.screen, PlayScreen)
        play = app.screen
        await pilot.press("1")  # call the vote: one step taken
        text = play.query_one(SceneText)
        assert "The news is out. 3 members signed." in text.text
        app.push_screen(SettingsScreen())
        await pilot.pause()
        row = app.screen.query_one("#language", Select)
        assert row.value == "en"
        row.value = "de"
        await pilot.pause()
        assert app.screen is play and language() == "de"
        assert "Die Nachricht ist draußen. 3 Mitglieder haben unterschrieben." in text.text
        heading = " ".join(str(w.visual) for w in play.query(Static) if "Akt 2" in str(w.visual))
        assert "Akt 2: Der Morgen" in heading
    assert Settings.load(candid_home).language == "de"


async def test_a_german_game_starts_in_german(candid_home: Path) -> None:
    story, _audit = load_localized(DUO, "de")
    app = make_app(story, home=candid_home, lang="de")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("1")  # new game
        await pilot.press("1")  # the first role
        assert isinstance(app.screen, PlayScreen)
        text = app.screen.query_one(SceneText).text
        assert "Du zählst 2 freundliche Gesichter." in text and "Niemand ahnt etwas." in text
