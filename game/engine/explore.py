"""Exhaustive exploration for `candid check`: every reachable state, when there are few enough.

A state is (scene, the variables, visit counts and choice counts that some choice condition or
effect condition still to come may read, the call stack): nothing else can change which choices
are open, so two play-throughs in the same state have the same futures. What no guard reachable
from the scene reads is forgotten (`liveness.py`), which folds states that differ only there. Moves are made by the kernel
(`rules.advance`) on a cursor that holds one representative play-through per state, and a random
draw branches into every outcome. Breadth-first search over those states finds, exactly, the
choices that can never be taken, the scenes and endings that can never be reached, and the
places a player can get stuck. When the space is too big (a cap counted in states), a seeded
random sample stands in, says so and names what it never met.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from . import rules
from .analysis import condition_reads, counted_choices, static_reach
from .compiler import Story, Where
from .conditions import Value
from .errors import Diagnostic, Severity
from .liveness import Live
from .randomtest import run_randomtest
from .storyfiles import STORY_FILE, display_name

MAX_STATES = 200_000
"""States the exhaustive search may visit before `check` falls back to sampling: a budget counted
in states, never in seconds, so the answer does not depend on how busy the machine is."""
SAMPLE_RUNS = 1000
SAMPLE_SCENE_STEPS = 2_000_000
"""The sample's budget: at most this many runs × scenes, so `check` stays quick on big stories."""

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

    def __init__(self, story: Story, forget: bool = True) -> None:
        self.story = story
        self.names, self.tracked = condition_reads(story)
        self.counted = counted_choices(story)
        self.defaults = story.defaults()
        self.moves = {scene_id: [c.move for c in scene.choices] for scene_id, scene in story.scenes.items()}
        self.openers = {scene_id: rules.scene_opener(moves, moves) for scene_id, moves in self.moves.items()}
        """`rules.open_moves` compiled for each scene (None: every move always open)."""
        slot = {name: i for i, name in enumerate(self.names)}
        vslot = {scene: i for i, scene in enumerate(self.tracked)}
        # Most moves only add and set: the kernel's effect rule, changing only the variables the
        # search keeps (held in a list by slot), gives their next state directly.
        self.scratch = rules.Cursor("", "", {}, {}, {})
        counted = set(self.counted)
        shared: dict[tuple[Any, ...], Callable[[rules.Cursor], None]] = {}
        self.plain = {
            m.key: (_projected(m, slot, shared), vslot.get(m.dest, -1))
            for c in story.choices()
            if not (m := c.move).more and m.push is None and not m.returns and m.dest not in story.enter and m.key not in counted
        }
        self.live = Live(story, self.names, self.tracked, self.counted) if forget else None
        self.blank = tuple(self.defaults[n] for n in self.names)
        self.endings = {scene_id for scene_id, scene in story.scenes.items() if scene.ending is not None}

    def forget(self, scene: str, values: tuple[Value, ...], visits: tuple[int, ...], counts: tuple[int, ...]) -> State:
        """The state with what nothing reachable from `scene` reads any more forgotten (a variable
        back to its default, a count to 0): states that differ only there have the same futures."""
        flags = self.live.at(scene) if self.live is not None else None
        if flags is None:
            return (scene, values, visits, counts, ())
        keep_v, keep_s, keep_c = flags
        return (
            scene,
            tuple(v if k else b for v, k, b in zip(values, keep_v, self.blank, strict=True)),
            tuple(n if k else 0 for n, k in zip(visits, keep_s, strict=True)),
            tuple(n if k else 0 for n, k in zip(counts, keep_c, strict=True)),
            (),
        )

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
        scene, values, visits, counts, _ = self.forget(
            cursor.scene,
            tuple(cursor.vars[n] for n in self.names),
            tuple(cursor.visits.get(s, 0) for s in self.tracked),
            tuple(cursor.choices.get(k, 0) for k in self.counted),
        )
        return (scene, values, visits, counts, tuple(cursor.calls))

    def first(self, role: str, start: str) -> State:
        state = rules.start(start, role, {n: self.defaults[n] for n in self.names})
        return self.key(rules.Cursor.of(rules.arrive(state, self.story.enter.get(start, ()))))

    def after(self, state: State, role: str, move: rules.Move) -> list[State]:
        """Every state `move` can lead to: one per outcome of the random draws it makes."""
        plain = self.plain.get(move.key)
        if plain is not None:
            projected, visit = plain
            _, values, visits, counts, calls = state
            if projected is not None:
                self.scratch.vars = list(values)  # type: ignore[assignment]
                projected(self.scratch)
                values = tuple(self.scratch.vars)
            if visit >= 0:
                bumped = list(visits)
                bumped[visit] += 1
                visits = tuple(bumped)
            dest, values, visits, counts, _ = self.forget(move.dest, values, visits, counts)
            return [(dest, values, visits, counts, calls)]
        return list(self.drawn(state, role, move))

    def drawn(self, state: State, role: str, move: rules.Move) -> Iterator[State]:
        """`after` for a move the search cannot project: the kernel's move, once per outcome of each draw."""
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


