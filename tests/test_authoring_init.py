"""`candid init` starts a story from nothing; `candid new` writes a scene others already lead to."""

from __future__ import annotations

from pathlib import Path

import pytest
from authoring_support import STORY_HEAD, run, scene, write_story

from game.engine.compiler import load_story
from game.engine.play import Game
from game.engine.session import Session


@pytest.fixture(autouse=True)
def _home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CANDID_HOME", str(tmp_path / "home"))


def test_init_writes_a_story_that_passes_check_strict(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    folder = tmp_path / "Night Train"
    code, out, _ = run(capsys, "init", str(folder))
    assert code == 0 and "next: `candid play" in out
    assert sorted(p.name for p in folder.iterdir()) == ["opening.yaml", "scene.schema.json", "story.schema.json", "story.yaml"]
    code, out, _ = run(capsys, "check", "--strict", str(folder))
    assert code == 0, out
    story = load_story(folder)
    assert story.id == "night_train" and story.meta.title == "Night train" and story.fiction
    game = Game(Session.new(story))
    game.choose("look")
    game.choose("leave")
    assert game.session.ending is not None


def test_init_never_replaces_a_file(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    folder = tmp_path / "mine"
    folder.mkdir()
    (folder / "story.yaml").write_text("my own work\n")
    code, _, err = run(capsys, "init", str(folder))
    assert code == 1 and "story.yaml already exists" in err
    assert (folder / "story.yaml").read_text() == "my own work\n"
    assert sorted(p.name for p in folder.iterdir()) == ["story.yaml"]


def test_new_writes_the_scene_a_goto_is_waiting_for(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    story = STORY_HEAD + "    b: {name: B, description: Role b, start: one}\n"
    scenes = "scenes:\n" + scene("one", "{id: go, text: Go, goto: cellar}", roles="[b]")
    folder = write_story(tmp_path / "s", story, scenes)
    code, out, _ = run(capsys, "check", str(folder))
    assert code == 1 and "no scene 'cellar'" in out
    code, out, err = run(capsys, "new", "cellar", "--story", str(folder))
    assert code == 0, err
    created = load_story(folder).scenes["cellar"]
    assert created.model.roles == ["b"]  # the role of the scene that leads there
    assert run(capsys, "check", str(folder))[0] == 0


def test_new_still_refuses_a_story_broken_in_other_ways(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    scenes = "scenes:\n" + scene("one", "{id: go, text: Go, goto: cellar}", "{id: up, text: Up, goto: attic}")
    folder = write_story(tmp_path / "s", STORY_HEAD, scenes)
    code, _, err = run(capsys, "new", "cellar", "--story", str(folder))
    assert code == 1 and "no scene 'attic'" in err
    assert not (folder / "cellar.yaml").exists()
