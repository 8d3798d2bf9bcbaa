"""Saves: round trips, atomic writes, generations, quarantine of bad files, and story edits."""

from __future__ import annotations

import json
import os
import random
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest

from game.engine import SaveError
from game.engine.compiler import Story, load_story
from game.engine.saves import AUTOSAVE, FORMAT, GENERATIONS, MAX_SAVE_BYTES, Profile, SaveStore
from game.engine.session import Session

pytestmark = pytest.mark.usefixtures("json_each_step")


@pytest.fixture
def loop_story() -> Story:
    return load_story("tests/stories/loop")


def state(s: Session) -> tuple[object, ...]:
    return (s.role, s.start, s.scene_id, dict(s.vars), dict(s.visits), list(s.history), s.initial)


def played(story: Story, *choices: str, **kwargs: object) -> Session:
    s = Session.new(story, **kwargs)  # type: ignore[arg-type]
    for choice in choices:
        s.choose(choice)
    return s


def test_saves_live_under_candid_home(tiny_story: Story, candid_home: Path) -> None:
    path = SaveStore(tiny_story).save(played(tiny_story, "hold"), "first")
    assert path == candid_home / "saves" / "tiny" / "first.json"


def test_round_trip(tiny_story: Story) -> None:
    store = SaveStore(tiny_story)
    s = played(tiny_story, "hold", "relent", role="other")
    store.save(s, "mine")
    loaded = store.load("mine")
    assert (loaded.slot, loaded.lost) == ("mine", [])
    assert state(loaded.session) == state(s)
    assert loaded.session.undo() and loaded.session.undo()
    assert loaded.session.scene_id == "start" and not loaded.session.undo()


def test_round_trip_keeps_warps(tiny_story: Story) -> None:
    store = SaveStore(tiny_story)
    s = played(tiny_story, "secret", start="launch", overrides={"told": True, "trust": 3})
    store.save(s)
    assert state(store.load().session) == state(s)


def test_save_file_is_json_with_a_checksum(tiny_story: Story) -> None:
    path = SaveStore(tiny_story).save(played(tiny_story, "ship"))
    data = json.loads(path.read_text())
    assert data["format"] == FORMAT and data["story_id"] == "tiny" and data["slot"] == AUTOSAVE
    assert data["path"] == ["start.ship"] and data["scene"] == "launch" and "role" not in data["vars"]
    assert len(data["checksum"]) == 64


def test_crash_while_writing_leaves_the_old_save_intact(tiny_story: Story, monkeypatch: pytest.MonkeyPatch) -> None:
    store = SaveStore(tiny_story)
    path = store.save(played(tiny_story, "ship"), "slot")
    store.save(played(tiny_story, "hold"), "slot")
    before = path.read_bytes()

    def crash(src: object, dst: object) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "replace", crash)
    with pytest.raises(SaveError, match="No space left on device"):
        store.save(played(tiny_story, "hold", "give_up"), "slot")
    monkeypatch.undo()
    assert path.read_bytes() == before
    assert store.load("slot").session.path == ["start.hold"]
    assert not [p for p in path.parent.iterdir() if p.name.endswith(".tmp")]


def test_crash_on_the_final_rename_leaves_the_old_save_in_place(tiny_story: Story, monkeypatch: pytest.MonkeyPatch) -> None:
    store = SaveStore(tiny_story)
    path = store.save(played(tiny_story, "ship"), "slot")
    store.save(played(tiny_story, "hold"), "slot")
    real_replace = os.replace

    def crash_on_temp(src: str | Path, dst: str | Path) -> None:
        if str(src).endswith(".tmp") and Path(dst) == path:
            raise OSError(5, "Input/output error")
        real_replace(src, dst)

    monkeypatch.setattr(os, "replace", crash_on_temp)
    with pytest.raises(SaveError):
        store.save(played(tiny_story, "hold", "give_up"), "slot")
    monkeypatch.undo()
    assert store.load("slot").session.path == ["start.hold"]


