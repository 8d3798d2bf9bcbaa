"""`candid randomtest`: many seeded random play-throughs, for coverage and for errors.

Play goes through the kernel (`rules.open_moves`, `rules.advance`) on one mutable cursor per
play-through, rather than building a new state or triggering `transitions` at each step. A test
holds the paths to a Session's for the same seed.
"""

from __future__ import annotations

import random
import time
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from functools import partial
from typing import TYPE_CHECKING

from . import rules
from .conditions import Value
from .defaults import DEFAULT_MAX_STEPS, DEFAULT_RUNS
from .errors import CandidError
from .gcpause import paused_gc

if TYPE_CHECKING:
    from .compiler import Story, Where

PATH_SHOWN = 40
"""Steps of a failing path kept in the report (the last ones, for a loop)."""


Step = tuple[Callable[[rules.Cursor], None], int, int]
"""A move as the play loop makes it: the kernel's move rule compiled for it (`rules.compile_move`),
the number of the scene it leads to (-1: wherever a `return` leads) and its own number."""


class FastStory:
    """The story indexed for play: scenes and choices numbered, each scene's moves compiled."""

    def __init__(self, story: Story) -> None:
        self.story = story
        self.ids = list(story.graph.ids)
        self.index = index = {scene_id: i for i, scene_id in enumerate(self.ids)}
        table = [story.moves(scene_id) for scene_id in self.ids]
        self.keys = [m.key for moves in table for m in moves]
        self.dest = [index[m.dest] for moves in table for m in moves]
        self.is_ending = [scene_id in story.endings for scene_id in self.ids]
        # The kernel's moves, counting only the visits and choices some condition reads; a
        # `return` may lead anywhere, so it counts.
        guards = list(story.guards())
        read = {scene_id for guard in guards for scene_id in guard.visited}
        counted = {key for guard in guards for key in guard.taken} | {m.key for moves in table for m in moves if m.once}
        self._read, self._counted = read, counted
        self._first: list[int] = []
        """Each scene's first choice number (choices are numbered scene by scene, in order)."""
        number = 0
        for moves in table:
            self._first.append(number)
            number += len(moves)
        self.steps: list[tuple[Step, ...]] = [()] * len(table)
        self.openers: list[Callable[[rules.Cursor], Sequence[Step]] | None] = [partial(self._prepare, i) for i in range(len(table))]
        """Each scene's open moves (`rules.scene_opener`); None where every move is always open. A
        scene's moves are compiled the first time a play-through arrives there (`_prepare` stands
        in until then), so a story pays only for the scenes its play-throughs reach."""

    def _prepare(self, scene: int, cursor: rules.Cursor) -> Sequence[Step]:
        """Compile a scene's moves on first arrival, then answer as its opener would."""
        moves = self.story.moves(self.ids[scene])
        row: list[Step] = []
        for number, m in enumerate(moves, self._first[scene]):
            run = rules.compile_move(m, visit=m.dest in self._read or m.returns, choice=m.key in self._counted)
            row.append((run, -1 if m.returns else self.dest[number], number))
        self.steps[scene] = steps = tuple(row)
        opener = self.openers[scene] = rules.scene_opener(moves, row)
        return steps if opener is None else opener(cursor)


@dataclass(slots=True)
class Playthrough:
    """One play-through: the choices taken, where it stopped, and why."""

    path: list[int]
    scene: int
    vars: dict[str, Value]
    outcome: str
    """`ending`, `stuck` (no open choice) or `loop` (step limit reached)."""


def walk(
    fast: FastStory,
    role: str,
    rng: random.Random,
    *,
    max_steps: int = DEFAULT_MAX_STEPS,
    taken: list[int] | None = None,
    avoid_used: bool = False,
) -> Playthrough:
    """Play once, picking uniformly among the open choices: option `int(rng.random() * n)` of the n
    open ones, in the order the scene lists them.

    With `avoid_used`, choices not yet in `taken` are preferred, as ChoiceScript's "avoid used
    options" does. `taken` (counts per choice index) is updated as choices are made.
    """
    story = fast.story
    first = story.basics.starts[role]
    # Each play-through draws from its own random stream, seeded from the run's generator.
    cursor = rules.Cursor(first, role, story.defaults(), {first: 1}, {}, rng.getrandbits(64))
    rules.run_effects(cursor, story.enter.get(first, ()))
    steps, openers, is_ending, index = fast.steps, fast.openers, fast.is_ending, fast.index
    random = rng.random
    prefer_fresh = avoid_used and taken is not None
    path: list[int] = []
    append = path.append
    cur = index[first]
    for _ in range(max_steps):
        if is_ending[cur]:
            return Playthrough(path, cur, cursor.vars, "ending")
        opener = openers[cur]
        options = steps[cur] if opener is None else opener(cursor)
        if not options:
            return Playthrough(path, cur, cursor.vars, "stuck")
        if prefer_fresh:
            assert taken is not None
            fresh = [s for s in options if not taken[s[2]]]
            if fresh:
                options = fresh
        run, cur, key = options[int(random() * len(options))]
        run(cursor)  # rules.advance, compiled for this move
        if cur < 0:
            cur = index[cursor.scene]
        append(key)
        if taken is not None:
            taken[key] += 1
    return Playthrough(path, cur, cursor.vars, "ending" if is_ending[cur] else "loop")


