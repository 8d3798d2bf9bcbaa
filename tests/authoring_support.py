"""Shared helpers for the authoring-tool tests (kept out of conftest.py, which others edit)."""

from __future__ import annotations

import io
import textwrap
from pathlib import Path

import pytest

from game.cli import main
from game.engine import StoryError
from game.engine.compiler import load_story

ROOT = Path(__file__).resolve().parents[1]
TINY = ROOT / "tests" / "stories" / "tiny"
EXAMPLE = ROOT / "examples" / "night_ferry"
CLOCKWORK = ROOT / "examples" / "clockwork"
"""The second example: fiction, written with every construct of the story language."""
BUILTIN = ROOT / "scenes"
DOCS = ROOT / "docs"


def stories() -> list[Path]:
    """The stories every tool must handle: the fixture, the example, and the built-in story once it loads.

    The built-in story is assembled from several branches; while it is incomplete it does not load,
    and its own tests (not these) say so.
    """
    found = [TINY, EXAMPLE, CLOCKWORK]
    try:
        load_story(BUILTIN)
    except StoryError:
        return found
    return [*found, BUILTIN]


STORY_HEAD = """\
story:
  id: t
  title: T
  version: "1.0"
  roles:
    a: {name: A, description: Role a, start: one}
"""


def write_story(folder: Path, story: str, scenes: str) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "story.yaml").write_text(textwrap.dedent(story), encoding="utf-8")
    (folder / "scenes.yaml").write_text(textwrap.dedent(scenes), encoding="utf-8")
    return folder


def scene(scene_id: str, *choices: str, ending: bool = False, roles: str = "[a]") -> str:
    """One scene as YAML; each choice is a flow mapping such as `{id: x, text: X, goto: y}`."""
    head = f"  - id: {scene_id}\n    act: 1\n    title: {scene_id.title()}\n    roles: {roles}\n    label: dramatised\n    text: Text.\n"
    if ending:
        return head + f"    ending: {{title: {scene_id.title()}, epilogue: Then.}}\n"
    return head + "    choices:\n" + "".join(f"      - {c}\n" for c in choices)


def run(capsys: pytest.CaptureFixture[str], *argv: str, stdin: str = "") -> tuple[int, str, str]:
    """Run the CLI in-process; returns (exit code, stdout, stderr)."""
    mp = pytest.MonkeyPatch()
    mp.setattr("sys.stdin", io.StringIO(stdin))
    try:
        code = main(list(argv))
    finally:
        mp.undo()
    out, err = capsys.readouterr()
    return code, out, err
