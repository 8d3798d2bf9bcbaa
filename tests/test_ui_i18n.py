"""The language in the full-screen game: the Settings row switches story and interface at once,
the game in progress keeps its place, and the choice is kept for the next start."""

from __future__ import annotations

import html
import re
from pathlib import Path

from textual.widgets import Label, Select, Static

from game.engine.compiler import load_story
from game.engine.i18n import language, set_language
from game.engine.localize import load_localized
from game.engine.saves import AUTOSAVE, Profile, SaveStore
from game.engine.session import Session
from game.ui import make_app
from game.ui.app import CandidApp
from game.ui.screens import ConfirmScreen, EndingScreen, GalleryScreen, InfoScreen, LoadScreen, PlayScreen
from game.ui.screens.load import slot_line
from game.ui.screens.rewind import LogScreen
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


# --- every screen of the German interface ---------------------------------------------------------

ENGLISH_WORDS = (
    "Undo",
    "Save",
    "Load",
    "Settings",
    "HISTORICAL",
    "DRAMATISED",
    "COUNTERFACTUAL",
    "Menu",
    "Quit",
    "Help",
    "Close",
    "Timeline",
    "Log",
    "New game",
    "Continue",
    "Resume",
    "THE END",
    "Replay",
    "choice",
    "Endings",
    "Language",
    "Theme",
    "More below",
    "palette",
    "Delete",
    "Locked",
    "found",
    "autosave",
    "previous",
    "saved",
    "Go back",
    "reached",
    "Read again",
)


CELL = 12.2
"""The width of a terminal cell in Textual's screenshots."""


def screen_text(app: CandidApp) -> str:
    """What the terminal shows, line by line, read from the app's screenshot."""
    svg = app.export_screenshot()
    lines: dict[float, dict[int, str]] = {}
    for x, y, text in re.findall(r'<text class="terminal-[^"]*" x="([\d.]+)" y="([\d.]+)"[^>]*>([^<]*)</text>', svg):
        cells = lines.setdefault(float(y), {})
        for i, char in enumerate(html.unescape(text).replace("\xa0", " ")):
            cells[round(float(x) / CELL) + i] = char
    return "\n".join("".join(cells.get(i, " ") for i in range(max(cells) + 1)).rstrip() for _y, cells in sorted(lines.items()))


def english_left_on(text: str) -> list[str]:
    return [word for word in ENGLISH_WORDS if re.search(rf"\b{word}\b", text)]


def german_app(home: Path) -> CandidApp:
    story, _audit = load_localized(DUO, "de")
    return make_app(story, home=home, lang="de")


async def test_the_german_title_screen_help_and_settings(candid_home: Path) -> None:
    app = german_app(candid_home)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        title = screen_text(app)
        for german in ("Die Abstimmung", "Neues Spiel", "Laden", "Geschichte nachspielen", "Gefundene Enden (0 von 2)", "Einstellungen"):
            assert german in title
        assert "? Hilfe" in title and "q Beenden" in title
        assert english_left_on(title) == []
        await pilot.press("question_mark")
        shown = screen_text(app)
        assert "Einen Menüpunkt wählen" in shown and english_left_on(shown) == []
        await pilot.press("escape", "6")
        assert isinstance(app.screen, SettingsScreen)
        shown = screen_text(app)
        for german in ("Einstellungen", "Farbschema", "Textanzeige", "Änderungen werden sofort gespeichert"):
            assert german in shown
        assert english_left_on(shown) == []
        labels = " ".join(str(label.visual) for label in app.screen.query(Label))
        for german in ("Sprache", "Textbreite", "Lesetempo", "Weniger Bewegung", "Zeitleiste (t)"):
            assert german in labels
        assert english_left_on(labels) == []
        options = [str(prompt) for select in app.screen.query(Select) for prompt, _value in select._options]
        assert "Deutsch" in options and "Sofort" in options and "Gleichmäßig (230 Wörter pro Minute)" in options
        assert english_left_on(" ".join(options)) == []


async def test_the_german_play_screen_menu_help_and_ending(candid_home: Path) -> None:
    app = german_app(candid_home)
    async with app.run_test(size=(120, 36)) as pilot:
        await pilot.press("1", "1")  # new game, the chair
        assert isinstance(app.screen, PlayScreen)
        shown = screen_text(app)
        for german in ("HISTORISCH", "Akt 1: Die Nacht", "Stimmen", "Die Chronik", "Dein Weg", "Rückgängig", "Verlauf", "Befehle"):
            assert german in shown, german
        assert english_left_on(shown) == []
        await pilot.press("1")  # call the vote
        shown = screen_text(app)
        assert "Deine Wahl: Stimmen +1" in shown and "Auf dem historischen Verlauf" in shown
        assert english_left_on(shown) == []
        await pilot.press("question_mark")
        shown = screen_text(app)
        assert "Tasten" in shown and "Rückgängig — Die letzte Wahl zurücknehmen" in shown
        assert english_left_on(shown) == []
        await pilot.press("escape", "escape")
        shown = screen_text(app)
        for german in ("Menü", "Weiterspielen", "Speichern", "Titelbildschirm", "Enter oder 1–6 wählt"):
            assert german in shown
        assert english_left_on(shown) == []
        await pilot.press("escape", "1")  # announce it: the ending
        assert isinstance(app.screen, EndingScreen)
        shown = screen_text(app)
        for german in ("ENDE", "Du bist bei jeder Entscheidung der Geschichte gefolgt.", "Was wirklich geschah", "Rückgängig (u)"):
            assert german in shown, german
        assert english_left_on(shown) == []


