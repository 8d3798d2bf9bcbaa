"""Live reload for authors: a changed story replaces the old one where the player was; a broken one is reported."""

from __future__ import annotations

import shutil
from pathlib import Path

from game.engine import StoryError
from game.engine.compiler import load_story
from game.ui import make_app
from game.ui.screens import EndingScreen, PlayScreen
from game.ui.widgets import SceneText


def copy_tiny(tmp_path: Path) -> Path:
    folder = tmp_path / "story"
    shutil.copytree(Path(__file__).parent / "stories" / "tiny", folder)
    return folder


async def test_reload_keeps_the_player_where_they_were(tmp_path: Path) -> None:
    folder = copy_tiny(tmp_path)
    app = make_app(load_story(folder), role="hero")
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()  # the first scene shown and read, so the key chooses (not a race with reading on)
        await pilot.press("1")
        scenes = folder / "scenes.yaml"
        scenes.write_text(scenes.read_text().replace("text: It is out.", "text: It is out, and rewritten."))
        app.reloaded(load_story(folder))
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, PlayScreen)
        assert screen.session.path == ["start.ship"]
        assert screen.query_one(SceneText).text == "It is out, and rewritten."
        assert app.story.scenes["launch"].model.text == "It is out, and rewritten."


async def test_broken_story_is_reported_with_positions_and_the_old_one_kept(tmp_path: Path) -> None:
    folder = copy_tiny(tmp_path)
    story = load_story(folder)
    app = make_app(story, role="hero")
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()  # the first scene shown and read, so the key chooses (not a race with reading on)
        await pilot.press("1")
        scenes = folder / "scenes.yaml"
        scenes.write_text(scenes.read_text().replace("goto: end_real", "goto: nowhere"))
        try:
            load_story(folder)
        except StoryError as exc:
            app.reload_failed(exc)
        await pilot.pause()
        messages = [n.message for n in app._notifications]
        assert any("scenes.yaml:" in m and "nowhere" in m for m in messages)
        assert app.story is story
        assert isinstance(app.screen, PlayScreen)
        await pilot.press("1")
        assert app.screen.session.ending is not None


async def test_watching_starts_a_worker(tmp_path: Path) -> None:
    app = make_app(load_story(copy_tiny(tmp_path)), watch=True)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        assert any(w.group == "watch" for w in app.workers)
        assert app.author


async def test_reload_at_an_ending_shows_the_ending_the_new_story_reaches(tmp_path: Path) -> None:
    folder = copy_tiny(tmp_path)
    app = make_app(load_story(folder), role="hero")
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("1", "1", "1")
        await pilot.pause()
        assert isinstance(app.screen, EndingScreen)
        scenes = folder / "scenes.yaml"
        scenes.write_text(scenes.read_text().replace("goto: end_real", "goto: end_alt"))
        app.reloaded(load_story(folder))
        await pilot.pause()
        assert isinstance(app.screen, EndingScreen)
        assert app.screen.session.scene_id == "end_alt"
        assert len(app.screen_stack) == 3
