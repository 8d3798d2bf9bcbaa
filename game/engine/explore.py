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
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from . import rules
from .analysis import condition_reads, counted_choices, static_reach
from .compiler import Story, Where
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

State = tuple[str, tuple[Any, ...], tuple[str, ...]]
"""(scene, what is kept: the kept variables, then visit counts, then choice counts; call stack)."""


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


Plain = tuple[str, Callable[[rules.Cursor], None] | None, int, tuple[int, ...]]
"""A move that only adds and sets, as the search makes it: (where it leads, its effects on the
kept values by slot, the slot of its destination's visit count or -1, the slots forgotten there)."""
Step = tuple[rules.Move, Plain | None]
"""A move of a scene with its plain form, None when the search plays it through the kernel."""


class _Space:
    """What the search keeps of a state, and the kernel's moves from one."""

    def __init__(self, story: Story, forget: bool = True) -> None:
        self.story = story
        self.names, self.tracked = condition_reads(story)
        self.counted = counted_choices(story)
        self.defaults = story.defaults()
        self.sizes = (len(self.names), len(self.names) + len(self.tracked))
        self.slot = {name: i for i, name in enumerate(self.names)}
        self.vslot = {scene: self.sizes[0] + i for i, scene in enumerate(self.tracked)}
        self.shared: dict[tuple[Any, ...], Callable[[rules.Cursor], None]] = {}
        self.plain_counted = set(self.counted)
        self.live = Live(story, self.names, self.tracked, self.counted) if forget else None
        self.blank = (*(self.defaults[n] for n in self.names), *(0 for _ in self.tracked), *(0 for _ in self.counted))
        self.endings = set(story.endings)
        # Most moves only add and set: the kernel's effect rule, changing only the values the search
        # keeps (held in a list by slot), gives their next state directly.
        self.scratch = rules.Cursor("", "", {}, {}, {})
        self.view = rules.Cursor("", "", {}, {}, {})
        """What the guards see (`scope`), refilled for each state."""
        self.scenes: dict[str, tuple[Callable[[rules.Cursor], Sequence[Step]] | None, tuple[Step, ...]]] = {}
        """Each scene met: `rules.open_moves` compiled for it (None: every move always open), and its moves."""

    def at(self, scene: str) -> tuple[Callable[[rules.Cursor], Sequence[Step]] | None, tuple[Step, ...]]:
        """The scene's opener and moves, compiled the first time the search meets it."""
        found = self.scenes.get(scene)
        if found is None:
            moves = list(self.story.graph.moves(scene))
            steps = tuple((m, self._plain(m)) for m in moves)
            found = self.scenes[scene] = (rules.scene_opener(moves, steps), steps)
        return found

    def _plain(self, m: rules.Move) -> Plain | None:
        if m.more or m.push is not None or m.returns or m.dest in self.story.enter or m.key in self.plain_counted:
            return None
        return (m.dest, _projected(m, self.slot, self.shared), self.vslot.get(m.dest, -1), self.dead(m.dest))

    def dead(self, scene: str) -> tuple[int, ...]:
        """The slots forgotten at `scene`: what no guard reachable from there reads any more goes
        back to its default (a count to 0), so states that differ only there fold into one."""
        return self.live.dead(scene) if self.live is not None else ()

    def scope(self, state: State, role: str) -> rules.Cursor:
        """What the guards see: the kept variables and counts are all any of them reads."""
        scene, kept, calls = state
        view, (a, b) = self.view, self.sizes
        view.scene, view.role = scene, role
        view.vars = dict(zip(self.names, kept, strict=False))  # the variables come first
        view.visits = dict(zip(self.tracked, kept[a:b], strict=True)) if self.tracked else {}
        view.choices = dict(zip(self.counted, kept[b:], strict=True)) if self.counted else {}
        view.calls = list(calls)
        return view

    def cursor(self, state: State, role: str, script: list[int] | None = None) -> _Every:
        scene, kept, calls = state
        a, b = self.sizes
        cursor = _Every(
            scene,
            role,
            {**self.defaults, **dict(zip(self.names, kept[:a], strict=True))},
            dict(zip(self.tracked, kept[a:b], strict=True)),
            dict(zip(self.counted, kept[b:], strict=True)),
            0,
            list(calls),
        )
        cursor.asked, cursor.script = [], script or []
        return cursor

    def key(self, cursor: rules.Cursor) -> State:
        kept = [cursor.vars[n] for n in self.names]
        kept += [cursor.visits.get(s, 0) for s in self.tracked]
        kept += [cursor.choices.get(k, 0) for k in self.counted]
        blank = self.blank
        for i in self.dead(cursor.scene):
            kept[i] = blank[i]
        return (cursor.scene, tuple(kept), tuple(cursor.calls))

    def first(self, role: str, start: str) -> State:
        state = rules.start(start, role, {n: self.defaults[n] for n in self.names})
        return self.key(rules.Cursor.of(rules.arrive(state, self.story.enter.get(start, ()))))

    def after(self, state: State, role: str, move: rules.Move, plain: Plain | None) -> list[State]:
        """Every state `move` can lead to: one per outcome of the random draws it makes."""
        if plain is None:
            return list(self.drawn(state, role, move))
        dest, projected, visit, dead = plain
        _, kept, calls = state
        if projected is None and visit < 0 and not dead:
            return [(dest, kept, calls)]
        values = list(kept)
        if projected is not None:
            self.scratch.vars = values  # type: ignore[assignment]
            projected(self.scratch)
        if visit >= 0:
            values[visit] += 1
        blank = self.blank
        for i in dead:
            values[i] = blank[i]
        return [(dest, tuple(values), calls)]

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
    reached, taken, endings = result.reached, result.taken, space.endings
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
            reached.add(scene)
            if scene in endings:
                continue
            opener, steps = space.at(scene)
            open_steps = steps if opener is None else opener(space.scope(state, role))
            if not open_steps and scene not in result.stuck:
                result.stuck[scene] = _path_to(parent, state)
            for move, plain in open_steps:
                taken.add(move.key)
                for nxt in space.after(state, role, move, plain):
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
        named = [f"{label}: {_named(keys)}" for label, keys in (("scenes", unvisited), ("choices", untaken)) if keys]
        detail += f" ({'; '.join(named)}; `candid randomtest --avoid-used` for more)"
    yield _warn(
        meta,
        "sampled",
        f"too many states for an exhaustive check ({found.limit}; raise it with --max-states); "
        f"sampled {sample.runs} random play-throughs instead{detail}",
        Severity.INFO,
    )
    for scene_id in unvisited[:UNSAMPLED_SHOWN]:
        yield _warn(story.facts[scene_id].where, "unsampled", f"scene {scene_id!r} was never reached by the sample", Severity.INFO)
    for key in untaken[:UNSAMPLED_SHOWN]:
        yield _warn(choice_place(story, key), "unsampled", f"choice {key!r} was never taken by the sample", Severity.INFO)


