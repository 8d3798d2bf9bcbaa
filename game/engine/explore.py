"""Exhaustive exploration for `candid check`: every reachable state, when there are few enough.

A state is (scene, the variables, visit counts and choice counts that some choice condition or
effect condition reads, the call stack): nothing else can change which choices are open, so two
play-throughs in the same state have the same futures. Moves are made by the kernel
(`rules.advance`) on a cursor that holds one representative play-through per state, and a random
draw branches into every outcome. Breadth-first search over those states finds, exactly, the
choices that can never be taken, the scenes and endings that can never be reached, and the
places a player can get stuck. When the space is too big (a cap on states and on time), a seeded
random sample stands in and says so.
"""

from __future__ import annotations

import time
from collections import deque
from collections.abc import Iterator
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from . import rules
from .analysis import condition_reads, counted_choices, static_reach
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

State = tuple[str, tuple[Value, ...], tuple[int, ...], tuple[int, ...], tuple[str, ...]]
"""(scene, kept variables, kept visit counts, kept choice counts, call stack)."""


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


class _Every(rules.Cursor):
    """A cursor whose random draws follow a script, so the search can try every outcome of each."""

    __slots__ = ("asked", "script")
    asked: list[int]
    """The number of outcomes of each draw made so far."""
    script: list[int]

    def draw(self, low: int, high: int) -> int:
        at = len(self.asked)
        self.asked.append(high - low + 1)
        return low + (self.script[at] if at < len(self.script) else 0)


class _Space:
    """What the search keeps of a state, and the kernel's moves from one."""

    def __init__(self, story: Story) -> None:
        self.story = story
        self.names, self.tracked = condition_reads(story)
        self.counted = counted_choices(story)
        self.defaults = story.defaults()
        self.moves = {scene_id: [c.move for c in scene.choices] for scene_id, scene in story.scenes.items()}
        slot = {name: i for i, name in enumerate(self.names)}
        vslot = {scene: i for i, scene in enumerate(self.tracked)}
        # Most moves only add and set: the kernel's move, changing only the variables the search
        # keeps (held in a list by slot), gives their next state directly.
        self.scratch = rules.Cursor("", "", {}, {}, {})
        self.plain = {
            m.key: (_projected(m, slot), vslot.get(m.dest, -1))
            for c in story.choices()
            if not (m := c.move).more and m.push is None and not m.returns and m.dest not in story.enter and m.key not in self.counted
        }
        self.live = _live_counts(story, self.counted)

    def forget(self, scene: str, counts: tuple[int, ...]) -> tuple[int, ...]:
        """A choice count that nothing reachable from `scene` reads any more is forgotten (kept as 0):
        states that differ only in it have the same futures."""
        live = self.live[scene]
        return counts if all(live) else tuple(n if keep else 0 for n, keep in zip(counts, live, strict=True))

    def scope(self, state: State, role: str) -> rules.Cursor:
        """What the guards see: the kept variables and counts are all any of them reads."""
        scene, values, visits, counts, calls = state
        names, tracked, counted = self.names, self.tracked, self.counted
        return rules.Cursor(
            scene,
            role,
            dict(zip(names, values, strict=True)),
            dict(zip(tracked, visits, strict=True)),
            dict(zip(counted, counts, strict=True)),
            0,
            list(calls),
        )

    def cursor(self, state: State, role: str, script: list[int] | None = None) -> _Every:
        scene, values, visits, counts, calls = state
        cursor = _Every(
            scene,
            role,
            {**self.defaults, **dict(zip(self.names, values, strict=True))},
            dict(zip(self.tracked, visits, strict=True)),
            dict(zip(self.counted, counts, strict=True)),
            0,
            list(calls),
        )
        cursor.asked, cursor.script = [], script or []
        return cursor

    def key(self, cursor: rules.Cursor) -> State:
        return (
            cursor.scene,
            tuple(cursor.vars[n] for n in self.names),
            tuple(cursor.visits.get(s, 0) for s in self.tracked),
            self.forget(cursor.scene, tuple(cursor.choices.get(k, 0) for k in self.counted)),
            tuple(cursor.calls),
        )

    def first(self, role: str, start: str) -> State:
        cursor = self.cursor(
            (start, tuple(self.defaults[n] for n in self.names), (0,) * len(self.tracked), (0,) * len(self.counted), ()), role
        )
        cursor.visits[start] = 1
        rules.run_effects(cursor, self.story.enter.get(start, ()))
        return self.key(cursor)

    def after(self, state: State, role: str, move: rules.Move) -> Iterator[State]:
        """Every state `move` can lead to: one per outcome of the random draws it makes."""
        plain = self.plain.get(move.key)
        if plain is not None:
            projected, visit = plain
            _, values, visits, counts, calls = state
            if projected.adds or projected.sets:
                self.scratch.vars = list(values)  # type: ignore[assignment]
                projected.run(self.scratch)
                values = tuple(self.scratch.vars)
            if visit >= 0:
                bumped = list(visits)
                bumped[visit] += 1
                visits = tuple(bumped)
            yield (move.dest, values, visits, self.forget(move.dest, counts) if counts else counts, calls)
            return
        scripts: list[list[int]] = [[]]
        while scripts:
            script = scripts.pop()
            cursor = self.cursor(state, role, script)
            rules.advance(cursor, move)
            if len(cursor.asked) > len(script):
                # A draw the script did not cover: try each of its outcomes in turn.
                scripts += [[*script, outcome] for outcome in range(cursor.asked[len(script)])]
            else:
                yield self.key(cursor)