def test_generations_keep_the_last_three(tiny_story: Story) -> None:
    store = SaveStore(tiny_story)
    paths = [[], ["start.ship"], ["start.hold"], ["start.hold", "held.relent"], ["start.hold", "held.give_up"]]
    for path in paths:
        store.save(played(tiny_story, *(k.split(".")[1] for k in path)), "gen")
    names = sorted(p.name for p in store.folder.iterdir())
    assert names == ["gen.1.json", "gen.2.json", "gen.json"]
    assert GENERATIONS == 3
    kept = [json.loads((store.folder / n).read_text())["path"] for n in ("gen.json", "gen.1.json", "gen.2.json")]
    assert kept == [paths[4], paths[3], paths[2]]
    assert [s.slot for s in store.slots()] == ["gen"]


def test_slots_newest_first(tiny_story: Story, monkeypatch: pytest.MonkeyPatch) -> None:
    clock = iter(range(1000, 2000))
    monkeypatch.setattr("game.engine.saves.time.time", lambda: float(next(clock)))
    store = SaveStore(tiny_story)
    assert store.slots() == []
    store.save(played(tiny_story, "ship"), "a")
    store.save(played(tiny_story, "hold", "relent"), "b")
    (store.folder / "junk.json").write_text("{")
    infos = store.slots()
    assert [(i.slot, i.scene, i.steps, i.role) for i in infos] == [("b", "launch", 2, "hero"), ("a", "launch", 1, "hero")]


@pytest.mark.parametrize("slot", ["../evil", "a/b", "..", "/abs", "", " lead", "x" * 41, "a\\b", "a.b", "nul\x00"])
def test_bad_slot_names_are_refused(tiny_story: Story, slot: str, tmp_path: Path) -> None:
    store = SaveStore(tiny_story)
    with pytest.raises(SaveError, match="slot name"):
        store.save(played(tiny_story), slot)
    with pytest.raises(SaveError, match="slot name"):
        store.load(slot)
    assert [p for p in tmp_path.rglob("*") if p.is_file()] == []


def test_missing_save(tiny_story: Story) -> None:
    with pytest.raises(SaveError, match="no save named 'nothing'") as caught:
        SaveStore(tiny_story).load("nothing")
    assert caught.value.moved_to is None


def _tamper(path: Path, change: dict[str, object], fix_checksum: bool = False) -> bytes:
    from game.engine.saves import _checksum

    data = json.loads(path.read_text())
    data.update(change)
    if fix_checksum:
        data["checksum"] = _checksum(data)
    return json.dumps(data).encode()


BAD_SAVES: dict[str, tuple[Callable[[Path], bytes], str]] = {
    "empty": (lambda p: b"", "is empty"),
    "blank": (lambda p: b"  \n", "is empty"),
    "corrupt": (lambda p: p.read_bytes()[:40], "is not valid JSON (corrupt)"),
    "binary": (lambda p: b"\x00\xff\xfe garbage", "is not valid JSON"),
    "deep": (lambda p: b"[" * 100_000, "is not valid JSON"),
    "a list": (lambda p: b"[1, 2]", "is not a save file"),
    "wrong shape": (lambda p: b'{"format": 1, "hello": "world"}', "is not a save file of this game"),
    "too new": (lambda p: _tamper(p, {"format": FORMAT + 1}), "newer version (format 2"),
    "foreign": (lambda p: _tamper(p, {"story_id": "other_story"}, fix_checksum=True), "belongs to another story ('other_story')"),
    "tampered": (lambda p: _tamper(p, {"vars": {"trust": 100, "told": False, "mood": "calm"}}), "failed its checksum"),
    "tampered with checksum": (
        lambda p: _tamper(p, {"vars": {"trust": 100, "told": False, "mood": "calm"}}, fix_checksum=True),
        "does not match its own path",
    ),
    "odd path step": (lambda p: _tamper(p, {"path": ["start.ship\u001b[2J"]}, fix_checksum=True), "is not a save file of this game"),
    "huge number": (lambda p: _tamper(p, {"initial": {"trust": 10**100}}, fix_checksum=True), "does not match its own path"),
    "slot with escapes": (lambda p: _tamper(p, {"slot": "x\u001b]0;pwned\u0007"}, fix_checksum=True), "is not a save file of this game"),
    "saved in year 5e12": (lambda p: _tamper(p, {"saved_at": 1e20}, fix_checksum=True), "is not a save file of this game"),
    "saved at infinity": (lambda p: _tamper(p, {"saved_at": float("inf")}, fix_checksum=True), "is not a save file of this game"),
    "saved at NaN": (lambda p: _tamper(p, {"saved_at": float("nan")}, fix_checksum=True), "is not a save file of this game"),
    "path tampered": (lambda p: _tamper(p, {"path": ["start.ship", "launch.secret"]}, fix_checksum=True), "does not match its own path"),
    "scene tampered": (lambda p: _tamper(p, {"scene": "end_secret"}, fix_checksum=True), "does not match its own path"),
    "huge": (lambda p: b"{" + b" " * MAX_SAVE_BYTES, "is too large"),
}


