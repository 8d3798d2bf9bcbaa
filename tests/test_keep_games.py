"""No lost games: replaced play-throughs stay restorable, failed writes change nothing, any value saves."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from helpers import write_story

from game.engine import SaveError
from game.engine import saves as saves_module
from game.engine.compiler import Story, load_story
from game.engine.play import Game, Keeper, started
from game.engine.saves import AUTOSAVE, PREVIOUS, Profile, SaveStore
from game.engine.session import Session

pytestmark = pytest.mark.usefixtures("candid_home")

COUNTER = """\
story:
  id: counter
  title: Counter
  version: "1.0"
  roles:
    hero: {name: Hero, description: The only role., start: room}
  variables:
    n: {type: int, default: 0}
"""
ROOM = """\
scenes:
  - id: room
    act: 1
    title: A room
    roles: [hero]
    text: "n is {n}."
    choices:
      - {id: grow, text: Grow, goto: room, effects: {add: {n: 1000000000}}}
      - {id: leave, text: Leave, goto: out}
  - id: out
    act: 1
    title: Out
    roles: [hero]
    text: Gone.
    ending: {title: Out, epilogue: Gone.}
"""


def game(story: Story, warnings: list[str] | None = None, **kwargs: object) -> Game:
    keeper = Keeper(SaveStore(story), Profile(), (warnings if warnings is not None else []).append)
    return Game(started(story, **kwargs), keeper)  # type: ignore[arg-type]


def kept_paths(store: SaveStore, slot: str) -> list[list[str]]:
    return [store.load(slot, info.generation).session.path for info in store.generations(slot)]


def test_new_games_keep_the_games_they_replace(tiny_story: Story) -> None:
    store = SaveStore(tiny_story)
    first = game(tiny_story)
    first.choose("hold")
    first.choose("relent")
    for choice in ("ship", "hold", "ship"):
        # Each is a new game from the title screen: one choice and the old autosave is gone from view.
        game(tiny_story).choose(choice)
    assert store.load().session.path == ["start.ship"]
    assert kept_paths(store, PREVIOUS) == [["start.hold"], ["start.ship"], ["start.hold", "held.relent"]]


def test_continuing_the_autosave_keeps_nothing_extra(tiny_story: Story) -> None:
    store = SaveStore(tiny_story)
    game(tiny_story).choose("hold")
    resumed = Game(Session.new(tiny_story), Keeper(store, None))
    resumed.load(AUTOSAVE)
    resumed.choose("relent")
    assert not store.exists(PREVIOUS)
    assert [i.generation for i in store.generations()] == [0, 1, 2]


def test_loading_a_slot_keeps_the_autosave(tiny_story: Story) -> None:
    store = SaveStore(tiny_story)
    store.save(Session.new(tiny_story), "early")
    g = game(tiny_story)
    g.choose("hold")
    g.load("early")
    assert store.load(PREVIOUS).session.path == ["start.hold"]
    assert store.load().session.path == []


def test_restart_and_warps_keep_the_game_they_end(tiny_story: Story) -> None:
    store = SaveStore(tiny_story)
    g = game(tiny_story)
    g.choose("hold")
    g.restart()
    assert store.load(PREVIOUS).session.path == ["start.hold"]
    warped = game(tiny_story, start="launch")
    warped.choose("wait")
    assert store.load(PREVIOUS).session.path == []


def test_a_branch_off_the_replay_keeps_the_autosave(tiny_story: Story) -> None:
    store = SaveStore(tiny_story)
    game(tiny_story).choose("hold")
    replay = Game(started(tiny_story), Keeper(store, None), saving=False)
    replay.choose("ship")
    assert store.load().session.path == ["start.hold"]
    replay.branch()
    assert store.load().session.path == ["start.ship"]
    assert store.load(PREVIOUS).session.path == ["start.hold"]


def test_continue_after_a_story_edit_keeps_the_full_save(tiny_story: Story, tmp_path: Path) -> None:
    g = game(tiny_story)
    g.choose("hold")
    g.choose("relent")
    edited_folder = tmp_path / "edited"
    shutil.copytree(tiny_story.folder, edited_folder)
    for scenes in edited_folder.glob("*.yaml"):
        scenes.write_text(scenes.read_text().replace("id: relent", "id: relented"))
    edited = load_story(edited_folder)
    store = SaveStore(edited)
    resumed = Game(Session.new(edited), Keeper(store, None))
    assert resumed.load(AUTOSAVE).lost
    # The cut-short game is now the autosave; the whole one is kept, byte for byte.
    assert store.load().session.path == ["start.hold"]
    kept = json.loads((store.folder / f"{PREVIOUS}.json").read_text())
    assert kept["path"] == ["start.hold", "held.relent"]


def test_a_failed_save_moves_no_generation(tiny_story: Story, monkeypatch: pytest.MonkeyPatch) -> None:
    store = SaveStore(tiny_story)
    for choices in ([], ["ship"], ["hold"]):
        s = Session.new(tiny_story)
        for c in choices:
            s.choose(c)
        store.save(s, "slot")
    before = {p.name: p.read_bytes() for p in store.folder.iterdir()}

    def disk_full(path: Path, data: bytes) -> str:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(saves_module, "write_temporary", disk_full)
    with pytest.raises(SaveError, match="No space left"):
        store.save(Session.new(tiny_story), "slot")
    assert {p.name: p.read_bytes() for p in store.folder.iterdir()} == before


def test_temporaries_of_killed_writers_are_swept(tiny_story: Story) -> None:
    store = SaveStore(tiny_story)
    store.save(Session.new(tiny_story))
    # A writer killed mid-write: its temporary stays behind, named with its (now dead) process id.
    code = (
        "import os, sys; from pathlib import Path; from game.engine.files import write_temporary;"
        "write_temporary(Path(sys.argv[1]), b'half'); os.kill(os.getpid(), 9)"
    )
    for _ in range(3):
        subprocess.run([sys.executable, "-c", code, str(store.folder / "autosave.json")], check=False, timeout=60)
    assert len(list(store.folder.glob(".*.tmp"))) == 3
    store.save(Session.new(tiny_story))
    assert list(store.folder.glob(".*.tmp")) == []


def test_a_damaged_profile_is_set_aside_and_reported(tiny_story: Story, candid_home: Path) -> None:
    candid_home.mkdir(parents=True, exist_ok=True)
    (candid_home / "profile.json").write_text('{"endings": {"tiny": ["end_alt"]')
    warnings: list[str] = []
    g = game(tiny_story, warnings)
    g.choose("ship")
    g.choose("wait")
    assert Profile().endings_found(tiny_story) == {"end_real"}
    quarantined = list((candid_home / "quarantine").iterdir())
    assert [p.read_text() for p in quarantined] == ['{"endings": {"tiny": ["end_alt"]']
    assert any("profile" in w and str(quarantined[0]) in w for w in warnings)


@pytest.mark.parametrize("value", [2_000_000_000, -(10**30), 10**30])
def test_any_int_the_game_reaches_saves_and_loads(tmp_path: Path, value: int) -> None:
    story = load_story(write_story(tmp_path / "counter", COUNTER, room=ROOM))
    g = game(story, overrides={"n": value})
    for _ in range(3):
        g.choose("grow")
    loaded = SaveStore(story).load()
    assert loaded.session.vars["n"] == value + 3 * 10**9
    assert "n is" in loaded.session.paragraphs()[0].text


def test_set_past_a_billion_from_the_command_line_saves_and_resumes(tmp_path: Path, candid_home: Path) -> None:
    folder = write_story(tmp_path / "counter", COUNTER, room=ROOM)
    env = {**os.environ, "CANDID_HOME": str(candid_home)}
    run = [sys.executable, "-m", "game", "play", str(folder), "--plain"]
    first = subprocess.run([*run, "--set", "n=2000000000"], input="1\n", capture_output=True, text=True, env=env, timeout=60, check=False)
    assert "n is 3000000000." in first.stdout
    again = subprocess.run(run, input="l autosave\n", capture_output=True, text=True, env=env, timeout=60, check=False)
    assert "(loaded 'autosave')" in again.stdout and "n is 3000000000." in again.stdout, again.stdout


def test_check_warns_about_ints_that_grow_without_bound(tmp_path: Path) -> None:
    from game.engine.checks import check_story

    report = check_story(write_story(tmp_path / "counter", COUNTER, room=ROOM), exhaustive=False)
    assert [d.code for d in report.warnings] == ["unbounded-variable"]
    assert "'n'" in report.warnings[0].message and "max" in report.warnings[0].message


def test_a_play_through_saves_only_if_it_loads(monkeypatch: pytest.MonkeyPatch) -> None:
    story = load_story("tests/stories/loop")
    monkeypatch.setattr(saves_module, "MAX_PATH", 40)
    store = SaveStore(story)
    s = Session.new(story)
    for _ in range(40):
        s.choose("search")
    store.save(s, "long")
    assert store.load("long").session.path == s.path
    s.choose("search")
    with pytest.raises(SaveError, match="too long to save"):
        store.save(s, "long")
    assert len(store.load("long").session.path) == 40


def test_the_longest_play_through_that_saves_also_loads() -> None:
    story = load_story("tests/stories/loop")
    store = SaveStore(story)
    s = Session.new(story)
    path = store.save(s, "long")
    data = json.loads(path.read_text())
    data["path"] = ["hall.search"] * saves_module.MAX_PATH
    from game.engine.savefile import SaveFile

    assert SaveFile.model_validate(data).path == data["path"]
    assert len(json.dumps(data, indent=1).encode()) <= saves_module.MAX_SAVE_BYTES


def _retime(path: Path, saved_at: float) -> None:
    from game.engine.saves import _checksum

    data = json.loads(path.read_text())
    data["saved_at"] = saved_at
    data["checksum"] = _checksum(data)
    path.write_text(json.dumps(data))


async def test_the_load_dialog_lists_copied_and_odd_files_without_crashing(tiny_story: Story) -> None:
    from textual.widgets import OptionList

    from game.ui import make_app
    from game.ui.screens import LoadScreen

    store = SaveStore(tiny_story)
    for choice in ("ship", "hold"):
        game(tiny_story).choose(choice)
    # The player copies an old generation by hand: same `slot` field inside, another file name.
    shutil.copy(store.folder / "autosave.1.json", store.folder / "older.json")
    shutil.copy(store.folder / "autosave.1.json", store.folder / "far future.json")
    _retime(store.folder / "far future.json", 1e20)
    assert sorted(s.slot for s in store.slots()) == ["autosave", "older", "previous game"]
    app = make_app(tiny_story)
    async with app.run_test(size=(80, 24)) as pilot:
        app.action_load_game()
        await pilot.pause()
        assert isinstance(app.screen, LoadScreen)
        listed = app.screen.query_one(OptionList)
        ids = [str(listed.get_option_at_index(i).id) for i in range(listed.option_count)]
        # Each slot once, followed by its older generations (`slot.N`); the copies are slots of their own.
        assert sorted(i for i in ids if "." not in i) == ["autosave", "older", "previous game"]
        assert [i for i in ids if "." in i] == ["autosave.1"]
