"""What a translation of a story translates: every player-facing string, with a stable key and a hash.

A key names where a string sits in the story (`title`, `text.2`, `text.2.else`, `choice.ship`,
`choice.ship.locked`, `choice.ship.reply`, `history.summary`, `ending.epilogue`, …), never its words, so an edit keeps
the key and changes only the hash. A translation entry stores the hash of the source text it was
made from; when the two differ, the entry is stale.

Translation files sit beside the story, one per locale and source file:
`translations/<locale>/<same path as the scene file>.yaml`, mapping scene id → key → entry
(`{hash: …, text: …}`); story.yaml's strings sit under the pseudo-scene `story`.
Source titles and outlets stay as published and are not translated.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from pathlib import Path

from .loader import read_source
from .models import Passage, Scene, StoryMeta

TRANSLATIONS = "translations"
STORY_KEY = "story"
"""The pseudo-scene under which story.yaml's strings (title, acts, roles, variables) are kept."""


def source_hash(text: str) -> str:
    """The short hash an entry carries of the source text it translates."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:8]


def scene_strings(scene: Scene) -> Iterator[tuple[str, str]]:
    """(key, source text) for every player-facing string of a scene, in reading order."""
    yield "title", scene.title
    if scene.place:
        yield "place", scene.place
    if isinstance(scene.text, str):
        yield "text", scene.text
    else:
        for i, item in enumerate(scene.text):
            if isinstance(item, Passage):
                yield f"text.{i}", item.text
                if item.else_:
                    yield f"text.{i}.else", item.else_
            else:
                yield f"text.{i}", item
    if scene.history:
        yield "history.summary", scene.history.summary
    for choice in scene.choices:
        yield f"choice.{choice.id}", choice.text
        if choice.locked_reason:
            yield f"choice.{choice.id}.locked", choice.locked_reason
        if choice.reply:
            yield f"choice.{choice.id}.reply", choice.reply
        if choice.note:
            yield f"choice.{choice.id}.note", choice.note
    if scene.ending:
        yield "ending.title", scene.ending.title
        yield "ending.epilogue", scene.ending.epilogue


def story_strings(meta: StoryMeta) -> Iterator[tuple[str, str]]:
    """(key, source text) for story.yaml's player-facing strings."""
    yield "title", meta.title
    if meta.premise:
        yield "premise", meta.premise
    for number, name in meta.acts.items():
        yield f"act.{number}", name
    for role_id, role in meta.roles.items():
        yield f"role.{role_id}.name", role.name
        yield f"role.{role_id}.description", role.description
    for name, var in meta.variables.items():
        if var.label:
            yield f"var.{name}.label", var.label
        if var.description:
            yield f"var.{name}.description", var.description


def source_strings(folder: Path) -> dict[str, dict[str, dict[str, str]]]:
    """Source file (relative to the story folder) → scene id → key → source text."""
    source = read_source(folder)
    result: dict[str, dict[str, dict[str, str]]] = {}
    meta_rel = _relative(folder, source.meta_file)
    result[meta_rel] = {STORY_KEY: dict(story_strings(source.meta))}
    for item in source.scenes:
        result.setdefault(_relative(folder, item.file), {})[item.scene.id] = dict(scene_strings(item.scene))
    return result


def _relative(folder: Path, file: str) -> str:
    path = Path(file)
    try:
        return path.resolve().relative_to(folder.resolve()).as_posix()
    except ValueError:
        return path.name


def skeleton_text(rel: str, scenes: dict[str, dict[str, str]], locale: str, done: dict[str, dict[str, object]] | None = None) -> str:
    """A translation file for one source file: every entry not in `done`, with its source as a comment.

    The translator replaces each `text: ""`; `hash` says which English the entry was made from.
    """
    lines = [
        f"# {locale} translation of {rel}: for each scene, key → the hash of the English it translates and",
        "# the translated text. `candid check` reports entries that are missing or whose English has changed.",
    ]
    for scene_id, strings in scenes.items():
        todo = [(key, text) for key, text in strings.items() if key not in (done or {}).get(scene_id, {})]
        if not todo:
            continue
        lines.append(f"{scene_id}:")
        for key, text in todo:
            lines.append(f"  {key}:")
            lines.extend(f"    # {line}".rstrip() for line in text.splitlines() or [""])
            lines.append(f'    hash: "{source_hash(text)}"')
            lines.append('    text: ""')
    return "\n".join(lines) + "\n"
