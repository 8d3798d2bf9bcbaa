"""Play the tiny story through the UI with the Pilot and check what the screens hold."""

from __future__ import annotations

import io
import json
import re
import shutil
from pathlib import Path

import pytest
from textual.pilot import Pilot
from textual.widgets import OptionList, Static

from game.engine.compiler import Story, load_story
from game.engine.saves import AUTOSAVE, Profile, SaveStore
from game.engine.session import Session
from game.ui import CandidApp, make_app
from game.ui.commands import GameCommands
from game.ui.screens import ConfirmScreen, EndingScreen, InfoScreen, PlayScreen, RoleScreen, TitleScreen
from game.ui.settings import Settings
from game.ui.widgets import ChoiceList, SceneText

SIZE = (80, 24)


def play_screen(app: CandidApp) -> PlayScreen:
    assert isinstance(app.screen, PlayScreen), type(app.screen).__name__
    return app.screen


def notices(app: CandidApp) -> list[str]:
    return [n.message for n in app._notifications]


async def start_new_game(pilot: Pilot[int], role_number: str = "1") -> None:
    await pilot.press("1")
    assert isinstance(pilot.app.screen, RoleScreen)
    await pilot.press(role_number)
    await pilot.pause()


async def test_new_game_to_ending_undo_save_quit_and_continue(tiny_story: Story, candid_home: Path) -> None:
    app = make_app(tiny_story)
    async with app.run_test(size=SIZE) as pilot:
        assert isinstance(app.screen, TitleScreen)
        await start_new_game(pilot)
        screen = play_screen(app)
        assert screen.session.role == "hero"
        assert "You stand at the window." in screen.query_one(SceneText).text
        assert "15 Nov 2022" in str(screen.query_one("#where", Static).render())
        assert "HISTORICAL" in str(screen.query_one("#label", Static).render())

        await pilot.press("2")
        assert screen.session.scene_id == "held"
        assert "left history" in str(screen.query_one("#divergence", Static).render())
        await pilot.press("u")
        assert screen.session.scene_id == "start"
        await pilot.press("1")
        assert screen.session.scene_id == "launch"

        await pilot.press("s")
        await pilot.press("ctrl+a", "ctrl+k", *"mine", "enter")
        await pilot.pause()
        assert "mine" in [s.slot for s in SaveStore(tiny_story).slots()]

        await pilot.press("1")
        await pilot.pause()
        assert isinstance(app.screen, EndingScreen)
        assert "History" in str(app.screen.query_one("#the-end", Static).render())
        assert Profile().endings_found(tiny_story) == {"end_real"}

        await pilot.press("u")
        await pilot.pause()
        assert play_screen(app).session.scene_id == "launch"
        await pilot.press("q")
        assert isinstance(app.screen, ConfirmScreen)
        await pilot.press("y")
        await pilot.pause()
    assert app.return_code == 0

    again = make_app(tiny_story)
    async with again.run_test(size=SIZE) as pilot:
        await pilot.press("2")
        await pilot.pause()
        resumed = play_screen(again)
        assert resumed.session.scene_id == "launch"
        assert resumed.session.path == ["start.ship"]


async def test_named_save_loads_back(tiny_story: Story) -> None:
    app = make_app(tiny_story)
    async with app.run_test(size=SIZE) as pilot:
        await start_new_game(pilot)
        await pilot.press("2", "s", "ctrl+a", "ctrl+k", *"held", "enter", "u")
        assert play_screen(app).session.scene_id == "start"
        await pilot.press("l")
        slots = app.screen.query_one("#slots", OptionList)
        slots.highlighted = slots.get_option_index("held")
        await pilot.press("enter")
        await pilot.pause()
        assert play_screen(app).session.scene_id == "held"


async def test_corrupt_autosave_is_reported_not_raised(tiny_story: Story, candid_home: Path) -> None:
    folder = candid_home / "saves" / tiny_story.id
    folder.mkdir(parents=True)
    (folder / f"{AUTOSAVE}.json").write_text(json.dumps({"format": 1, "story_id": "tiny"}))
    app = make_app(tiny_story)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("2")
        await pilot.pause()
        assert isinstance(app.screen, TitleScreen)
        assert any("is not a save file of this game" in m for m in notices(app))
        assert list((folder / "quarantine").iterdir())


async def test_locked_choice_shows_its_reason_and_cannot_be_taken(tiny_story: Story) -> None:
    app = make_app(tiny_story)
    async with app.run_test(size=SIZE) as pilot:
        await start_new_game(pilot)
        await pilot.press("1")
        screen = play_screen(app)
        choices = screen.query_one(ChoiceList)
        prompts = [str(choices.get_option_at_index(i).prompt) for i in range(choices.option_count)]
        assert prompts[1].endswith("(locked: You never told anyone.)")
        assert choices.get_option_at_index(1).disabled
        await pilot.press("2")
        assert screen.session.scene_id == "launch"