@dataclass(slots=True)
class Problem:
    """An error found while playing, with the shortest path that led to it."""

    kind: str
    scene: str
    where: Where
    path: list[str]
    steps: int
    runs: int = 1
    role: str = ""

    def describe(self) -> str:
        what = {
            "stuck": "no open choice: the player is stuck",
            "loop": "step limit reached: probably a loop with no way out",
        }[self.kind]
        shown = ", ".join(self.path) or "(at the start)"
        cut = "…, " if self.steps > len(self.path) else ""
        where = f"{self.where.file}:{self.where.line}:{self.where.col}"
        return f"{where}: {self.kind}: scene {self.scene!r}: {what} ({self.runs} runs; role {self.role}; path: {cut}{shown})"

    def as_dict(self) -> dict[str, object]:
        return {
            "kind": self.kind,
            "scene": self.scene,
            "file": self.where.file,
            "line": self.where.line,
            "col": self.where.col,
            "role": self.role,
            "runs": self.runs,
            "steps": self.steps,
            "path": self.path,
        }


@dataclass(slots=True)
class Result:
    """What many play-throughs found."""

    runs: int
    seed: int
    roles: list[str]
    avoid_used: bool
    errors: list[Problem]
    scenes: list[str]
    """The scenes that could be met: reachable from the starts played, ignoring conditions."""
    visited: set[str]
    choices: list[str]
    taken: Counter[str]
    endings: list[str]
    reached: Counter[str]
    variables: dict[str, Counter[Value]]
    steps: Counter[int] = field(default_factory=Counter)

    @property
    def unvisited(self) -> list[str]:
        return [s for s in self.scenes if s not in self.visited]

    @property
    def untaken(self) -> list[str]:
        return [c for c in self.choices if not self.taken[c]]

    @property
    def unreached(self) -> list[str]:
        return [e for e in self.endings if not self.reached[e]]

    def distribution(self) -> dict[str, dict[str, object]]:
        """Each variable at the endings: min/median/max for numbers, counts otherwise."""
        result: dict[str, dict[str, object]] = {}
        for name, counts in self.variables.items():
            if not counts:
                continue
            if all(type(v) is int for v in counts):
                result[name] = {"min": min(counts), "median": _median(counts), "max": max(counts)}
            else:
                result[name] = {"values": {_json_key(v): n for v, n in sorted(counts.items(), key=lambda kv: -kv[1])}}
        return result

    def as_dict(self) -> dict[str, object]:
        unvisited, untaken, unreached = self.unvisited, self.untaken, self.unreached
        return {
            "runs": self.runs,
            "seed": self.seed,
            "roles": self.roles,
            "avoid_used": self.avoid_used,
            "errors": [e.as_dict() for e in self.errors],
            "scenes_total": len(self.scenes),
            "scenes_visited": len(self.scenes) - len(unvisited),
            "choices_total": len(self.choices),
            "choices_taken": len(self.choices) - len(untaken),
            "endings_total": len(self.endings),
            "endings_reached": len(self.endings) - len(unreached),
            "endings": {e: self.reached[e] for e in self.endings},
            "unvisited_scenes": unvisited,
            "untaken_choices": untaken,
            "steps": {"min": min(self.steps, default=0), "median": _median(self.steps), "max": max(self.steps, default=0)},
            "variables": self.distribution(),
        }

    def text(self) -> str:
        d = self.as_dict()
        lines = [
            f"{self.runs} random play-throughs (seed {self.seed}; roles: {', '.join(self.roles)}"
            + ("; avoiding used options" if self.avoid_used else "")
            + ")",
        ]
        for problem in self.errors:
            lines.append(problem.describe())
        lines.append(f"scenes visited: {d['scenes_visited']} of {d['scenes_total']}")
        lines.append(f"choices taken: {d['choices_taken']} of {d['choices_total']}")
        lines.append(f"endings reached: {d['endings_reached']} of {d['endings_total']}")
        for ending in self.endings:
            lines.append(f"  {ending}: {self.reached[ending]}")
        unvisited, untaken = d["unvisited_scenes"], d["untaken_choices"]
        assert isinstance(unvisited, list) and isinstance(untaken, list)
        if unvisited:
            lines.append("never visited: " + ", ".join(unvisited))
        if untaken:
            lines.append("never taken: " + ", ".join(untaken))
        steps = d["steps"]
        assert isinstance(steps, dict)
        lines.append(f"steps per play-through: min {steps['min']}, median {steps['median']}, max {steps['max']}")
        dist = self.distribution()
        if dist:
            lines.append("variables at the endings:")
            for name, info in dist.items():
                if "values" in info:
                    values = info["values"]
                    assert isinstance(values, dict)
                    lines.append(f"  {name}: " + ", ".join(f"{v} ×{n}" for v, n in values.items()))
                else:
                    lines.append(f"  {name}: min {info['min']}, median {info['median']}, max {info['max']}")
        lines.append(f"{len(self.errors)} errors")
        return "\n".join(lines)


