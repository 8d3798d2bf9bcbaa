"""`candid new`: a scaffolded scene passes `check`, and nothing is ever overwritten or escapes the story."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from authoring_support import DOCS, EXAMPLE, TINY, run, scene

from game.engine import CandidError
from game.engine.checks import check_story
from game.engine.compiler import load_story
from game.engine.scaffold import SCENE_SCHEMA, new_scene


@pytest.fixture(autouse=True)
def _home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CANDID_HOME", str(tmp_path / "home"))


@pytest.fixture(params=[TINY, EXAMPLE], ids=["tiny", "example"])
def story(request: pytest.FixtureRequest, tmp_path: Path) -> Path:
    return Path(shutil.copytree(request.param, tmp_path / "story"))


def test_new_scene_passes_check(story: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(capsys, "new", "fresh_scene", "--story", str(story))
    assert code == 0, err
    path = story / "fresh_scene.yaml"
    assert path.is_file() and str(path) in out
    report = check_story(story)
    assert report.errors == []
    loaded = load_story(story)
    scene = loaded.scenes["fresh_scene"]
    first_role = next(iter(loaded.meta.roles))
    assert scene.choices[0].goto == loaded.meta.roles[first_role].start
    assert [d.code for d in report.warnings if "fresh_scene" in d.message] == ["unreachable"]


def test_new_ending_for_a_role(story: Path) -> None:
    role = list(load_story(story).meta.roles)[-1]
    path = new_scene("last_word", story, role=role, ending=True)
    assert check_story(story).errors == []
    scene = load_story(story).scenes["last_word"]
    assert scene.ending is not None and scene.model.roles == [role]
    assert path.parent == story


def test_schema_line_points_at_a_schema(story: Path) -> None:
    path = new_scene("with_schema", story)
    first = path.read_text(encoding="utf-8").splitlines()[0]
    assert first.startswith("# yaml-language-server: $schema=")
    target = (path.parent / first.split("=", 1)[1]).resolve()
    assert target.is_file() and target.name == SCENE_SCHEMA


def test_schema_line_uses_repository_docs_inside_checkout() -> None:
    from game.engine.scaffold import _schema_path

    assert _schema_path(EXAMPLE.resolve()) == (DOCS / SCENE_SCHEMA).resolve()


def test_refuses_existing_id(story: Path, capsys: pytest.CaptureFixture[str]) -> None:
    existing = next(iter(load_story(story).scenes))
    before = sorted(p.name for p in story.iterdir())
    code, _, err = run(capsys, "new", existing, "--story", str(story))
    assert code == 1 and "already exists" in err and "Traceback" not in err
    assert sorted(p.name for p in story.iterdir()) == before


def test_refuses_to_overwrite_a_file(story: Path) -> None:
    first = load_story(story)
    role = next(iter(first.meta.roles))
    ending = next(s for s in first.scenes.values() if s.ending).id
    body = scene("memo", f"{{id: on_, text: Go, goto: {ending}}}", roles=f"[{role}]").replace(
        "act: 1", f"act: {min(first.meta.acts or [1])}"
    )
    original = "# a file named unlike its scene\nscenes:\n" + body
    (story / "notes.yaml").write_text(original, encoding="utf-8")
    assert check_story(story).errors == []
    with pytest.raises(CandidError, match="already exists"):
        new_scene("notes", story)
    assert (story / "notes.yaml").read_text() == original


@pytest.mark.parametrize("bad", ["Capital", "1st", "a-b", "../evil", "x" * 65, "trailing\n"])
def test_refuses_bad_ids(story: Path, bad: str) -> None:
    with pytest.raises(CandidError, match="not a valid scene id"):
        new_scene(bad, story)


def test_refuses_dir_outside_the_story(story: Path) -> None:
    with pytest.raises(CandidError, match="outside the story folder"):
        new_scene("escape", story, folder="../elsewhere")
    assert not (story.parent / "elsewhere").exists()


def test_writes_into_a_sub_folder(story: Path) -> None:
    path = new_scene("deeper", story, folder="more")
    assert path == story / "more" / "deeper.yaml"
    assert check_story(story).errors == []


def test_respects_the_files_list(tmp_path: Path) -> None:
    story = Path(shutil.copytree(TINY, tmp_path / "story"))
    meta = story / "story.yaml"
    meta.write_text(meta.read_text().replace("  tz: PT\n", "  tz: PT\n  files: [scenes.yaml, endings.yaml]\n"))
    with pytest.raises(CandidError, match="`files` does not include"):
        new_scene("orphan", story, folder="extra/deeper")
    assert not (story / "extra").exists()
    assert not (story / SCENE_SCHEMA).exists()


def test_unknown_role(story: Path) -> None:
    with pytest.raises(CandidError, match="no role 'nobody'"):
        new_scene("x", story, role="nobody")
