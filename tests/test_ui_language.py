"""The story language in the full-screen game: replies, emphasis, calls, undo and saves, fiction's
plain chrome; driven with the Pilot on the second example story."""

from __future__ import annotations

from pathlib import Path

from authoring_support import CLOCKWORK
from textual.content import Content
from textual.widgets import OptionList, Static

from game.engine.compiler import load_story
from game.engine.saves import SaveStore
from game.ui import CandidApp, make_app
from game.ui.screens import PlayScreen, TitleScreen
from game.ui.widgets import SceneText, TimelinePanel

SIZE = (100, 32)


def play(app: CandidApp) -> PlayScreen:
    assert isinstance(app.screen, PlayScreen), type(app.screen).__name__
    return app.screen


def styled(screen: PlayScreen, style: str) -> list[str]:
    """The stretches of the scene text shown in `style`."""
    content = screen.query_one("#prose", Static).visual
    assert isinstance(content, Content)
    return [content.plain[s.start : s.end] for s in content.spans if str(s.style) == style]


async def test_replies_emphasis_and_state_dependent_text(candid_home: Path) -> None:
    app = make_app(load_story(CLOCKWORK))
    async with app.run_test(size=SIZE) as pilot:
        assert isinstance(app.screen, TitleScreen)
        menu = [str(o.prompt) for o in app.screen.query_one("#menu", OptionList)._options]
        assert not any("Replay" in line for line in menu)  # fiction has no history to replay
        await pilot.press("1")
        screen = play(app)
        text = screen.query_one(SceneText)
        assert "twenty past nine" in styled(screen, "italic")
        assert "The master's bench is a drift" in text.text
        await pilot.press("1")  # search the bench: a once-only choice with a reply
        assert text.text.startswith("Under a letter to the town council")
        assert "still oiled" in styled(screen, "bold")
        assert text.text.startswith(styled(screen, "italic")[0])  # the reply, in italic
        assert "The bench is bare now." in text.text
        prompts = [str(o.prompt) for o in screen.query_one("#choices", OptionList)._options]
        assert not any("Search the master's bench" in p for p in prompts)
        await pilot.press("u")
        assert "The master's bench is a drift" in text.text and not text.text.startswith("Under a letter")


async def test_fiction_hides_the_docudrama_chrome(candid_home: Path) -> None:
    app = make_app(load_story(CLOCKWORK))
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("1")
        screen = play(app)
        assert not screen.query_one("#label", Static).display
        assert not screen.query_one(TimelinePanel).display
        assert not screen.query_one("#divergence", Static).display
        await pilot.press("t")
        assert app.screen is screen  # no timeline to open
        assert "t" not in screen.active_bindings and "w" not in screen.active_bindings


async def test_a_call_survives_undo_and_a_save(candid_home: Path) -> None:
    story = load_story(CLOCKWORK)
    app = make_app(story)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("1")
        screen = play(app)
        await pilot.press("5")  # out into the square
        assert screen.session.scene_id == "square" and screen.session.vars["hours"] == 5
        await pilot.press("2")  # the stranger: a sub-scene called from the square
        await pilot.press("2")
        assert screen.session.state.calls == ("square",)
        await pilot.press("1")  # take the gift: back to the square
        assert screen.session.scene_id == "square" and not screen.session.state.calls
        assert screen.query_one(SceneText).text.startswith("A gear, warm from a pocket.")
        await pilot.press("u")
        assert screen.session.scene_id == "stranger_gift" and screen.session.state.calls == ("square",)
        SaveStore(story).save(screen.session, "mid")
    loaded = SaveStore(story).load("mid").session
    assert loaded.state == screen.session.state
    loaded.choose("take")
    assert loaded.scene_id == "square" and loaded.reply


async def test_a_docudrama_keeps_its_chrome(candid_home: Path) -> None:
    app = make_app(load_story(Path(__file__).parent / "stories" / "tiny"))
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("1", "1")  # new game, then the first of its roles
        await pilot.pause()
        screen = play(app)
        assert screen.query_one("#label", Static).display and screen.query_one(TimelinePanel).display
        assert "t" in screen.active_bindings and "w" in screen.active_bindings
