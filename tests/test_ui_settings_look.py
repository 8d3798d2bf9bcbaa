"""Settings and look (issue 14): reading-first can be turned off, the highlighted choice stands out
in ansi-dark, and `candid serve`'s page fits a phone."""

from __future__ import annotations

from pathlib import Path

from helpers import write_story
from test_ui_issue14_reading import BEATS_STORY
from textual.widgets import Static, Switch

from game.engine.compiler import Story, load_story
from game.ui import make_app
from game.ui.screens import PlayScreen, SettingsScreen
from game.ui.settings import Settings
from game.ui.widgets import ChoiceList, SceneText


def beats_story(tmp_path: Path) -> Story:
    return load_story(write_story(tmp_path / "story", scenes=BEATS_STORY))


async def test_with_reading_first_off_the_choices_show_and_choose_at_once(tmp_path: Path, candid_home: Path) -> None:
    Settings(read_first=False).save(candid_home)
    app = make_app(beats_story(tmp_path), role="hero")
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, PlayScreen)
        text = screen.query_one(SceneText)
        assert not text.read and "second beat" not in text.shown_text
        assert screen.query_one(ChoiceList).display
        assert screen.query_one("#more", Static).display  # the rest of the text is still there to read on to
        await pilot.press("space")  # reading on still works
        await pilot.pause()
        assert "second beat" in text.shown_text and screen.session.path == []
        await pilot.press("2")
        await pilot.pause()
        assert screen.session.path == ["start.stay"]


async def test_reading_first_switched_off_in_settings_shows_the_waiting_choices(tmp_path: Path, candid_home: Path) -> None:
    app = make_app(beats_story(tmp_path), role="hero")
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, PlayScreen)
        choices = screen.query_one(ChoiceList)
        assert not choices.display
        app.open_settings()
        await pilot.pause()
        assert isinstance(app.screen, SettingsScreen)
        switch = app.screen.query_one("#read_first", Switch)
        assert switch.value
        switch.value = False
        await pilot.pause()
        await pilot.press("escape")
        await pilot.pause()
        assert choices.display
        await pilot.press("1")
        await pilot.pause()
        assert screen.session.path == ["start.go"]
    assert not Settings.load(candid_home).read_first
    assert Settings.load(candid_home / "elsewhere").read_first  # on unless turned off


def _line_styles(choices: ChoiceList, y: int) -> set[str]:
    return {str(seg.style) for seg in choices.render_line(y) if seg.text.strip()}


async def test_the_highlighted_choice_stands_out_in_ansi_dark(tiny_story: Story, candid_home: Path) -> None:
    Settings(theme="ansi-dark").save(candid_home)
    app = make_app(tiny_story, role="hero")
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, PlayScreen)
        choices = screen.query_one(ChoiceList)
        assert choices.display and choices.has_focus and choices.highlighted == 0
        # The palette's extremes: black on bright white (colour 15), not on "white" (7, often grey).
        assert _line_styles(choices, 0) == {"bold color(0) on color(15)"}
        screen.query_one(SceneText).focus()
        await pilot.pause()
        highlighted, other = _line_styles(choices, 0), _line_styles(choices, 1)
        assert all("underline" in style for style in highlighted)
        assert not any("underline" in style for style in other)


async def test_a_click_on_the_more_line_reads_on_as_a_tap_does_on_a_phone(tmp_path: Path) -> None:
    app = make_app(beats_story(tmp_path), role="hero")
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, PlayScreen)
        text = screen.query_one(SceneText)
        assert "second beat" not in text.shown_text
        await pilot.click("#more")
        await pilot.pause()
        assert "second beat" in text.shown_text
        for _ in range(4):
            if not screen.query_one("#more").display:
                break
            await pilot.click("#more")
            await pilot.pause()
        assert screen.query_one(ChoiceList).display
        await pilot.click(ChoiceList, offset=(4, 1))  # a tap on the first choice chooses it
        await pilot.pause()
        assert screen.session.path == ["start.go"]
