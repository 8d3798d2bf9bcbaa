"""The play bugs of issue 14, each driven through the UI with the Pilot."""

from __future__ import annotations

from pathlib import Path

import pytest
from textual.widgets import Footer, OptionList, Static

from game.engine.compiler import Story
from game.engine.saves import SaveStore
from game.engine.session import Session
from game.ui import make_app, settings
from game.ui.screens import ConfirmScreen, EndingScreen, InfoScreen, LoadScreen, PlayScreen, ReplayScreen, TitleScreen, TooSmallScreen
from game.ui.screens.load import slot_line
from game.ui.settings import REPLAY_PACES, Settings
from game.ui.widgets import SceneText

SIZE = (80, 24)


def notices(app: object) -> list[str]:
    return [n.message for n in app._notifications]  # type: ignore[attr-defined]


@pytest.fixture
def slow_typing(candid_home: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Text typed out at two characters a second: still typing whenever a test presses a key."""
    monkeypatch.setitem(settings.REVEAL_SPEEDS, "slow", 2)
    Settings(reveal="slow").save(candid_home)


async def test_n_pressed_on_through_a_replay_stays_on_the_ending_screen(tiny_story: Story) -> None:
    app = make_app(tiny_story, role="hero", replay=True)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        await pilot.press("n", "n")
        await pilot.pause()
        assert isinstance(app.screen, EndingScreen)
        await pilot.press("n", "n", "space")
        await pilot.pause()
        assert isinstance(app.screen, EndingScreen)
        await pilot.press("m")
        await pilot.pause()
        assert isinstance(app.screen, TitleScreen)


@pytest.mark.usefixtures("slow_typing")
async def test_keys_act_at_once_while_text_types_out_and_only_choosing_waits(tiny_story: Story) -> None:
    app = make_app(tiny_story, role="hero")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, PlayScreen)
        text = screen.query_one(SceneText)
        text.finish()
        await pilot.pause()
        await pilot.press("1")
        await pilot.pause()
        assert screen.session.scene_id == "launch"
        assert text.revealing
        await pilot.press("1")  # choosing waits: the first press shows the text, it does not choose
        await pilot.pause()
        assert screen.session.scene_id == "launch"
        assert not text.revealing
        await pilot.press("1")
        await pilot.pause()
        # The ending is typed out too; undo there works at once.
        assert isinstance(app.screen, EndingScreen)
        await pilot.press("u")
        await pilot.pause()
        assert screen.session.scene_id == "launch"
        await pilot.press("u")  # undo while the text types out is one undo, at once
        await pilot.pause()
        assert screen.session.scene_id == "start"
        assert not text.revealing  # a scene gone back to is shown whole, read: its choices are there
        await pilot.press("2")
        await pilot.pause()
        assert screen.session.scene_id == "held"
        assert text.revealing
        await pilot.press("q")
        await pilot.pause()
        assert isinstance(app.screen, ConfirmScreen)
        await pilot.press("y")
        await pilot.pause()
    assert app.return_code == 0


@pytest.mark.usefixtures("slow_typing")
async def test_auto_advance_waits_for_the_reading_time_and_a_stops_it_at_once(tiny_story: Story) -> None:
    own = Settings(replay_pace="steady")
    short, long = own.reading_seconds(10), own.reading_seconds(300)
    assert short == settings.MIN_SCENE_SECONDS
    assert long == pytest.approx(60 * 300 / REPLAY_PACES["steady"])
    assert own.reading_seconds(300) < Settings(replay_pace="slow").reading_seconds(300)
    app = make_app(tiny_story, role="hero", replay=True)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, ReplayScreen)
        assert screen.query_one(SceneText).revealing
        await pilot.press("a")
        assert screen.auto and screen.auto_timer is not None
        await pilot.press("a")  # while the text still types out: off at once
        assert not screen.auto and screen.auto_timer is None
        assert screen.session.scene_id == "start"


async def test_role_on_the_command_line_starts_that_game(tiny_story: Story) -> None:
    app = make_app(tiny_story, role="other")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert isinstance(app.screen, PlayScreen)
        assert app.screen.session.role == "other"


async def test_footer_fits_60_columns_after_a_resize(tiny_story: Story) -> None:
    app = make_app(tiny_story, role="hero")
    async with app.run_test(size=(120, 30)) as pilot:
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, PlayScreen)
        assert screen.query_one(Footer).show_command_palette
        await pilot.resize_terminal(50, 30)
        await pilot.pause()
        assert isinstance(app.screen, TooSmallScreen)
        await pilot.resize_terminal(60, 20)
        await pilot.pause()
        assert isinstance(app.screen, PlayScreen)
        footer = screen.query_one(Footer)
        assert footer.compact and not footer.show_command_palette
        keys = [k for k in footer.query("FooterKey") if k.region.width]
        assert keys and max(k.region.right for k in keys) <= 60
        assert any("Help" in str(getattr(k, "description", "")) for k in keys)


async def test_text_keeps_its_width_when_the_scrollbar_appears(tiny_story: Story) -> None:
    app = make_app(tiny_story, role="hero")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert app.screen.query_one(SceneText).styles.scrollbar_gutter == "stable"


def test_one_choice_is_singular(tiny_story: Story) -> None:
    session = Session.new(tiny_story, "hero")
    session.choose("ship")
    store = SaveStore(tiny_story)
    store.save(session, "one")
    (info,) = store.slots()
    assert "1 choice ·" in slot_line(info, tiny_story).plain


async def test_w_on_the_first_scene_says_nothing_is_chosen_yet(tiny_story: Story) -> None:
    app = make_app(tiny_story, role="hero")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press("w")
        await pilot.pause()
        assert any("not chosen anything yet" in n for n in notices(app))
        assert not any("last choice" in n for n in notices(app))


async def test_screenshot_without_a_downloads_folder(tiny_story: Story, candid_home: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import platformdirs

    monkeypatch.setattr(platformdirs, "user_downloads_path", lambda: candid_home / "no-such-folder")
    app = make_app(tiny_story, role="hero")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        app.deliver_screenshot()
        for _ in range(20):
            await pilot.pause(0.05)
            if list((candid_home / "screenshots").glob("*.svg")):
                break
        assert list((candid_home / "screenshots").glob("*.svg"))


@pytest.mark.parametrize("author", [False, True])
async def test_help_mentions_the_scene_map_only_to_authors(tiny_story: Story, author: bool) -> None:
    app = make_app(tiny_story, role="hero", start="start" if author else None)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press("question_mark")
        await pilot.pause()
        assert isinstance(app.screen, InfoScreen)
        body = str(app.screen.query_one("#info-body", Static).render())
        assert ("scene map" in body) is author


async def test_notes_do_not_pile_up(tiny_story: Story) -> None:
    app = make_app(tiny_story, role="hero")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press("u", "u", "w")
        await pilot.pause()
        assert len(notices(app)) == 1


async def test_loading_a_slot_over_a_game_in_progress_asks(tiny_story: Story) -> None:
    other = Session.new(tiny_story, "hero")
    other.choose("hold")
    SaveStore(tiny_story).save(other, "elsewhere")
    app = make_app(tiny_story, role="hero")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press("1")
        await pilot.pause()
        await pilot.press("l")
        await pilot.pause()
        assert isinstance(app.screen, LoadScreen)
        slots = app.screen.query_one("#slots", OptionList)
        slots.highlighted = slots.get_option_index("elsewhere")
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, ConfirmScreen)
        await pilot.press("n")
        await pilot.pause()
        play = app.screen
        assert isinstance(play, PlayScreen) and play.session.scene_id == "launch"


async def test_saving_over_an_existing_name_asks(tiny_story: Story) -> None:
    app = make_app(tiny_story, role="hero")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press("s", "ctrl+a", "ctrl+k", *"mine", "enter")
        await pilot.pause()
        await pilot.press("1")
        await pilot.pause()
        await pilot.press("s", "ctrl+a", "ctrl+k", *"mine", "enter")
        await pilot.pause()
        assert isinstance(app.screen, ConfirmScreen)
        await pilot.press("n")
        await pilot.pause()
        assert SaveStore(tiny_story).load("mine").session.path == []
        await pilot.press("s", "ctrl+a", "ctrl+k", *"mine", "enter", "y")
        await pilot.pause()
        assert SaveStore(tiny_story).load("mine").session.path == ["start.ship"]


async def test_branching_a_replay_over_a_game_in_progress_asks(tiny_story: Story) -> None:
    earlier = Session.new(tiny_story, "hero")
    earlier.choose("hold")
    SaveStore(tiny_story).save(earlier)
    app = make_app(tiny_story, role="hero", replay=True)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        await pilot.press("b")
        await pilot.pause()
        assert isinstance(app.screen, ConfirmScreen)
        assert "1 choice)" in str(app.screen.query_one(".question", Static).render())
        await pilot.press("n")
        await pilot.pause()
        assert isinstance(app.screen, ReplayScreen)
        assert SaveStore(tiny_story).load().session.path == ["start.hold"]
