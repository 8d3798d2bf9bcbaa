"""`candid init [DIR]`: a new story from nothing, small enough to read in a minute, that passes
`check --strict` and shows the shape of the format (a role, a variable, text that depends on it,
a once-only choice with a reply, an ending), with the JSON Schemas beside it for the editor."""

from __future__ import annotations

import re
from pathlib import Path

from .errors import CandidError
from .scaffold import SCENE_SCHEMA, STORY_SCHEMA, scene_schema, schema_text, story_schema
from .storyfiles import STORY_FILE, display_name

SCENES_FILE = "opening.yaml"

_STORY = """\
# yaml-language-server: $schema={schema}
# The story's settings. Every key is explained in docs/AUTHORING.md (or `candid schema --markdown`).
story:
  id: {id}
  title: {title}
  version: "0.1"
  premise: "One line on what the story is about: shown before the player picks a role."
  acts:
    1: The beginning
  roles:
    reader:
      name: The reader
      description: "Who the player is in this story, in a sentence or two."
      start: opening
  variables:
    curious:
      type: bool
      default: false
      description: The player looked around before leaving.
"""

_SCENES = """\
# yaml-language-server: $schema={schema}
# Scenes: add more here or in other .yaml files of this folder (`candid new SCENE_ID` writes one).
scenes:
  - id: opening
    act: 1
    title: The opening
    roles: [reader]
    text:
      - "Write your first scene here. Each item of `text` is a paragraph."
      - "{{if curious}}You have seen what there is to see.{{else}}There is more here than meets the eye.{{end}}"
    choices:
      - id: look
        text: Look around
        once: true
        goto: opening
        effects: {{set: {{curious: true}}}}
        reply: "You take your time, and notice *everything*."
      - id: leave
        text: "{{if curious}}Leave, having seen it all{{else}}Leave at once{{end}}"
        goto: farewell

  - id: farewell
    act: 1
    title: The end
    roles: [reader]
    text: "Every story needs at least one ending; replace this one with yours."
    ending:
      title: The end
      epilogue: "What became of everyone, in a paragraph."
"""


def _story_id(folder: Path) -> str:
    words = re.findall(r"[a-z0-9]+", folder.name.lower())
    ident = "_".join(words)[:60]
    return ident if ident[:1].isalpha() else f"story_{ident}".rstrip("_")


def init_story(folder: Path) -> list[Path]:
    """Write a new story into `folder` (created if needed); returns the files written.

    Refuses a folder that already holds a story.yaml or any of the files it would write: nothing
    an author wrote is ever replaced."""
    folder = folder.resolve()
    if folder.exists() and not folder.is_dir():
        raise CandidError(f"{display_name(folder)} is not a folder")
    story_path, scenes_path = folder / STORY_FILE, folder / SCENES_FILE
    planned = [
        (story_path, _STORY.format(schema=STORY_SCHEMA, id=_story_id(folder), title=_title(folder))),
        (scenes_path, _SCENES.format(schema=SCENE_SCHEMA)),
        (folder / SCENE_SCHEMA, schema_text(scene_schema())),
        (folder / STORY_SCHEMA, schema_text(story_schema())),
    ]
    taken = [path for path, _ in planned if path.exists()]
    if taken:
        names = ", ".join(display_name(p) for p in taken)
        raise CandidError(f"{names} already exist{'s' if len(taken) == 1 else ''}: `init` never replaces a file; choose another folder")
    folder.mkdir(parents=True, exist_ok=True)
    for path, text in planned:
        with path.open("x", encoding="utf-8") as fh:
            fh.write(text)
    return [path for path, _ in planned]


def _title(folder: Path) -> str:
    words = re.findall(r"[A-Za-z0-9]+", folder.name)
    title = " ".join(words).capitalize() if words else "A new story"
    return '"' + title + '"'


__all__ = ["SCENES_FILE", "init_story"]
