"""The play cache: an unchanged story loads from one read, anything else from source."""

from __future__ import annotations

import os
import random
import shutil
from pathlib import Path

import pytest

from game.cli import main
from game.engine import StoryError, cacheform, playcache
from game.engine.compiler import load_story
from game.engine.randomtest import run_randomtest
from game.engine.rules import Effect, Move
from game.engine.session import Session
from game.engine.story import SceneTable, Story

STORIES = [Path("examples/clockwork"), Path("examples/night_ferry"), Path("tests/stories/showcase"), Path("tests/stories/tiny")]


@pytest.fixture(autouse=True)
def settled_at_once(monkeypatch: pytest.MonkeyPatch) -> None:
    """Files written by a test are cached at once (a real author's edit waits `SETTLED_NS`)."""
    monkeypatch.setattr(playcache, "SETTLED_NS", 0)


def _copy(tmp_path: Path, story: Path = Path("examples/clockwork")) -> Path:
    folder = tmp_path / "story"
    shutil.copytree(story, folder)
    return folder


def _answered_from_cache(folder: Path) -> bool:
    """Whether the play cache alone answers a load of `folder` (no file read)."""
    data = playcache.read_data(folder)
    return data is not None and playcache.load_unchanged(folder, data) is not None


def _cached(story: Story) -> bool:
    return isinstance(story.scenes, SceneTable)


def test_an_unchanged_story_loads_from_the_cache_without_compiling_a_scene(tmp_path: Path) -> None:
    folder = _copy(tmp_path)
    first = load_story(folder)
    assert not _cached(first)
    again = load_story(folder)
    assert _cached(again) and isinstance(again.scenes, SceneTable)
    assert again.scenes.made == 0
    assert (again.fingerprint, again.files, list(again.scenes)) == (first.fingerprint, first.files, list(first.scenes))
    session = Session.new(again)
    assert again.scenes.made == 0
    session.choose(session.choices()[0].id)
    assert again.scenes.made == len({session.start, session.scene_id})  # the scenes shown: no other
    assert set(again.machine.states) == {session.start, session.scene_id}


@pytest.mark.parametrize("change", ["edit", "touch", "add", "remove", "meta", "engine", "cwd"])
def test_the_cache_is_not_used_after_a_change(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, change: str) -> None:
    """A changed scene file is read again (alone: `test_increment.py`); a change to what every
    scene depends on (story.yaml, the engine, the working folder) means a whole compile."""
    folder = _copy(tmp_path)
    first = load_story(folder)
    assert _cached(load_story(folder))
    town = folder / "town.yaml"
    if change == "edit":
        town.write_text(town.read_text().replace("title:", "title: ", 1))
    elif change == "touch":
        os.utime(town)
    elif change == "add":
        (folder / "notes.yml").write_text("scenes: []\n")
    elif change == "remove":
        shutil.copy(town, tmp_path / "keep.yaml")
        town.unlink()
        shutil.copy(tmp_path / "keep.yaml", town)  # the same bytes, another file
    elif change == "meta":
        story_file = folder / "story.yaml"
        story_file.write_text(story_file.read_text() + "\n")
    elif change == "engine":
        monkeypatch.setattr(playcache, "engine_key", lambda: "another engine")
    elif change == "cwd":
        monkeypatch.chdir(tmp_path)
    assert not _answered_from_cache(folder)
    if change == "add":
        with pytest.raises(StoryError):  # the new file is seen (and is wrong)
            load_story(folder)
        return
    again = load_story(folder)
    assert _cached(again) == (change in ("edit", "touch", "remove"))  # a scene file: only it is read again
    assert (again.fingerprint == first.fingerprint) == (change in ("touch", "remove", "engine"))  # the same bytes and names
    assert _answered_from_cache(folder)  # and written again


def test_a_damaged_cache_falls_back_and_is_replaced(tmp_path: Path) -> None:
    folder = _copy(tmp_path)
    expected = load_story(folder)
    path = playcache.cache_path(folder)
    assert path is not None and path.is_file()
    whole = path.read_bytes()
    for damage in (
        b"",
        whole[:-10],
        whole[:-10] + b"0123456789",
        b"not json\n" + whole,
        whole.replace(f'"format": {cacheform.FORMAT}'.encode(), b'"format": 0'),
    ):
        path.write_bytes(damage)
        story = load_story(folder)
        assert not _cached(story) and story.fingerprint == expected.fingerprint
        assert path.read_bytes() != damage
        assert _cached(load_story(folder))


