"""YAML's indentation errors in plain words, and errors that name scenes and choices by id."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest
from authoring_support import STORY_HEAD, scene, write_story

from game.engine import StoryError
from game.engine.compiler import load_story


def _first_error(tmp_path: Path, scenes: str) -> str:
    folder = write_story(tmp_path / "y", STORY_HEAD, textwrap.dedent(scenes))
    with pytest.raises(StoryError) as caught:
        load_story(folder)
    return str(caught.value.diagnostics[0])


@pytest.mark.parametrize(
    ("scenes", "where", "words"),
    [
        (
            "scenes:\n  - id: one\n    title: One\n     text: Hello\n",
            "scenes.yaml:4:10",
            "this line is indented further than the line above (column 6, not 5)",
        ),
        (
            "scenes:\n  - id: one\n    title: One\n   text: Hello\n",
            "scenes.yaml:4:4",
            "this line starts in column 4, which lines up with no key above it (the line above starts its key in column 5)",
        ),
        (
            "scenes:\n  - id: one\n    title: One\n  text: Hello\n",
            "scenes.yaml:4:3",
            "this key starts in column 3, where the list's items (`- `) start",
        ),
        ("scenes:\n  - id: one\n    text: She said: go\n", "scenes.yaml:3:19", "a second `: ` on this line"),
        (
            "scenes:\n  - id: one\n    choices:\n    - id: a\n      text: A\n      - id: b\n",
            "scenes.yaml:6:7",
            "a list item (`- `) where a key was expected",
        ),
    ],
)
def test_indentation_mistakes_are_explained(tmp_path: Path, scenes: str, where: str, words: str) -> None:
    error = _first_error(tmp_path, scenes)
    assert where in error and words in error
    assert "(YAML: " in error  # the parser's own words stay, for searching


def test_errors_name_scenes_and_choices_by_id(tmp_path: Path) -> None:
    scenes = "scenes:\n" + scene("one", "{id: go, text: Go, goto: two}") + scene("two", '{id: back, text: Back, goto: one, if: "nope"}')
    error = _first_error(tmp_path, scenes)
    assert "scenes[two].choices[back].if: unknown variable 'nope'" in error
    unknown = "scenes:\n" + scene("one", "{id: go, text: Go, goto: one, colour: red}")
    assert "scenes[one].choices[go]: unknown key `colour`" in _first_error(tmp_path, unknown)
