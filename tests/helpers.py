"""Small story-building helpers shared by the tests (fixtures live in conftest.py)."""

from __future__ import annotations

import textwrap
from pathlib import Path

MINI_STORY = """\
story:
  id: mini
  title: Mini
  version: "1.0"
  roles:
    hero: {name: Hero, description: The only role., start: start}
  variables:
    trust: {type: int, default: 5, min: 0, max: 10}
    mood: {type: str, default: calm}
"""


def write_story(folder: Path, story: str = MINI_STORY, **files: str | bytes) -> Path:
    """A story folder: story.yaml plus scene files given as name=text (dedented) or bytes."""
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "story.yaml").write_text(textwrap.dedent(story))
    for name, content in files.items():
        path = folder / f"{name}.yaml"
        if isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_text(textwrap.dedent(content))
    return folder