def test_a_story_with_an_error_is_reported_at_its_place_after_being_cached(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    folder = _copy(tmp_path)
    load_story(folder)
    town = folder / "town.yaml"
    text = town.read_text()
    town.write_text(text.replace("goto:", "goto: nowhere_at_all #", 1))
    with pytest.raises(StoryError) as caught:
        load_story(folder)
    (diag,) = [d for d in caught.value.diagnostics if d.code == "unknown-scene"]
    line = next(i for i, row in enumerate(town.read_text().splitlines(), 1) if "nowhere_at_all" in row)
    assert (Path(diag.file).name, diag.line) == ("town.yaml", line) and diag.col > 1
    assert main(["randomtest", str(folder), "-n", "5"]) == 1
    assert f"town.yaml:{line}:{diag.col}: error" in capsys.readouterr().err


def _play(story: Story, seed: int) -> list[object]:
    """A seeded random play-through, recording everything a player sees."""
    rng = random.Random(seed)
    session = Session.new(story, rng.choice(list(story.basics.starts)))
    seen: list[object] = []
    for _ in range(60):
        offered = session.choices(include_locked=True)
        seen.append((session.scene_id, session.header, [p.runs for p in session.paragraphs()], offered, dict(session.vars)))
        if session.ending is not None:
            seen.append(session.epilogue())
            break
        open_ = [c for c in offered if c.available]
        if not open_:
            break
        session.choose(rng.choice(open_).id)
        seen.append(session.reply)
    seen.append((session.path, session.divergence))
    return seen


@pytest.mark.parametrize("source", STORIES, ids=lambda p: p.name)
def test_lazy_scenes_play_as_eager_ones(tmp_path: Path, source: Path) -> None:
    folder = _copy(tmp_path, source)
    eager = load_story(folder)
    lazy = load_story(folder)
    assert not _cached(eager) and _cached(lazy)
    for seed in range(25):
        assert _play(lazy, seed) == _play(eager, seed)
    assert run_randomtest(lazy, 300, seed=7).as_dict() == run_randomtest(eager, 300, seed=7).as_dict()
    for scene_id, scene in eager.scenes.items():
        made = lazy.scenes[scene_id]
        assert (made.model, made.where, [c.where for c in made.choices]) == (scene.model, scene.where, [c.where for c in scene.choices])
        assert all(c.move is m for c, m in zip(made.choices, lazy.moves(scene_id), strict=True))
        assert [_shape(c.move) for c in made.choices] == [_shape(c.move) for c in scene.choices]
    assert {k: [_block(b) for b in v] for k, v in lazy.enter.items()} == {k: [_block(b) for b in v] for k, v in eager.enter.items()}
    assert (lazy.meta, lazy.endings, lazy.meta_where, lazy.fiction) == (eager.meta, eager.endings, eager.meta_where, eager.fiction)


def _block(block: Effect) -> tuple[object, ...]:
    return (block.guard.text if block.guard else None, block.adds, block.sets, block.rolls)


def _shape(move: Move) -> tuple[object, ...]:
    """A move's data, its conditions by their text (compiled conditions are closures)."""
    guard = move.guard.text if move.guard else None
    flags = (move.once, move.fallback, move.auto, move.push, move.returns)
    return (move.key, move.scene, move.dest, guard, move.adds, move.sets, move.locked_reason, [_block(b) for b in move.more], flags)


def test_randomtest_from_the_cache_imports_no_pydantic(tmp_path: Path) -> None:
    import subprocess
    import sys

    folder = _copy(tmp_path)
    load_story(folder)
    code = (
        "import sys\n"
        "from game.engine import playcache\n"
        "playcache.SETTLED_NS = 0\n"
        "from game.cli import main\n"
        f"assert main(['randomtest', {str(folder)!r}, '-n', '50']) == 0\n"
        "assert 'pydantic' not in sys.modules and 'yaml' not in sys.modules, 'imported'\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60, env=os.environ.copy())
    assert done.returncode == 0, done.stderr


def test_a_story_with_links_is_not_cached(tmp_path: Path) -> None:
    """A link's target may change without any stamp of the folder changing."""
    folder = _copy(tmp_path)
    (folder / "town.yaml").rename(folder / "town.txt")
    (folder / "town.yaml").symlink_to("town.txt")
    load_story(folder)
    assert not _cached(load_story(folder))


def test_the_title_screen_of_a_cached_story_imports_no_pydantic(tmp_path: Path) -> None:
    """The first screen shows the story's title and premise from the play cache's plain data: no
    model is validated (nor pydantic imported) before the player asks for something that needs it."""
    import subprocess
    import sys

    folder = _copy(tmp_path)
    load_story(folder)
    code = (
        "import sys, asyncio\n"
        "from pathlib import Path\n"
        "from game.engine import playcache\n"
        "playcache.SETTLED_NS = 0\n"
        "from game.engine.compiler import load_story\n"
        "from game.ui import make_app\n"
        f"story = load_story({str(folder)!r})\n"
        f"app = make_app(story, home=Path({str(tmp_path / 'home')!r}))\n"
        "async def run():\n"
        "    async with app.run_test(headless=True, size=(80, 24)) as pilot:\n"
        "        await pilot.pause()\n"
        "        assert type(app.screen).__name__ == 'TitleScreen', type(app.screen).__name__\n"
        "        assert story.title in str(app.screen.query_one('#plain-title').render())\n"
        "asyncio.run(run())\n"
        "assert 'pydantic' not in sys.modules and 'yaml' not in sys.modules, 'imported'\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60, env=os.environ.copy())
    assert done.returncode == 0, done.stderr
