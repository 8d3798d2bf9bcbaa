"""The endings gallery: for each role, the endings it can reach, found or still locked.

A locked ending gives nothing of itself away (no title, no epilogue): its hint is where it lies,
the act and the scenes from which a choice leads there, and whether the way there has to be
opened first. A found one can be read again; its epilogue is rendered from the role's start,
since the values of the play-through that found it are not kept.
"""

from __future__ import annotations

from dataclasses import dataclass

from .analysis import static_reach
from .compiler import Story
from .session import Session
from .textlang import Runs


@dataclass(frozen=True, slots=True)
class GalleryEntry:
    """One ending of a role. `title` is None while it is locked."""

    scene_id: str
    found: bool
    title: str | None
    historical: bool
    """It is what really happened (only said once found)."""
    act: int
    act_title: str | None
    via: tuple[str, ...]
    """Titles of the scenes with a choice leading here, in story order."""
    guarded: bool
    """Every choice leading here has a condition: the way has to be opened earlier on."""


@dataclass(frozen=True, slots=True)
class RoleGallery:
    role: str
    name: str
    entries: tuple[GalleryEntry, ...]

    @property
    def found(self) -> int:
        return sum(1 for e in self.entries if e.found)


def gallery(story: Story, found: set[str]) -> list[RoleGallery]:
    """Each role's reachable endings (ignoring conditions), in story order, marked found or not."""
    leads: dict[str, list[tuple[str, bool]]] = {}
    for scene in story.scenes.values():
        for choice in scene.choices:
            for target in choice.targets:
                leads.setdefault(target, []).append((scene.id, choice.guard is not None))
    result = []
    for role_id, role in story.meta.roles.items():
        reach = static_reach(story, [role.start])
        entries = []
        for scene in story.scenes.values():
            ending = scene.ending
            if ending is None or scene.id not in reach:
                continue
            into = [(source, guarded) for source, guarded in leads.get(scene.id, []) if source in reach]
            via = tuple(dict.fromkeys(story.scenes[source].model.title for source, _ in into))
            known = scene.id in found
            entries.append(
                GalleryEntry(
                    scene.id,
                    known,
                    ending.title if known else None,
                    ending.historical and known,
                    scene.model.act,
                    story.meta.acts.get(scene.model.act),
                    via,
                    bool(into) and all(guarded for _, guarded in into),
                )
            )
        result.append(RoleGallery(role_id, role.name, tuple(entries)))
    return result


def epilogue(story: Story, role: str, scene_id: str) -> Runs:
    """A found ending's epilogue to read again, rendered from the role's start."""
    scene = story.scenes[scene_id]
    if scene.epilogue is None:
        return ()
    return Session.new(story, role).render(scene.epilogue)


__all__ = ["GalleryEntry", "RoleGallery", "epilogue", "gallery"]
