"""The coverage search remembered: `check` after an edit that changes no rule of play (a passage
reworded, a title, a date) reuses the last search instead of running it again.

The search reads the play graph only: scenes and their choices' targets, conditions, effects and
flags, the variables, the roles' starts. Its result (the exploration, counted in states, and the
coverage diagnostics drawn from it, a sample's included) is kept with a digest of exactly that, of
the search's budget and of the engine's code, as JSON, in the cache folder (`cache.py`). Its
diagnostics are kept pointing at scenes and choices by id, not at lines, so that an edit which
moves lines about still gets them at the right places; a result with a diagnostic that cannot be
pointed at that way is never kept.
"""

from __future__ import annotations

import hashlib
import json
from contextlib import suppress
from pathlib import Path
from typing import Any

from .cache import FORMAT, cache_home, engine_key, read_envelope, story_key, write_atomic
from .compiler import Story, Where
from .errors import Diagnostic, Severity
from .explore import Exploration, coverage, explore_states


def play_key(story: Story, max_states: int) -> str:
    """A digest of everything the search reads, and nothing it does not (text, titles, dates),
    with the search's own limits: each scene's part is `Facts.play`."""
    from . import explore

    limits = (max_states, explore.SAMPLE_RUNS, explore.SAMPLE_SCENE_STEPS)
    digest = hashlib.sha256(repr(limits).encode())
    digest.update(story.meta.model_dump_json(include={"variables", "roles"}).encode())
    for facts in story.facts.values():
        digest.update(facts.play.encode())
    return digest.hexdigest()


def searched(story: Story, max_states: int) -> tuple[Exploration, list[Diagnostic]]:
    """`explore_states` and the `coverage` diagnostics drawn from it, from the cache when the play
    graph and the budget are unchanged."""
    home = cache_home()
    if home is None:
        found = explore_states(story, max_states)
        return found, list(coverage(story, found))
    path = home / "search" / f"{story_key(Path(story.folder))}.json"
    key = play_key(story, max_states)
    places = _places(story)
    envelope = read_envelope(path)
    if envelope is not None and envelope.get("play") == key:
        with suppress(KeyError, TypeError, ValueError):
            return _exploration(envelope["found"]), [_placed(places, item) for item in envelope["diagnostics"]]
    found = explore_states(story, max_states)
    diags = list(coverage(story, found))
    refs = {where: ref for ref, where in places.items()}
    kept = [[refs.get(Where(d.file, d.line, d.col)), d.severity.value, d.code, d.message] for d in diags]
    if all(item[0] is not None for item in kept):
        saved = {
            "exhaustive": found.exhaustive,
            "states": found.states,
            "reached": sorted(found.reached),
            "taken": sorted(found.taken),
            "stuck": found.stuck,
            "limit": found.limit,
        }
        with suppress(OSError):
            write_atomic(path, json.dumps({"format": FORMAT, "engine": engine_key(), "play": key, "found": saved, "diagnostics": kept}))
    return found, diags


def _exploration(saved: dict[str, Any]) -> Exploration:
    """An exploration as `searched` wrote it; TypeError or ValueError on anything else."""
    stuck = saved["stuck"]
    if not (isinstance(stuck, dict) and all(isinstance(p, list) and all(isinstance(k, str) for k in p) for p in stuck.values())):
        raise TypeError("not an exploration we wrote")
    found = Exploration(bool(saved["exhaustive"]), int(saved["states"]), set(saved["reached"]), set(saved["taken"]), stuck)
    found.limit = str(saved["limit"])
    if not all(isinstance(k, str) for k in found.reached | found.taken):
        raise TypeError("not an exploration we wrote")
    return found


def _places(story: Story) -> dict[str, Where]:
    """Every place the search may point at, by a name that survives edits elsewhere in the file."""
    from .storyfiles import STORY_FILE, display_name

    places = {"story": Where(display_name(Path(story.folder) / STORY_FILE), 1, 1)}
    for scene_id, facts in story.facts.items():
        places[f"scene:{scene_id}"] = facts.where
        for move, where in zip(story.graph.moves(scene_id), facts.places, strict=True):
            places[f"choice:{move.key}"] = where
    return places


def _placed(places: dict[str, Where], item: list[Any]) -> Diagnostic:
    ref, severity, code, message = item
    where = places[ref]
    if not (isinstance(code, str) and isinstance(message, str)):
        raise TypeError("not a diagnostic we wrote")
    return Diagnostic(where.file, where.line, where.col, Severity(severity), code, message)


__all__ = ["play_key", "searched"]
