"""Rows for the timelines: the record (the role's historical path) and the player's own path."""

from __future__ import annotations

from datetime import datetime

from ..engine.compiler import CompiledScene, Story
from ..engine.models import Label, parse_when
from ..engine.replay import historical_path
from ..engine.session import Session

Entry = tuple[str, str]


def short_when(scene: CompiledScene, year: bool = False) -> str:
    """`15 Nov` (or `15 Nov 2022`), `Nov 2022` for a month only; "" for an undated scene."""
    when = scene.model.when
    if not when:
        return ""
    moment = parse_when(when)
    if len(when) == 7:
        return f"{moment:%b %Y}"
    text = f"{moment.day} {moment:%b}" + (f" {moment:%Y}" if year else "")
    return f"~{text}" if scene.model.approximate else text


def record_scenes(story: Story, role: str, until: datetime | None = None) -> list[CompiledScene]:
    """The historical scenes on the role's historical path, up to `until` when given."""
    scenes, _problems = historical_path(story, role)
    result = []
    for scene in scenes:
        when = scene.model.when
        if scene.model.label is not Label.HISTORICAL or not when:
            continue
        if until is not None and parse_when(when) > until:
            continue
        result.append(scene)
    return result


def record_rows(story: Story, role: str, until: datetime | None = None, *, year: bool = False, choices: bool = False) -> list[Entry]:
    rows = []
    for scene in record_scenes(story, role, until):
        text = scene.model.title
        hist = scene.historical_choice
        if choices and hist is not None:
            text += f" → {hist.model.text}"
        if choices and scene.ending is not None:
            text += f" (ending: {scene.ending.title})"
        rows.append((short_when(scene, year), text))
    return rows


def path_rows(session: Session, *, year: bool = False, choices: bool = False) -> list[Entry]:
    rows = []
    for step in session.history:
        scene = session.story.scenes[step.scene_id]
        text = scene.model.title + (f" → {step.choice_text}" if choices else "")
        if choices and step.departed:
            text += " (left history)"
        rows.append((short_when(scene, year), text))
    current = session.scene
    text = current.model.title
    if choices and current.ending is not None:
        text += f" (ending: {current.ending.title})"
    rows.append((short_when(current, year), text))
    return rows