async def test_what_really_happened_opens_only_after_leaving_history(tiny_story: Story) -> None:
    app = make_app(tiny_story)
    async with app.run_test(size=SIZE) as pilot:
        await start_new_game(pilot)
        await pilot.press("1", "w")
        assert not isinstance(app.screen, InfoScreen)
        await pilot.press("u", "2", "w")
        assert isinstance(app.screen, InfoScreen)
        body = str(app.screen.query_one("#info-body", Static).render())
        assert "History chose: Ship it" in body
        assert "It shipped." in body
        assert "Blog, “Shipped”, 2022-11-30" in body


def record_deliveries(app: CandidApp, monkeypatch: pytest.MonkeyPatch) -> list[tuple[str, dict[str, object]]]:
    """Stand in for `App.deliver_text`, keeping the text and the options of each delivery."""
    delivered: list[tuple[str, dict[str, object]]] = []

    def deliver_text(file: io.StringIO, **options: object) -> str:
        delivered.append((file.read(), options))
        return "key"

    monkeypatch.setattr(app, "deliver_text", deliver_text)
    return delivered


async def test_ending_exports_a_markdown_transcript(tiny_story: Story, candid_home: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    app = make_app(tiny_story)
    delivered = record_deliveries(app, monkeypatch)
    async with app.run_test(size=(120, 40)) as pilot:
        await start_new_game(pilot)
        await pilot.press("2", "2")
        await pilot.pause()
        assert isinstance(app.screen, EndingScreen)
        await pilot.press("e")
        files = list((candid_home / "transcripts").glob("tiny-*.md"))
        assert len(files) == 1
        text = files[0].read_text("utf-8")
        assert text.startswith("# Tiny")
        assert "**You chose:** Hold it" in text
        assert "## The end: Never" in text
        assert any("Transcript written to" in n for n in notices(app))
    assert delivered == []


async def test_ending_in_a_browser_downloads_the_transcript(tiny_story: Story, candid_home: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(CandidApp, "is_web", property(lambda self: True))
    app = make_app(tiny_story)
    delivered = record_deliveries(app, monkeypatch)
    async with app.run_test(size=(120, 40)) as pilot:
        await start_new_game(pilot)
        await pilot.press("2", "2")
        await pilot.pause()
        assert isinstance(app.screen, EndingScreen)
        await pilot.press("e")
        assert any("downloading" in n for n in notices(app))
    assert len(delivered) == 1
    text, options = delivered[0]
    assert text.startswith("# Tiny")
    assert "## The end: Never" in text
    assert re.fullmatch(r"tiny-\d{8}-\d{6}\.md", str(options["save_filename"]))
    assert options["mime_type"] == "text/markdown"
    assert not (candid_home / "transcripts").exists()


async def test_endings_found_persist_across_play_throughs(tiny_story: Story) -> None:
    app = make_app(tiny_story)
    async with app.run_test(size=SIZE) as pilot:
        await start_new_game(pilot)
        await pilot.press("1", "1")
        await pilot.pause()
        assert isinstance(app.screen, EndingScreen)
    again = make_app(tiny_story)
    async with again.run_test(size=SIZE) as pilot:
        menu = again.screen.query_one("#menu", OptionList)
        assert "Endings found (1 of 3)" in str(menu.get_option("endings").prompt)


async def test_help_lists_every_binding(tiny_story: Story) -> None:
    app = make_app(tiny_story)
    async with app.run_test(size=SIZE) as pilot:
        await start_new_game(pilot)
        await pilot.press("question_mark")
        assert isinstance(app.screen, InfoScreen)
        body = str(app.screen.query_one("#info-body", Static).render())
        for words in ("Undo", "Save", "Load", "Log", "Timeline", "What happened", "Panel", "Quit", "1–9"):
            assert words in body


async def test_remapped_binding_works_by_id(tiny_story: Story) -> None:
    app = make_app(tiny_story)
    async with app.run_test(size=SIZE) as pilot:
        app.set_keymap({"undo": "z"})
        await start_new_game(pilot)
        await pilot.press("1", "z")
        assert play_screen(app).session.scene_id == "start"


async def test_typewriter_text_is_completed_by_any_key(tiny_story: Story, candid_home: Path) -> None:
    Settings(reveal="slow").save(candid_home)
    app = make_app(tiny_story)
    async with app.run_test(size=SIZE) as pilot:
        await start_new_game(pilot)
        text = play_screen(app).query_one(SceneText)
        assert text.revealing
        await pilot.press("1")
        assert not text.revealing
        assert play_screen(app).session.scene_id == "start"
        await pilot.press("1")
        assert play_screen(app).session.scene_id == "launch"


async def test_settings_persist(tiny_story: Story, candid_home: Path) -> None:
    app = make_app(tiny_story)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("6")
        switch = app.screen.query_one("#reduced")
        await pilot.click(switch)
        await pilot.press("escape")
    saved = Settings.load(candid_home)
    assert saved.reduced_motion
    assert saved.reveal_speed == 0


async def test_command_palette_offers_game_commands(tiny_story: Story) -> None:
    app = make_app(tiny_story)
    async with app.run_test(size=SIZE) as pilot:
        await start_new_game(pilot)
        names = [name for name, _help, _run in GameCommands(app.screen).commands()]
        assert {"Save game", "Undo", "Restart", "Load game"} <= set(names)
        assert not any(n.startswith("Jump to scene") for n in names)
    author = make_app(tiny_story, start="launch")
    async with author.run_test(size=SIZE):
        names = [name for name, _help, _run in GameCommands(author.screen).commands()]
        assert "Jump to scene held" in names


async def test_author_warp_starts_at_the_scene(tiny_story: Story) -> None:
    app = make_app(tiny_story, role="other", start="held", overrides={"trust": 90})
    async with app.run_test(size=SIZE):
        screen = play_screen(app)
        assert (screen.session.scene_id, screen.session.role, screen.session.vars["trust"]) == ("held", "other", 90)


async def test_home_holds_saves_profile_and_settings(tiny_story: Story, tmp_path: Path) -> None:
    home = tmp_path / "elsewhere"
    app = make_app(tiny_story, home=home)
    async with app.run_test(size=SIZE) as pilot:
        await start_new_game(pilot)
        await pilot.press("1", "1")
        await pilot.pause()
        assert isinstance(app.screen, EndingScreen)
    assert SaveStore(tiny_story, home).exists()
    assert Profile(home).endings_found(tiny_story) == {"end_real"}
    assert not SaveStore(tiny_story).exists()


async def test_scene_named_like_its_act_is_named_once(tmp_path: Path) -> None:
    folder = tmp_path / "tiny"
    shutil.copytree("tests/stories/tiny", folder)
    story_file = folder / "story.yaml"
    story_file.write_text(story_file.read_text("utf-8").replace("acts: {1: One, 2: Two}", "acts: {1: The decision, 2: Two}"), "utf-8")
    app = make_app(load_story(folder))
    async with app.run_test(size=SIZE) as pilot:
        await start_new_game(pilot)
        title = play_screen(app).query_one("#scene-title", Static)
        assert str(title.render()) == "Act 1: The decision"
        await pilot.press("1")
        assert str(title.render()) == "Act 1: The decision · Launch"


async def test_the_full_screen_game_autosaves_as_plain_mode_does(tiny_story: Story) -> None:
    """The same controller policy in both front ends: nothing written until the first choice,
    then one autosave per step (none for a game undone back to its start), and the ending recorded
    when it is reached. Starting over a game in progress asks first."""
    store = SaveStore(tiny_story)
    earlier = Session.new(tiny_story, "other")
    earlier.choose("hold")
    earlier.choose("relent")
    store.save(earlier, AUTOSAVE)  # an earlier play-through's autosave
    app = make_app(tiny_story)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("1")  # New game
        assert isinstance(app.screen, RoleScreen)
        await pilot.press("1")
        await pilot.pause()
        assert isinstance(app.screen, ConfirmScreen)
        assert "Launch" in str(app.screen.query_one(".question", Static).render())
        assert "2 choices" in str(app.screen.query_one(".question", Static).render())
        await pilot.press("y")
        await pilot.pause()
        play_screen(app)
        assert store.load(AUTOSAVE).session.path == ["start.hold", "held.relent"]
        await pilot.press("2")
        await pilot.pause()
        assert store.load(AUTOSAVE).session.path == ["start.hold"]
        await pilot.press("u")
        await pilot.pause()
        assert store.load(AUTOSAVE).session.path == ["start.hold"]
        assert Profile().endings_found(tiny_story) == set()
        await pilot.press("1", "1")
        await pilot.pause()
        assert isinstance(app.screen, EndingScreen)
    assert store.load(AUTOSAVE).session.path == ["start.ship", "launch.wait"]
    assert Profile().endings_found(tiny_story) == {"end_real"}
