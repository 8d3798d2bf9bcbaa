"""Exhaustive exploration for `candid check`: every reachable state, when there are few enough.

A state is (scene, the variables some choice condition reads, the visit counts some choice
condition reads): nothing else can change which choices are open, so two play-throughs in the
same state have the same futures. Moves are made by the kernel (`rules.advance`) on a cursor that
holds one representative play-through per state. Breadth-first search over those states finds, exactly, the
choices that can never be taken, the scenes and endings that can never be reached, and the
places a player can get stuck. When the space is too big (a cap on states and on time), a seeded
random sample stands in and says so.
"""

from __future__ import annotations

import time
from collections import deque
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from . import rules
from .analysis import condition_reads, static_reach
from .compiler import Story, Where
from .conditions import Value
from .errors import Diagnostic, Severity
from .randomtest import run_randomtest
from .storyfiles import STORY_FILE, display_name

MAX_STATES = 200_000
TIME_BUDGET = 2.0
"""Seconds the exhaustive search may take before `check` falls back to sampling."""
SAMPLE_RUNS = 1000
SAMPLE_BUDGET = 2.0
"""Seconds the sampling may take: `check` stays quick on big stories."""

State = tuple[int, tuple[Value, ...], tuple[int, ...]]


@dataclass(slots=True)
class Exploration:
    exhaustive: bool
    states: int
    reached: set[str] = field(default_factory=set)
    taken: set[str] = field(default_factory=set)
    stuck: dict[str, list[str]] = field(default_factory=dict)
    """Scenes where some reachable state has no open choice, with the shortest path there."""
    limit: str = ""
    """Which cap stopped a search that is not exhaustive."""


def explore_states(story: Story, max_states: int = MAX_STATES, time_budget: float = TIME_BUDGET) -> Exploration:
    """Search every role's reachable states; `exhaustive` is False when a cap was hit."""
    names, tracked = condition_reads(story)
    slot = {name: i for i, name in enumerate(names)}
    vslot = {scene: i for i, scene in enumerate(tracked)}
    ids = list(story.scenes)
    index = {s: i for i, s in enumerate(ids)}
    # The kernel's moves, with their effects re-keyed to the kept variables (`rules.on_slots`).
    moves = [tuple((c.move, rules.on_slots(c.move, slot), vslot.get(c.goto, -1)) for c in s.choices) for s in story.scenes.values()]
    ending = [s.ending is not None for s in story.scenes.values()]
    result = Exploration(exhaustive=True, states=0)
    deadline = time.monotonic() + time_budget
    for role, meta in story.meta.roles.items():
        defaults = story.defaults()
        visits = [0] * len(tracked)
        if meta.start in vslot:
            visits[vslot[meta.start]] = 1
        first: State = (index[meta.start], tuple(defaults[n] for n in names), tuple(visits))
        parent: dict[State, tuple[State, str] | None] = {first: None}
        queue = deque([first])
        while queue:
            over = len(parent) + result.states > max_states
            if over or time.monotonic() > deadline:
                result.exhaustive = False
                result.limit = f"over {max_states} states" if over else f"over {time_budget:g} s"
                result.states += len(parent)
                return result
            state = queue.popleft()
            cur, values, counts = state
            result.reached.add(ids[cur])
            if ending[cur]:
                continue
            # What the guards see: the kept variables and visit counts are all any of them reads.
            scope = rules.Cursor(ids[cur], role, dict(zip(names, values, strict=True)), dict(zip(tracked, counts, strict=True)), {})
            open_moves = [m for m in moves[cur] if rules.allows(scope, m[0])]
            if not open_moves and ids[cur] not in result.stuck:
                result.stuck[ids[cur]] = _path_to(parent, state)
            for move, (adds, sets), visit in open_moves:
                result.taken.add(move.key)
                nxt = _step(values, counts, move, adds, sets, visit, index)
                if nxt not in parent:
                    parent[nxt] = (state, move.key)
                    queue.append(nxt)
        result.states += len(parent)
    return result


def _step(
    values: tuple[Value, ...], counts: tuple[int, ...], move: rules.Move, adds: Any, sets: Any, visit: int, index: dict[str, int]
) -> State:
    if adds or sets:
        kept = list(values)
        rules.apply_effects(kept, adds, sets)
        values = tuple(kept)
    if visit >= 0:
        bumped = list(counts)
        bumped[visit] += 1
        counts = tuple(bumped)
    return (index[move.dest], values, counts)


def _path_to(parent: dict[State, tuple[State, str] | None], state: State) -> list[str]:
    path: list[str] = []
    link = parent[state]
    while link is not None:
        state, key = link
        path.append(key)
        link = parent[state]
    return path[::-1]


def _warn(where: Where, code: str, message: str, severity: Severity = Severity.WARNING) -> Diagnostic:
    return Diagnostic(where.file, where.line, where.col, severity, code, message)


def _shown(path: list[str], limit: int = 12) -> str:
    if not path:
        return "at the start"
    return "after " + ", ".join(path if len(path) <= limit else ["…", *path[-limit:]])


def coverage(story: Story) -> Iterator[Diagnostic]:
    """`check`'s coverage rules: exact when the state space allows, sampled (and said so) when not."""
    max_states, time_budget = MAX_STATES, TIME_BUDGET
    found = explore_states(story, max_states, time_budget)
    static = static_reach(story, [r.start for r in story.meta.roles.values()])
    if found.exhaustive:
        yield from _exact(story, found, static)
        return
    sample = run_randomtest(story, SAMPLE_RUNS, seed=0, avoid_used=True, time_budget=SAMPLE_BUDGET)
    for problem in sample.errors:
        if problem.kind == "stuck":
            yield _warn(problem.where, "stuck", f"a player can be stuck in {problem.scene!r} with no open choice, {_shown(problem.path)}")
    meta = Where(display_name(Path(story.folder) / STORY_FILE), 1, 1)
    untaken, unreached = sample.untaken, sample.unreached
    detail = ""
    if untaken or unreached:
        missed = f"{_count(len(untaken), 'choice')} never taken, {_count(len(unreached), 'ending')} never reached"
        detail = f": {missed} (see `candid randomtest --avoid-used`)"
    yield _warn(
        meta,
        "sampled",
        f"too many states for an exhaustive check ({found.limit}); sampled {sample.runs} random play-throughs instead{detail}",
        Severity.INFO,
    )


def _count(n: int, noun: str) -> str:
    return f"{n} {noun}{'' if n == 1 else 's'}"


def _exact(story: Story, found: Exploration, static: set[str]) -> Iterator[Diagnostic]:
    for scene in story.scenes.values():
        if scene.id not in static:
            continue  # already reported as unreachable
        if scene.id not in found.reached:
            what = "ending" if scene.ending else "scene"
            yield _warn(scene.where, "never-reached", f"{what} {scene.id!r} can never be reached: the conditions on the way never all hold")
            continue
        for choice in scene.choices:
            if choice.key not in found.taken:
                yield _warn(choice.where, "never-taken", f"choice {choice.key!r} can never be taken: its condition never holds here")
        if scene.id in found.stuck:
            yield _warn(scene.where, "stuck", f"a player can be stuck in {scene.id!r} with no open choice, {_shown(found.stuck[scene.id])}")


__all__ = ["MAX_STATES", "TIME_BUDGET", "Exploration", "coverage", "explore_states"]