def explore_states(story: Story, max_states: int = MAX_STATES, *, forget: bool = True) -> Exploration:
    """Search every role's reachable states; `exhaustive` is False when the cap was hit.
    `forget=False` keeps what nothing ahead reads (only to measure what forgetting saves)."""
    space = _Space(story, forget)
    result = Exploration(exhaustive=True, states=0)
    for role, meta in story.meta.roles.items():
        first = space.first(role, meta.start)
        parent: dict[State, tuple[State, str] | None] = {first: None}
        queue = deque([first])
        while queue:
            if len(parent) + result.states > max_states:
                result.exhaustive = False
                result.limit = f"over {max_states:,} states"
                result.states += len(parent)
                return result
            state = queue.popleft()
            scene = state[0]
            result.reached.add(scene)
            if scene in space.endings:
                continue
            opener = space.openers[scene]
            open_moves = space.moves[scene] if opener is None else opener(space.scope(state, role))
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


def _projected(
    move: rules.Move, slot: dict[str, int], shared: dict[tuple[Any, ...], Callable[[rules.Cursor], None]]
) -> Callable[[rules.Cursor], None] | None:
    """`move`'s effects on the kept variables only, each named by its slot in the search's list of
    values (the kernel's effect rule runs on any container indexed by the names its effects use);
    None when it changes none of them. Moves with the same effects share one (`shared`)."""
    adds: Any = tuple((slot[n], d, low, high) for n, d, low, high in move.adds if n in slot)
    sets = tuple((slot[n], v) for n, v in move.sets if n in slot)
    if not adds and not sets:
        return None
    key = (adds, tuple((i, type(v), v) for i, v in sets))  # `True` and `1` are equal keys; their types are not
    found = shared.get(key)
    if found is None:
        found = shared[key] = rules.compile_effects(adds, sets)
    return found


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


def coverage(story: Story, found: Exploration) -> Iterator[Diagnostic]:
    """`check`'s coverage rules: exact when the search was exhaustive, sampled (and said so) when not."""
    static = static_reach(story, [r.start for r in story.meta.roles.values()])
    if found.exhaustive:
        yield from _exact(story, found, static)
        return
    # The sample's size is fixed by the story's size, never by a clock: the same story always gets
    # the same report.
    runs = max(20, min(SAMPLE_RUNS, SAMPLE_SCENE_STEPS // max(1, len(static))))
    sample = run_randomtest(story, runs, seed=0, avoid_used=True)
    for problem in sample.errors:
        if problem.kind == "stuck":
            yield _warn(problem.where, "stuck", f"a player can be stuck in {problem.scene!r} with no open choice, {_shown(problem.path)}")
    meta = Where(display_name(Path(story.folder) / STORY_FILE), 1, 1)
    untaken, unvisited = sample.untaken, sample.unvisited
    detail = ""
    if untaken or unvisited:
        detail = f": {_count(len(untaken), 'choice')} never taken, {_count(len(unvisited), 'scene')} never reached"
        detail += f" ({_named(unvisited + untaken)}; `candid randomtest --avoid-used` for more)"
    yield _warn(
        meta,
        "sampled",
        f"too many states for an exhaustive check ({found.limit}; raise it with --max-states); "
        f"sampled {sample.runs} random play-throughs instead{detail}",
        Severity.INFO,
    )
    for scene_id in unvisited[:UNSAMPLED_SHOWN]:
        yield _warn(story.scenes[scene_id].where, "unsampled", f"scene {scene_id!r} was never reached by the sample", Severity.INFO)
    for key in untaken[:UNSAMPLED_SHOWN]:
        scene_id, _, choice_id = key.partition(".")
        choice = story.scenes[scene_id].choice(choice_id)
        assert choice is not None
        yield _warn(choice.where, "unsampled", f"choice {key!r} was never taken by the sample", Severity.INFO)


UNSAMPLED_SHOWN = 50
"""At most this many scenes, and as many choices, that the sample missed get a line of their own."""


def _named(keys: list[str], limit: int = 8) -> str:
    shown = ", ".join(keys[:limit])
    return shown + (f" and {len(keys) - limit} more" if len(keys) > limit else "")


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


__all__ = ["MAX_STATES", "Exploration", "coverage", "explore_states"]