async def test_switching_language_redraws_the_title_and_the_settings(candid_home: Path) -> None:
    app = make_app(load_story(DUO), home=candid_home)
    async with app.run_test(size=SIZE) as pilot:
        assert "New game" in screen_text(app)
        await pilot.press("6")
        row = app.screen.query_one("#language", Select)
        row.value = "de"
        await pilot.pause()
        await pilot.pause()
        assert isinstance(app.screen, SettingsScreen)
        shown = screen_text(app)
        assert "Einstellungen" in shown and "Sprache" in shown and "Deutsch" in shown and "Textbreite" in shown
        assert "? Hilfe" in shown and english_left_on(shown) == []
        assert app.screen.query_one("#language", Select).has_focus
        await pilot.press("escape")
        shown = screen_text(app)
        assert "Die Abstimmung" in shown and "Neues Spiel" in shown and "? Hilfe" in shown
        assert english_left_on(shown) == []
        await pilot.press("6")
        app.screen.query_one("#language", Select).value = "en"
        await pilot.pause()
        await pilot.press("escape")
        shown = screen_text(app)
        assert "The Vote" in shown and "New game" in shown and "? Help" in shown and "Neues Spiel" not in shown


async def test_switching_language_in_a_game_redraws_its_badge_panel_and_keys(candid_home: Path) -> None:
    app = make_app(load_story(DUO), home=candid_home)
    async with app.run_test(size=(120, 36)) as pilot:
        await pilot.press("1", "1")
        assert isinstance(app.screen, PlayScreen)
        assert "HISTORICAL" in screen_text(app) and "u Undo" in screen_text(app)
        app.push_screen(SettingsScreen())
        await pilot.pause()
        app.screen.query_one("#language", Select).value = "de"
        await pilot.pause()
        await pilot.pause()
        shown = screen_text(app)
        for german in ("HISTORISCH", "Die Chronik", "Dein Weg", "u Rückgängig", "h Verlauf", "1. Die Abstimmung ausrufen"):
            assert german in shown, german
        assert english_left_on(shown) == []


def test_a_save_is_listed_in_german_with_the_role_by_name(candid_home: Path) -> None:
    story, _audit = load_localized(DUO, "de")
    set_language("de")
    session = Session.new(story, "chair")
    session.choose("call")
    store = SaveStore(story)
    store.save(session, AUTOSAVE)
    (info,) = store.slots()
    shown = slot_line(info, story).plain
    assert shown.startswith("Automatisch gespeichert (dein laufendes Spiel)\n")
    assert "1 Entscheidung · Die Vorsitzende · gespeichert " in shown
    assert english_left_on(shown) == []


async def test_the_german_gallery_log_and_load_dialog(candid_home: Path) -> None:
    app = german_app(candid_home)
    Profile(candid_home).record_ending(app.story, "loud_end")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("5")  # endings found
        assert isinstance(app.screen, GalleryScreen)
        shown = screen_text(app)
        for german in (
            "Gefundene Enden",
            "Die Vorsitzende · 1 von 2 gefunden",
            "✓ Das offene Ende (was wirklich geschah)",
            "Verschlossen · Akt 2: Der Morgen",
            "erreichbar von „Die Sitzung“ oder „Der Morgen danach“ aus",
            "Enter auf einem gefundenen Ende liest es noch einmal · Esc schließt",
        ):
            assert german in shown, german
        assert english_left_on(shown) == []
        await pilot.press("enter")  # the found ending, read again
        assert isinstance(app.screen, InfoScreen)
        shown = screen_text(app)
        assert "Eine Woche lang stand es in jeder Zeitung." in shown and "So, wie es sich vom Anfang der Rolle" in shown
        assert english_left_on(shown) == []

        await pilot.press("escape", "escape", "1", "1", "1")  # a new game as the chair; call the vote
        await pilot.press("h")
        assert isinstance(app.screen, LogScreen)
        shown = screen_text(app)
        logged = ("Dein bisheriger Durchgang", "Wahl der Geschichte", "Jetzt: Der Morgen danach", "Enter auf einer Szene springt zurück")
        for german in logged:
            assert german in shown, german
        assert english_left_on(shown) == []
        await pilot.press("enter")  # back to the meeting? (asks first)
        assert isinstance(app.screen, ConfirmScreen)
        question = app.screen.question
        assert question.startswith("Zu „Die Sitzung“ zurückspringen? Die Entscheidung, die du seitdem getroffen hast, wird")
        assert english_left_on(question + screen_text(app)) == []

        await pilot.press("n", "escape", "l")  # the Load dialog
        assert isinstance(app.screen, LoadScreen)
        shown = screen_text(app)
        listed = ("Einen Spielstand laden", "Automatisch gespeichert (dein laufendes Spiel)", "1 Entscheidung", "Enter lädt · d löscht")
        for german in listed:
            assert german in shown, german
        assert english_left_on(shown) == []
        await pilot.press("d")
        assert isinstance(app.screen, ConfirmScreen)
        assert app.screen.question.startswith("Den Spielstand „Automatisch gespeichert (dein laufendes Spiel)“")
        assert english_left_on(app.screen.question) == []
        await pilot.press("y")  # deleted: the dialog says so and is empty
        await pilot.pause()
        assert isinstance(app.screen, LoadScreen)
        assert "Noch keine gespeicherten Spiele." in screen_text(app)
        notes = [str(n.message) for n in app._notifications]
        assert any(n.startswith("„Automatisch gespeichert") and n.endswith("gelöscht.") for n in notes), notes
