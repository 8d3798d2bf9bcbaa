"""`candid schema`: the committed schema files and the guide's reference stay in step with the models."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from authoring_support import DOCS, run

from game.engine import scaffold


@pytest.fixture(autouse=True)
def _home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CANDID_HOME", str(tmp_path / "home"))


@pytest.mark.parametrize(("name", "make"), [("scene.schema.json", scaffold.scene_schema), ("story.schema.json", scaffold.story_schema)])
def test_committed_schema_matches_models(name: str, make: object) -> None:
    assert callable(make)
    committed = (DOCS / name).read_text(encoding="utf-8")
    assert committed == scaffold.schema_text(make()), f"docs/{name} is stale: run `python -m game schema --write docs`"


def test_guide_reference_matches_models() -> None:
    guide = (DOCS / "AUTHORING.md").read_text(encoding="utf-8")
    assert scaffold.REFERENCE_START in guide
    assert scaffold.replace_reference(guide, scaffold.reference_markdown()) == guide, "run `python -m game schema --write docs`"


def test_field_docstrings_become_descriptions() -> None:
    schema = scaffold.scene_schema()
    choice = schema["$defs"]["Choice"]["properties"]
    assert choice["historical"]["description"].startswith("This is what really happened")
    assert "if" in choice and "if_" not in choice
    assert schema["$defs"]["Choice"]["additionalProperties"] is False


def test_reference_lists_every_field_once() -> None:
    text = scaffold.reference_markdown()
    assert "| `locked_reason` |" in text
    assert "| `historical_paths` |" in text
    assert text.count("#### `Scene`") == 1


def test_cli_prints_both_schemas(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "schema")
    assert code == 0 and json.loads(out)["title"] == "Candid scene file"
    code, out, _ = run(capsys, "schema", "--story-file")
    assert code == 0 and "story" in json.loads(out)["properties"]
    code, out, _ = run(capsys, "schema", "--markdown")
    assert code == 0 and out.startswith("#### `StoryFile`")


def test_write_regenerates_files_and_reference(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    guide = tmp_path / "AUTHORING.md"
    guide.write_text(f"intro\n{scaffold.REFERENCE_START}\nSTALE TABLE\n{scaffold.REFERENCE_END}\noutro\n", encoding="utf-8")
    code, out, _ = run(capsys, "schema", "--write", str(tmp_path))
    assert code == 0
    assert json.loads((tmp_path / "scene.schema.json").read_text())["title"] == "Candid scene file"
    assert (tmp_path / "story.schema.json").is_file()
    text = guide.read_text()
    assert "STALE TABLE" not in text and "| `goto` |" in text and text.endswith("outro\n")
    assert "AUTHORING.md" in out