@pytest.mark.parametrize("kind", sorted(BAD_SAVES))
def test_bad_saves_are_quarantined_not_deleted(tiny_story: Story, kind: str) -> None:
    make, fragment = BAD_SAVES[kind]
    store = SaveStore(tiny_story)
    path = store.save(played(tiny_story, "ship"), "slot")
    bad = make(path)
    path.write_bytes(bad)
    with pytest.raises(SaveError) as caught:
        store.load("slot")
    assert fragment in caught.value.message
    moved = caught.value.moved_to
    assert moved is not None
    assert Path(moved).parent == store.folder / "quarantine"
    assert Path(moved).read_bytes() == bad
    assert not path.exists()
    assert store.slots() == []


def test_quarantine_never_overwrites(tiny_story: Story) -> None:
    store = SaveStore(tiny_story)
    moved = []
    for _ in range(3):
        path = store.save(played(tiny_story), "slot")
        path.write_bytes(b"{")
        with pytest.raises(SaveError) as caught:
            store.load("slot")
        moved.append(caught.value.moved_to)
    assert len(set(moved)) == 3
    assert len(list((store.folder / "quarantine").iterdir())) == 3


def _edited_story(tmp_path: Path, *changes: tuple[str, str], file: str = "scenes.yaml") -> Story:
    folder = tmp_path / "edited"
    if not folder.exists():
        shutil.copytree("tests/stories/tiny", folder)
    path = folder / file
    text = path.read_text()
    for old, new in changes:
        assert old in text
        text = text.replace(old, new)
    path.write_text(text)
    story = load_story(folder)
    assert story.id == "tiny"
    return story


def test_save_survives_an_edit_up_to_the_last_valid_step(tiny_story: Story, tmp_path: Path) -> None:
    SaveStore(tiny_story).save(played(tiny_story, "hold", "relent", "wait"), "slot")
    edited = _edited_story(tmp_path, ("id: relent", "id: go_back"))
    loaded = SaveStore(edited).load("slot")
    assert loaded.session.path == ["start.hold"]
    assert loaded.session.scene_id == "held"
    assert loaded.lost == ["step 2: held.relent: scene 'held' has no choice 'relent'", "launch.wait"]


def test_save_whose_scene_was_removed(tiny_story: Story, tmp_path: Path) -> None:
    SaveStore(tiny_story).save(played(tiny_story, "ship", "wait"), "slot")
    edited = _edited_story(tmp_path, ("goto: launch\n        historical: true", "goto: held\n        historical: true"))
    loaded = SaveStore(edited).load("slot")
    assert loaded.session.path == ["start.ship"]
    assert loaded.session.scene_id == "held"
    assert loaded.lost[0] == "step 2: expected to be in 'launch' but the story led to 'held'"


def test_save_whose_start_scene_was_removed(tiny_story: Story, tmp_path: Path) -> None:
    SaveStore(tiny_story).save(played(tiny_story, "relent", start="held"), "slot")
    edited = _edited_story(tmp_path, ("id: held", "id: held_back"), ("goto: held", "goto: held_back"))
    with pytest.raises(SaveError, match="cannot start: no scene 'held'") as caught:
        SaveStore(edited).load("slot")
    assert caught.value.moved_to is None


