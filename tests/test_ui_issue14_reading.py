"""Reading first, feedback on choices, and the Esc menu (issue 14)."""

from __future__ import annotations

import io
from pathlib import Path

from helpers import write_story
from textual.widgets import OptionList, Static

from game.engine.compiler import Story, load_story
from game.engine.present import BEAT_BREAK, beats, changes_line, stat_changes
from game.engine.session import Session
from game.engine.transcript import transcript
from game.plain import run_plain
from game.ui import make_app
from game.ui.screens import InfoScreen, PlayScreen, SettingsScreen, TimelineScreen, TitleScreen
from game.ui.screens.menus import MenuScreen
from game.ui.settings import Settings
from game.ui.widgets import ChoiceList, SceneText

LONG = " ".join(f"Sentence {n} of the long scene sets up the choice." for n in range(60))
BEATS_STORY = f"""\
scenes:
  - id: start
    act: 1
    title: Long night
    roles: [hero]
    label: counterfactual
    text: |
      {LONG}

      * * *

      The second beat begins here.

      * * *

      The third beat, where the choice is set up.
    choices:
      - {{id: go, text: Go on, goto: end, historical: true, effects: {{add: {{trust: -8}}}}}}
      - {{id: stay, text: Stay, goto: end}}
  - id: end
    act: 2
    title: Morning
    roles: [hero]
    label: counterfactual
    text: It is morning.
    ending: {{title: Morning, epilogue: Day came.}}
"""


def beats_story(tmp_path: Path) -> Story:
    return load_story(write_story(tmp_path / "story", scenes=BEATS_STORY))


def test_beats_split_at_the_marker_and_make_no_empty_beat(tmp_path: Path) -> None:
    session = Session.new(beats_story(tmp_path), "hero")
    found = beats(session.paragraphs())
    assert len(found) == 3
    assert found[1][0].text == "The second beat begins here."
    assert all(BEAT_BREAK not in p.text for beat in found for p in beat)


def test_plain_mode_and_transcript_show_a_beat_as_a_break(tmp_path: Path) -> None:
    story = beats_story(tmp_path)
    out = io.StringIO()
    run_plain(story, Session.new(story, "hero"), io.StringIO("1\n"), out, None)
    text = out.getvalue()
    assert text.count(BEAT_BREAK) == 2
    assert "\\*" not in text
    session = Session.new(story, "hero")
    session.choose("go")
    markdown = transcript(session)
    assert "\n* * *\n" in markdown and "\\* \\* \\*" not in markdown


async def test_choices_wait_for_the_text_to_be_read_and_beats_continue(tmp_path: Path) -> None:
    app = make_app(beats_story(tmp_path), role="hero")
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, PlayScreen)
        text = screen.query_one(SceneText)
        choices = screen.query_one(ChoiceList)
        more = screen.query_one("#more", Static)
        assert not choices.display and more.display
        assert "Continue" in str(more.render())
        assert "second beat" not in text.shown_text
        await pilot.press("1")  # a choice key while reading reads on; it never chooses
        await pilot.pause()
        assert screen.session.scene_id == "start"
        assert "second beat" in text.shown_text and "third beat" not in text.shown_text
        await pilot.press("space")
        await pilot.pause()
        assert "third beat" in text.shown_text
        for _ in range(3):
            if choices.display:
                break
            await pilot.press("space")
            await pilot.pause()
        assert choices.display and not more.display
        assert choices.has_focus
        await pilot.press("1")
        await pilot.pause()
        assert screen.session.path == ["start.go"]


async def test_a_new_act_opens_with_its_title_card(tiny_story: Story) -> None:
    app = make_app(tiny_story, role="hero")
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, PlayScreen)
        text = screen.query_one(SceneText)
        assert "ACT 1" in text.text and "One" in text.text
        await pilot.press("2")  # held: act 2
        await pilot.pause()
        assert "ACT 2" in text.text
        await pilot.press("1")  # relent: back to launch, act 1 again
        await pilot.pause()
        assert "ACT 1" in text.text
        await pilot.press("u")  # a scene gone back to has no card
        await pilot.pause()
        assert "ACT" not in text.text


async def test_text_width_setting_limits_the_lines(tiny_story: Story, candid_home: Path) -> None:
    Settings(text_width="narrow").save(candid_home)
    app = make_app(tiny_story, role="hero")
    async with app.run_test(size=(160, 40)) as pilot:
        await pilot.pause()
        prose = app.screen.query_one("#prose", Static)
        assert prose.size.width <= 60
        app.settings.text_width = "full"
        app.apply_settings()
        await pilot.pause()
        assert prose.size.width > 60


