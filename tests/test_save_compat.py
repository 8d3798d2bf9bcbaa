"""Saves written by release 1 (save format 1) keep loading and play on to the same state."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from game.engine.compiler import Story, load_story
from game.engine.saves import SaveStore
from game.engine.session import Session

pytestmark = pytest.mark.usefixtures("json_each_step")

FIXTURES = Path(__file__).parent / "saves"


def install(fixture: str, story: Story, home: Path) -> dict[str, object]:
    folder = home / "saves" / story.id
    folder.mkdir(parents=True, exist_ok=True)
    shutil.copy(FIXTURES / fixture, folder / "mid.json")
    data: dict[str, object] = json.loads((FIXTURES / fixture).read_text())
    return data


def test_release_1_save_of_a_test_story_loads_and_continues(tiny_story: Story, candid_home: Path) -> None:
    data = install("v1-tiny.json", tiny_story, candid_home)
    loaded = SaveStore(tiny_story).load("mid")
    assert loaded.lost == []
    session = loaded.session
    assert (session.role, session.scene_id, session.path) == ("other", "launch", data["path"])
    assert {k: v for k, v in session.vars.items() if k != "role"} == data["vars"] == {"trust": 10, "told": True, "mood": "grim"}
    straight = Session.new(tiny_story, "other", overrides={"trust": 70})
    for key in ["start.hold", "held.relent", "launch.secret"]:
        straight.choose(key.partition(".")[2])
    session.choose("secret")
    assert (session.scene_id, dict(session.vars), dict(session.visits)) == (
        straight.scene_id,
        dict(straight.vars),
        dict(straight.visits),
    )
    assert session.ending is not None


def test_release_1_save_of_the_built_in_story_loads(candid_home: Path) -> None:
    story = load_story(None)
    data = install("v1-builtin.json", story, candid_home)
    loaded = SaveStore(story).load("mid")
    path = data["path"]
    assert isinstance(path, list)
    session = loaded.session
    # The story is still being written: steps that no longer exist are reported, never an error.
    assert session.path == path[: len(session.path)]
    assert len(session.path) + len(loaded.lost) == len(path)
    if data["fingerprint"] == story.fingerprint:
        assert loaded.lost == [] and session.scene_id == data["scene"]
        assert {k: v for k, v in session.vars.items() if k != "role"} == data["vars"]
    if not session.ending:
        first = next(c for c in session.choices() if c.available)
        session.choose(first.id)
        assert session.path[-1] == f"{session.history[-1].scene_id}.{first.id}"