UNSAMPLED_SHOWN = 50
"""At most this many scenes, and as many choices, that the sample missed get a line of their own."""


def _named(keys: list[str], limit: int = 8) -> str:
    shown = ", ".join(keys[:limit])
    return shown + (f" and {len(keys) - limit} more" if len(keys) > limit else "")


def _count(n: int, noun: str) -> str:
    return f"{n} {noun}{'' if n == 1 else 's'}"


def _exact(story: Story, found: Exploration, static: set[str]) -> Iterator[Diagnostic]:
    for scene_id, facts in story.facts.items():
        if scene_id not in static:
            continue  # already reported as unreachable
        if scene_id not in found.reached:
            what = "ending" if scene_id in story.endings else "scene"
            yield _warn(facts.where, "never-reached", f"{what} {scene_id!r} can never be reached: the conditions on the way never all hold")
            continue
        for move, where in zip(story.graph.moves(scene_id), facts.places, strict=True):
            if move.key not in found.taken:
                yield _warn(where, "never-taken", f"choice {move.key!r} can never be taken: its condition never holds here")
        if scene_id in found.stuck:
            yield _warn(facts.where, "stuck", f"a player can be stuck in {scene_id!r} with no open choice, {_shown(found.stuck[scene_id])}")


def choice_place(story: Story, key: str) -> Where:
    """Where the choice `scene.choice` is written."""
    scene_id, _, _ = key.partition(".")
    moves = story.graph.moves(scene_id)
    return story.facts[scene_id].places[next(i for i, m in enumerate(moves) if m.key == key)]


__all__ = ["MAX_STATES", "Exploration", "coverage", "explore_states"]