def test_stat_changes_come_from_the_engine(tiny_story: Story) -> None:
    session = Session.new(tiny_story, "hero")
    assert stat_changes(session) == []
    session.choose("hold")
    assert changes_line(session) == "Trust −50"  # from 50 to 0: the range holds it at 0
    session.undo()
    session.choose("ship")
    assert changes_line(session) == "Trust +20"


async def test_the_stats_page_explains_each_stat(tmp_path: Path) -> None:
    app = make_app(load_story(write_story(tmp_path / "desc", story=_described(), scenes=BEATS_STORY)), role="hero")
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        await pilot.press("v")
        await pilot.pause()
        assert isinstance(app.screen, InfoScreen)
        body = str(app.screen.query_one("#info-body", Static).render())
        assert "Trust" in body and "How far they believe you." in body


def _described() -> str:
    return """\
story:
  id: described
  title: Described
  version: "1.0"
  roles:
    hero: {name: Hero, description: The only role., start: start}
  variables:
    trust: {type: int, default: 50, min: 0, max: 100, visible: true, label: Trust, description: How far they believe you.}
"""


async def test_the_change_cue_after_a_choice(tiny_story: Story) -> None:
    app = make_app(tiny_story, role="hero")
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, PlayScreen)
        cue = screen.query_one("#changes", Static)
        assert not cue.display
        await pilot.press("1")
        await pilot.pause()
        assert cue.display and "Trust +20" in str(cue.render())


async def test_leaving_history_is_explained_the_first_time_only(tiny_story: Story) -> None:
    app = make_app(tiny_story, role="hero")
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, PlayScreen)
        await pilot.press("2")
        await pilot.pause()
        divergence = str(screen.query_one("#divergence", Static).render())
        assert "You left history here" in divergence and "differs from what really happened" in divergence
        await pilot.press("1")
        await pilot.pause()
        assert "differs from what really happened" not in str(screen.query_one("#divergence", Static).render())


def _shown_text(screen: object) -> str:
    """The text the screen's text widgets (Static, and the timeline's rows) draw, line by line as they are on screen."""
    lines = []
    for widget in screen.query("Static, RowLines"):  # type: ignore[attr-defined]
        lines += ["".join(seg.text for seg in widget.render_line(y)) for y in range(widget.size.height)]
    return "\n".join(lines)


async def test_timeline_hides_the_record_still_ahead_unless_asked(tiny_story: Story, candid_home: Path) -> None:
    app = make_app(tiny_story, role="hero")
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        await pilot.press("t")
        await pilot.pause()
        assert isinstance(app.screen, TimelineScreen)
        assert "still ahead in the record:" not in _shown_text(app.screen)
        assert app.screen.query_one("#ahead-hidden", Static).display
        await pilot.press("escape")
        app.settings.show_ahead = True
        await pilot.press("t")
        await pilot.pause()
        assert "still ahead in the record:" in _shown_text(app.screen)


async def test_escape_opens_the_menu_and_each_item_works(tiny_story: Story) -> None:
    app = make_app(tiny_story, role="hero")
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        play = app.screen
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, MenuScreen)
        labels = [str(app.screen.query_one(OptionList).get_option_at_index(i).prompt) for i in range(6)]
        assert [label.split()[-1] for label in labels] == ["Resume", "Save", "Load", "Settings", "screen", "Quit"]
        await pilot.press("escape")
        await pilot.pause()
        assert app.screen is play
        await pilot.press("escape", "4")
        await pilot.pause()
        assert isinstance(app.screen, SettingsScreen)
        await pilot.press("escape", "escape", "5")
        await pilot.pause()
        assert isinstance(app.screen, TitleScreen)


async def test_question_mark_on_the_title_screen_shows_help(tiny_story: Story) -> None:
    app = make_app(tiny_story)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("question_mark")
        await pilot.pause()
        assert isinstance(app.screen, InfoScreen)


async def test_timeline_does_not_give_away_the_choice_being_made(tiny_story: Story) -> None:
    app = make_app(tiny_story, role="hero")
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        await pilot.press("t")
        await pilot.pause()
        shown = _shown_text(app.screen)
        assert "The decision" in shown and "Ship it" not in shown
