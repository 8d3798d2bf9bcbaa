"""`candid schema`: the committed schema files and the guide's reference stay in step with the models."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
import yaml
from authoring_support import DOCS, run, stories

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


def _validator(name: str) -> Any:
    jsonschema = pytest.importorskip("jsonschema")
    schema = json.loads((DOCS / name).read_text(encoding="utf-8"))
    return jsonschema.Draft202012Validator(schema)


@pytest.mark.parametrize("story", stories(), ids=lambda p: p.name)
def test_shipped_files_validate_against_the_schemas(story: Path) -> None:
    """What the editor sees: every shipped file is valid against the committed schemas."""
    scene_validator, story_validator = _validator("scene.schema.json"), _validator("story.schema.json")
    for path in sorted(story.rglob("*.yaml")):
        if "translations" in path.relative_to(story).parts:
            continue  # translation files are not scene files (see engine/translations.py)
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        validator = story_validator if path.name == "story.yaml" else scene_validator
        errors = [e.message for e in validator.iter_errors(data)]
        assert errors == [], f"{path}: {errors[:3]}"


def test_schema_flags_what_an_editor_should() -> None:
    validator = _validator("scene.schema.json")
    good = {"scenes": [{"id": "a", "act": 1, "title": "A", "roles": ["r"], "label": "dramatised", "text": "T", "choices": []}]}
    assert list(validator.iter_errors(good)) == []
    misspelt = {"scenes": [{**good["scenes"][0], "chioces": []}]}
    assert any("chioces" in e.message for e in validator.iter_errors(misspelt))
    bad_label = {"scenes": [{**good["scenes"][0], "label": "true story"}]}
    assert any("true story" in e.message for e in validator.iter_errors(bad_label))