def _live_counts(story: Story, counted: list[str]) -> dict[str, tuple[bool, ...]]:
    """For each scene, which counted choices something reachable from it still reads: a guard's
    `taken()`, a once-only move's own rule, or the effects of entering a scene."""
    if not counted:  # nothing to find, and the search below costs a walk of the story per scene
        return dict.fromkeys(story.scenes, ())
    readers: dict[str, set[str]] = {key: set() for key in counted}
    for scene in story.scenes.values():
        guards = [c.guard for c in scene.choices] + [b.guard for c in scene.choices for b in c.move.more]
        guards += [b.guard for b in story.enter.get(scene.id, ())]
        for guard in guards:
            for key in guard.taken if guard is not None else ():
                readers[key].add(scene.id)
        for choice in scene.choices:
            if choice.move.once:
                readers[choice.key].add(scene.id)
    # A `return` may lead to any scene a call comes back to.
    comebacks = {c.model.goto for c in story.choices() if c.model.call and c.model.goto}
    onward = {
        scene_id: {t for c in scene.choices for t in c.targets} | (comebacks if any(c.move.returns for c in scene.choices) else set())
        for scene_id, scene in story.scenes.items()
    }
    live = {}
    for scene_id in story.scenes:
        reach = {scene_id}
        queue = deque([scene_id])
        while queue:
            for nxt in onward[queue.popleft()]:
                if nxt not in reach:
                    reach.add(nxt)
                    queue.append(nxt)
        live[scene_id] = tuple(bool(readers[key] & reach) for key in counted)
    return live


def explore_states(story: Story, max_states: int = MAX_STATES, time_budget: float = TIME_BUDGET) -> Exploration:
    """Search every role's reachable states; `exhaustive` is False when a cap was hit."""
    space = _Space(story)
    result = Exploration(exhaustive=True, states=0)
    deadline = time.monotonic() + time_budget
    for role, meta in story.meta.roles.items():
        first = space.first(role, meta.start)
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
            scene = state[0]
            result.reached.add(scene)
            if story.scenes[scene].ending is not None:
                continue
            open_moves = rules.open_moves(space.scope(state, role), space.moves[scene])
            if not open_moves and scene not in result.stuck:
                result.stuck[scene] = _path_to(parent, state)
            for move in open_moves:
                result.taken.add(move.key)
                for nxt in space.after(state, role, move):
                    if nxt not in parent:
                        parent[nxt] = (state, move.key)
                        queue.append(nxt)
        result.states += len(parent)
    return result


def _projected(move: rules.Move, slot: dict[str, int]) -> rules.Move:
    """`move` on the kept variables only, each named by its slot in the search's list of values
    (the kernel's move rule runs on any container indexed by the names its effects use)."""
    adds: Any = tuple((slot[n], d, low, high) for n, d, low, high in move.adds if n in slot)
    sets: Any = tuple((slot[n], v) for n, v in move.sets if n in slot)
    return replace(move, adds=adds, sets=sets, counts_visit=False, counts_choice=False)


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