def _median(counts: Counter[int] | Counter[Value]) -> float | int:
    total = sum(counts.values())
    if not total:
        return 0
    ordered = sorted(counts.items())
    middle = [(total - 1) // 2, total // 2]
    found: list[int] = []
    seen = 0
    for value, n in ordered:
        while middle and middle[0] < seen + n:
            found.append(value)  # type: ignore[arg-type]
            middle.pop(0)
        seen += n
    mid = sum(found) / 2
    return int(mid) if mid == int(mid) else mid


def _json_key(value: Value) -> str:
    return str(value).lower() if isinstance(value, bool) else str(value)


def run_randomtest(
    story: Story,
    runs: int = DEFAULT_RUNS,
    *,
    seed: int | None = None,
    roles: Sequence[str] | None = None,
    avoid_used: bool = False,
    max_steps: int = DEFAULT_MAX_STEPS,
    time_budget: float | None = None,
) -> Result:
    """Play `runs` times (roles in turn) with one RNG seeded by `seed` (random if None).

    With `time_budget` (seconds), stop early when it runs out; `Result.runs` says how many were played.
    """
    if runs < 1:
        raise CandidError("the number of runs must be at least 1")
    if max_steps < 1:
        raise CandidError("the step limit must be at least 1")
    starts = story.basics.starts
    roles = list(roles or starts)
    for role in roles:
        if role not in starts:
            raise CandidError(f"no role {role!r}; roles are: {', '.join(starts)}")
    if seed is None:
        seed = random.SystemRandom().randrange(2**31)
    rng = random.Random(seed)
    # The set-up makes tens of thousands of objects and play-throughs make no reference cycles: a
    # collection would only walk the whole story again. One pause covers both, and what was made is
    # then frozen out of later collections (it is still freed when dropped: it holds no cycle).
    with paused_gc(freeze=True):
        fast = FastStory(story)
        space = story.reach([starts[r] for r in roles])
        scenes = [s for s in fast.ids if s in space]
        taken = [0] * len(fast.keys)
        visited = bytearray(len(fast.ids))
        reached: Counter[str] = Counter()
        steps: Counter[int] = Counter()
        variables: dict[str, Counter[Value]] = {name: Counter() for name in story.basics.defaults}
        # A variable declared for some roles only would sit at its default in the others' endings.
        shown_to = story.basics.shown_to
        role_vars = {r: [n for n, who in shown_to.items() if who is None or r in who] for r in roles}
        problems: dict[tuple[str, str], Problem] = {}
        deadline = None if time_budget is None else time.monotonic() + time_budget
        played = 0
        for i in range(runs):
            if deadline is not None and i % 16 == 0 and i and time.monotonic() > deadline:
                break
            played += 1
            role = roles[i % len(roles)]
            result = walk(fast, role, rng, max_steps=max_steps, taken=taken, avoid_used=avoid_used)
            visited[fast.index[starts[role]]] = 1
            for key in result.path:
                visited[fast.dest[key]] = 1
            steps[len(result.path)] += 1
            scene_id = fast.ids[result.scene]
            if result.outcome == "ending":
                reached[scene_id] += 1
                for name in role_vars[role]:
                    variables[name][result.vars[name]] += 1
                continue
            _record(problems, fast, result, scene_id, role)
    return Result(
        runs=played,
        seed=seed,
        roles=roles,
        avoid_used=avoid_used,
        errors=sorted(problems.values(), key=lambda p: (p.kind, p.scene)),
        scenes=scenes,
        visited={fast.ids[i] for i, v in enumerate(visited) if v},
        choices=[k for k in fast.keys if k.partition(".")[0] in space],
        taken=Counter({fast.keys[i]: n for i, n in enumerate(taken) if n}),
        endings=[s for s in scenes if s in story.endings],
        reached=reached,
        variables=variables,
        steps=steps,
    )


def _record(problems: dict[tuple[str, str], Problem], fast: FastStory, result: Playthrough, scene_id: str, role: str) -> None:
    key = (result.outcome, scene_id)
    known = problems.get(key)
    if known is not None:
        known.runs += 1
        if len(result.path) >= known.steps:
            return
    path = [fast.keys[k] for k in result.path[-PATH_SHOWN:]]
    where = fast.story.scenes[scene_id].where
    problems[key] = Problem(result.outcome, scene_id, where, path, len(result.path), known.runs if known else 1, role)


__all__ = ["DEFAULT_MAX_STEPS", "DEFAULT_RUNS", "FastStory", "Playthrough", "Problem", "Result", "run_randomtest", "walk"]