def test_save_whose_variable_changed_type(tiny_story: Story, tmp_path: Path) -> None:
    SaveStore(tiny_story).save(played(tiny_story, "ship", overrides={"mood": "odd"}), "slot")
    shutil.copytree("tests/stories/tiny", tmp_path / "edited")
    scenes = tmp_path / "edited" / "scenes.yaml"
    scenes.write_text(scenes.read_text().replace("mood: grim", "mood: 2"))
    edited = _edited_story(tmp_path, ("mood: {type: str, default: calm}", "mood: {type: int, default: 1}"), file="story.yaml")
    loaded = SaveStore(edited).load("slot")
    assert loaded.lost == []
    assert loaded.session.vars["mood"] == 1
    assert loaded.session.path == ["start.ship"]


# --- ink's habit: a save/load round trip at every step changes nothing ---------------------------


@pytest.mark.parametrize("story_name", ["tiny", "loop"])
@pytest.mark.parametrize("seed", range(12))
def test_round_trip_at_every_step_matches_straight_play(story_name: str, seed: int) -> None:
    story = load_story(f"tests/stories/{story_name}")
    rng = random.Random(seed)
    role = rng.choice(sorted(story.meta.roles))
    straight = Session.new(story, role)
    reloaded = Session.new(story, role)
    store = SaveStore(story)
    for step in range(40):
        store.save(reloaded, "rt")
        loaded = store.load("rt")
        assert loaded.lost == []
        reloaded = loaded.session
        assert state(reloaded) == state(straight), f"step {step}"
        if straight.ending is not None:
            break
        if rng.random() < 0.15:
            assert straight.undo() == reloaded.undo()
            continue
        choice = rng.choice(straight.choices()).id
        straight.choose(choice)
        reloaded.choose(choice)
    assert state(reloaded) == state(straight)


# --- profile -------------------------------------------------------------------------------------


def test_profile_records_endings(tiny_story: Story, candid_home: Path) -> None:
    profile = Profile()
    assert profile.endings_found(tiny_story) == set()
    profile.record_ending(tiny_story, "end_alt")
    profile.record_ending(tiny_story, "end_real")
    profile.record_ending(tiny_story, "end_alt")
    assert Profile().endings_found(tiny_story) == {"end_alt", "end_real"}
    assert (candid_home / "profile.json").is_file()


@pytest.mark.parametrize("content", ["", "{", "[]", '{"endings": []}', '{"endings": {"tiny": [1, "nope", "end_alt"]}}'])
def test_profile_survives_bad_files(tiny_story: Story, candid_home: Path, content: str) -> None:
    candid_home.mkdir(parents=True, exist_ok=True)
    (candid_home / "profile.json").write_text(content)
    found = Profile().endings_found(tiny_story)
    assert found <= {"end_alt"}
    Profile().record_ending(tiny_story, "end_real")
    assert "end_real" in Profile().endings_found(tiny_story)


def test_bad_save_that_cannot_be_moved_stays_put(tiny_story: Story) -> None:
    store = SaveStore(tiny_story)
    path = store.save(played(tiny_story), "slot")
    path.write_bytes(b"{")
    (store.folder / "quarantine").write_text("a file where the folder should be")
    with pytest.raises(SaveError, match="corrupt") as caught:
        store.load("slot")
    assert caught.value.moved_to is None
    assert path.read_bytes() == b"{"


def test_an_autosave_is_one_write_and_keeps_the_previous_save_as_a_link(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import game.engine.saves as saves_mod

    story = load_story("tests/stories/tiny")
    store = SaveStore(story, home=tmp_path)
    session = Session.new(story, "hero")
    first = store.save(session)
    before, inode = first.read_bytes(), first.stat().st_ino
    written: list[int] = []
    real = saves_mod.write_temporary  # type: ignore[attr-defined]

    def counted(path: Path, data: bytes) -> str:
        written.append(len(data))
        return real(path, data)

    monkeypatch.setattr(saves_mod, "write_temporary", counted)
    session.choose(session.choices()[0].id)
    store.save(session)
    assert len(written) == 1  # the new save; the previous one is not written again
    previous = first.parent / "autosave.1.json"
    assert previous.read_bytes() == before
    assert previous.stat().st_ino == inode  # the very file that was replaced, linked under its new name
    assert first.read_bytes() != before
    assert sorted(p.name for p in first.parent.iterdir()) == ["autosave.1.json", "autosave.json"]
