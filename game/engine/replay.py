"""The historical path of a role, beat by beat: what `candid replay` walks and prints.

A beat is one scene of the path as history met it: its resolved text, the choice history took,
the options history did not take, and the sources. The walk goes through a real Session, so
replay shows exactly what a player taking history's choices would see, and any beat's session
can be handed on to normal play ("what if?").
"""

from __future__ import annotations

import weakref
from dataclasses import dataclass
from typing import TYPE_CHECKING

from .compiler import CompiledScene, Story
from .record import Label
from .session import ChoiceView, Paragraph, Session

if TYPE_CHECKING:
    from .models import History


@dataclass(frozen=True, slots=True)
class Beat:
    scene_id: str
    act: int
    title: str
    header: str
    label: Label | None
    paragraphs: list[Paragraph]
    taken: ChoiceView | None
    """History's choice here (None on the ending)."""
    others: list[ChoiceView]
    """The options history did not take, open or locked at this point."""
    history: History | None


@dataclass(frozen=True, slots=True)
class Walk:
    beats: list[Beat]
    problems: list[str]
    session: Session
    """The session at the end of the walk (at the historical ending when the path is whole)."""


def beat_of(session: Session) -> Beat:
    scene = session.scene
    views = session.choices(include_locked=True)
    taken = next((c for c in views if c.historical), None)
    return Beat(
        scene_id=scene.id,
        act=scene.model.act,
        title=scene.model.title,
        header=session.header,
        label=scene.model.label,
        paragraphs=session.paragraphs(),
        taken=taken,
        others=[c for c in views if not c.historical],
        history=scene.model.history,
    )


def walk_history(story: Story, role: str) -> Walk:
    """Follow history's choices from the role's start to the end of the path."""
    session = Session.new(story, role)
    beats = [beat_of(session)]
    problems: list[str] = []
    seen = {session.scene_id}
    while session.ending is None:
        taken = beats[-1].taken
        if taken is None:
            problems.append(f"scene {session.scene_id!r} has no historical choice")
            break
        if not taken.available:
            problems.append(f"historical choice {session.scene_id}.{taken.id} is locked on the historical path")
            break
        session.choose(taken.id)
        if session.scene_id in seen:
            problems.append(f"the historical path loops back to {session.scene_id!r}")
            break
        seen.add(session.scene_id)
        beats.append(beat_of(session))
    ending = session.ending
    if ending is not None and not ending.historical:
        problems.append(f"the historical path ends in {session.scene_id!r}, which is not a historical ending")
    return Walk(beats, problems, session)


def historical_path(story: Story, role: str) -> tuple[list[CompiledScene], list[str]]:
    """The scenes of a role's historical path, and the problems that break it.

    Walked once per story and role: a loaded story never changes, and the play screen asks on
    every step. Remembered as ids, so no story is kept alive by it."""
    known = _WALKED.get(id(story))
    if known is None or known[0]() is not story:
        for key in [k for k, (ref, _) in _WALKED.items() if ref() is None]:
            del _WALKED[key]
        known = _WALKED[id(story)] = (weakref.ref(story), {})
    found = known[1].get(role)
    if found is None:
        walk = walk_history(story, role)
        found = known[1][role] = (tuple(b.scene_id for b in walk.beats), tuple(walk.problems))
    return [story.scenes[scene_id] for scene_id in found[0]], list(found[1])


_WALKED: dict[int, tuple[weakref.ref[Story], dict[str, tuple[tuple[str, ...], tuple[str, ...]]]]] = {}
