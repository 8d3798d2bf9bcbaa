"""The coverage search remembered: `check` after an edit that changes no rule of play (a passage
reworded, a title, a date) reuses the last search instead of running it again.

The search reads the play graph only: scenes and their choices' targets, conditions, effects and
flags, the variables, the roles' starts. Its result is kept with a digest of exactly that (and of
the engine's code), as JSON, in the cache folder (`cache.py`). Its diagnostics are kept pointing
at scenes and choices by id, not at lines, so that an edit which moves lines about still gets
them at the right places; a diagnostic that cannot be pointed at that way is never kept.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable, Iterable
from contextlib import suppress
from pathlib import Path
from typing import Any

from .cache import FORMAT, cache_home, engine_key, read_envelope, story_key, write_atomic
from .compiler import Story, Where
from .errors import Diagnostic, Severity

_CHOICE_FIELDS = {"id", "goto", "call", "return_", "if_", "once", "fallback", "effects"}
_SCENE_FIELDS: Any = {"id": True, "roles": True, "weight": True, "effects": True, "choices": {"__all__": _CHOICE_FIELDS}}


def play_key(story: Story) -> str:
    """A digest of everything the search reads, and nothing it does not (text, titles, dates),
    with the search's own limits."""
    from . import explore

    limits = (explore.MAX_STATES, explore.TIME_BUDGET, explore.SAMPLE_RUNS, explore.SAMPLE_BUDGET)
    digest = hashlib.sha256(repr(limits).encode())
    digest.update(story.meta.model_dump_json(include={"variables", "roles"}).encode())
    for scene in story.scenes.values():
        digest.update(scene.model.model_dump_json(include=_SCENE_FIELDS).encode())
        digest.update(b"E" if scene.ending is not None else b"-")
    return digest.hexdigest()


def remembered(story: Story, search: Callable[[Story], Iterable[Diagnostic]], variant: str = "") -> list[Diagnostic]:
    """`search(story)`'s diagnostics, from the cache when the play graph is unchanged."""
    home = cache_home()
    if home is None:
        return list(search(story))
    path = home / "search" / f"{story_key(Path(story.folder))}{variant}.json"
    key = play_key(story)
    places = _places(story)
    envelope = read_envelope(path)
    if envelope is not None and envelope.get("play") == key:
        with suppress(KeyError, TypeError, ValueError):
            return [_placed(places, item) for item in envelope["diagnostics"]]
    found = list(search(story))
    refs = {where: ref for ref, where in places.items()}
    kept = [[refs.get(Where(d.file, d.line, d.col)), d.severity.value, d.code, d.message] for d in found]
    if all(item[0] is not None for item in kept):
        with suppress(OSError):
            write_atomic(path, json.dumps({"format": FORMAT, "engine": engine_key(), "play": key, "diagnostics": kept}))
    return found


def _places(story: Story) -> dict[str, Where]:
    """Every place the search may point at, by a name that survives edits elsewhere in the file."""
    from .storyfiles import STORY_FILE, display_name

    places = {"story": Where(display_name(Path(story.folder) / STORY_FILE), 1, 1)}
    for scene in story.scenes.values():
        places[f"scene:{scene.id}"] = scene.where
        for choice in scene.choices:
            places[f"choice:{choice.key}"] = choice.where
    return places


def _placed(places: dict[str, Where], item: list[Any]) -> Diagnostic:
    ref, severity, code, message = item
    where = places[ref]
    if not (isinstance(code, str) and isinstance(message, str)):
        raise TypeError("not a diagnostic we wrote")
    return Diagnostic(where.file, where.line, where.col, Severity(severity), code, message)


__all__ = ["play_key", "remembered"]
