"""The play kernel: the state of a play-through and the one rule that moves it.

`step(state, move)` is the only place where a guard is decided for a move, effects are applied,
int values are held in range and visits and choices are counted. Everything that plays (the
Session, the exhaustive search, randomtest) goes through `allows` and `advance` here; the fast
paths run `advance` on a mutable `Cursor` instead of building a new `State` per step.

The story language's constructs are rules here too: once-only and fallback choices (`allows`,
`open_moves`), effects in blocks with their own conditions and seeded random draws (`Effect`,
`draw`), effects on entering a scene, and sub-scenes called and returned from (the call stack).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import cache
from types import MappingProxyType
from typing import Any, cast

from .conditions import Condition, Value
from .errors import ChoiceError

Bounded = tuple[str, int, int | None, int | None]
"""An `add` effect with its variable's range resolved: (name, delta, min, max)."""

MAX_CALLS = 16
"""How deep sub-scenes may call sub-scenes: a call beyond it is closed, so no story recurses forever."""
_MASK = (1 << 64) - 1


def clamp_to(value: int, low: int | None, high: int | None) -> int:
    """The range rule (written once, in `_runner`) for a value no add produced: a `set`, a warp.

    It runs the move rule itself, on a move that adds nothing to a variable with these bounds."""
    cursor = Cursor("", "", {"value": value}, {}, {})
    _holder(low, high).run(cursor)
    return int(cursor.vars["value"])


@cache
def _holder(low: int | None, high: int | None) -> Move:
    return Move("", "", "", None, (("value", 0, low, high),), (), counts_visit=False, counts_choice=False)


@dataclass(frozen=True, slots=True)
class Effect:
    """A block of effects: when its guard holds, adds (held in range), then sets, then random draws."""

    guard: Condition | None
    adds: tuple[Bounded, ...] = ()
    sets: tuple[tuple[str, Value], ...] = ()
    rolls: tuple[tuple[str, int, int], ...] = ()
    """(name, low, high): the variable takes a draw from the random stream, low to high included."""
    apply: Callable[[Any], None] | None = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "apply", _applier(self.adds, self.sets))


@dataclass(frozen=True, slots=True)
class Move:
    """A choice compiled for play: where it leads, when it is open, what it changes."""

    key: str
    """`scene.choice`, as saves and recorded paths spell it."""
    scene: str
    dest: str
    guard: Condition | None
    adds: tuple[Bounded, ...]
    sets: tuple[tuple[str, Value], ...]
    """Already held in range: a `set` of an int is clamped once, when the move is made."""
    locked_reason: str | None = None
    more: tuple[Effect, ...] = ()
    """Effects after `adds` and `sets`: blocks with their own condition, and random draws."""
    once: bool = False
    fallback: bool = False
    """Open only when no other move of the scene is."""
    auto: bool = False
    """Made without asking when it is the only open move (see `auto_move`)."""
    push: str | None = None
    """A call: `dest` is the sub-scene, and this scene is where its `return` comes back to."""
    returns: bool = False
    """Back from a sub-scene: the destination is the top of the call stack (`dest` is unused)."""
    enter: Mapping[str, tuple[Effect, ...]] = field(default_factory=dict, compare=False)
    """Effects of entering each scene (one table shared by every move of the story, filled as the
    story compiles: looked up when the move is made)."""
    counts_visit: bool = True
    counts_choice: bool = True
    """A fast path that keeps only what conditions read makes copies of a move with these off
    (`dataclasses.replace`) for the counts no condition reads; the story's own moves count all."""
    run: Callable[[Cursor], None] = field(init=False, repr=False, compare=False)
    """`advance` compiled for this move (see `_runner`): what the fast paths call."""
    free: bool = field(init=False, repr=False, compare=False)
    """Open in every state: the fast paths skip asking."""
    opens: Callable[[State | Cursor], bool] | None = field(init=False, repr=False, compare=False)
    """`allows` compiled for this move, fallbacks aside (None: open in every state)."""

    def __post_init__(self) -> None:
        object.__setattr__(self, "run", _runner(self))
        object.__setattr__(self, "free", self.guard is None and not (self.once or self.fallback or self.returns or self.push))
        object.__setattr__(self, "opens", _opener(self))


def _frozen(values: Mapping[str, Any]) -> Mapping[str, Any]:
    return MappingProxyType(dict(values))


@dataclass(frozen=True, slots=True)
class State:
    """Where a play-through stands. Immutable: `step` returns a new one."""

    scene: str
    role: str
    vars: Mapping[str, Value]
    """The story's variables; `role` is a field of its own, never a variable."""
    visits: Mapping[str, int]
    """Times each scene was entered (the start counts as one)."""
    choices: Mapping[str, int] = field(default_factory=lambda: _frozen({}))
    """Times each choice (`scene.choice`) was taken."""
    seed: int = 0
    """The random stream's state: a draw derives its value from it and moves it on."""
    calls: tuple[str, ...] = ()
    """Scenes to return to, innermost last."""

    def to_json(self) -> dict[str, Any]:
        return {
            "scene": self.scene,
            "role": self.role,
            "vars": dict(self.vars),
            "visits": dict(self.visits),
            "choices": dict(self.choices),
            "seed": self.seed,
            "calls": list(self.calls),
        }

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> State:
        return cls(
            data["scene"],
            data["role"],
            _frozen(data["vars"]),
            _frozen(data["visits"]),
            _frozen(data.get("choices", {})),
            int(data.get("seed", 0)),
            tuple(data.get("calls", ())),
        )


def start(scene: str, role: str, values: Mapping[str, Value], *, seed: int = 0) -> State:
    """The state before the first choice: the start scene counts as visited once."""
    return State(scene, role, _frozen(values), _frozen({scene: 1}), _frozen({}), seed, ())


@dataclass(slots=True)
class Cursor:
    """A mutable state with the same fields, for the fast paths' inner loops."""

    scene: str
    role: str
    vars: dict[str, Value]
    visits: dict[str, int]
    choices: dict[str, int]
    seed: int = 0
    calls: list[str] = field(default_factory=list)

    def draw(self, low: int, high: int) -> int:
        """The next number from the random stream, low to high included; the stream moves on."""
        self.seed, value = draw(self.seed, low, high)
        return value

    @classmethod
    def of(cls, state: State) -> Cursor:
        return cls(state.scene, state.role, dict(state.vars), dict(state.visits), dict(state.choices), state.seed, list(state.calls))

    def freeze(self) -> State:
        return State(self.scene, self.role, _frozen(self.vars), _frozen(self.visits), _frozen(self.choices), self.seed, tuple(self.calls))


def draw(seed: int, low: int, high: int) -> tuple[int, int]:
    """One step of the random stream (a 64-bit linear congruential generator): the next seed and a
    number from low to high. Plain arithmetic, so a saved seed plays the same on any machine."""
    seed = (seed * 6364136223846793005 + 1442695040888963407) & _MASK
    return seed, low + (seed >> 33) % (high - low + 1)


def allows(state: State | Cursor, move: Move) -> bool:
    """Whether `move` is open in `state`, leaving fallbacks aside: the one place a choice's guard,
    once-only rule and call stack are decided."""
    if move.guard is not None and not move.guard.test(state):
        return False
    if move.once and state.choices.get(move.key, 0):
        return False
    if move.returns:
        return bool(state.calls)
    return move.push is None or len(state.calls) < MAX_CALLS


def open_moves(state: State | Cursor, moves: Sequence[Move]) -> list[Move]:
    """The moves a player may make: the open ones, or when none is open, the open fallbacks."""
    found = [m for m in moves if m.opens is None or m.opens(state)]
    return found or [m for m in moves if m.fallback and allows(state, m)]


def _opener(move: Move) -> Callable[[State | Cursor], bool] | None:
    """`allows` for one move, as cheap as it can be: asked for every move of a guarded scene at every
    step of every play-through a search or randomtest plays. A fallback is never open here: it waits
    for `open_moves`' second look."""
    if move.free:
        return None
    if move.fallback:
        return _closed
    if move.guard is not None and not (move.once or move.returns or move.push):
        return cast(Callable[[State | Cursor], bool], move.guard.test)  # a guard's test gives a bool
    return lambda state: allows(state, move)


def _closed(state: State | Cursor) -> bool:
    return False


def auto_move(state: State | Cursor, moves: Sequence[Move]) -> Move | None:
    """The move a scene makes by itself: its only open move, when that move is marked `auto`.

    The one rule for moving on without a click. The game's controller makes it after every change
    the player makes; randomtest and the exhaustive search need nothing more, as they already take
    a scene's only open move."""
    found = open_moves(state, moves)
    return found[0] if len(found) == 1 and found[0].auto else None


def run_effects(cursor: Cursor, blocks: Iterable[Effect]) -> None:
    """Blocks of effects in order, each when its guard holds in the state as the blocks before left it."""
    for block in blocks:
        if block.guard is None or block.guard.test(cursor):
            if block.apply is not None:
                block.apply(cursor.vars)
            for name, low, high in block.rolls:
                cursor.vars[name] = cursor.draw(low, high)


def _applier(adds: tuple[Bounded, ...], sets: tuple[tuple[str, Value], ...]) -> Callable[[Any], None] | None:
    """The effect rule, compiled for one move or block: adds, then sets (None when there are none).
    `values` is keyed by name, or by slot for a search's list of the variables it keeps."""
    if not adds and not sets:
        return None

    def apply(values: Any) -> None:
        # The range rule for int variables, written here only: results stay inside min..max.
        for name, delta, low, high in adds:
            value = values[name] + delta
            if low is not None and value < low:
                value = low
            elif high is not None and value > high:
                value = high
            values[name] = value
        for name, new in sets:
            values[name] = new

    return apply


def advance(cursor: Cursor, move: Move) -> None:
    """Make an open move on a mutable cursor: effects, the call stack, visit and choice counts, and
    the effects of entering the scene it leads to."""
    move.run(cursor)


def _runner(move: Move) -> Callable[[Cursor], None]:
    """The move rule for one move, with its fields bound once: a move is made once per step of
    every play-through a search or randomtest plays, so it is compiled when the story is."""
    dest, key, apply, more = move.dest, move.key, _applier(move.adds, move.sets), move.more
    visit, choice = move.counts_visit, move.counts_choice
    push, returns, arrivals = move.push, move.returns, move.enter

    if not (more or returns or push is not None or visit or choice):
        # The fast paths' commonest move (counts no condition reads are off): the same rule, fewer tests.
        def plain(cursor: Cursor) -> None:
            if apply is not None:
                apply(cursor.vars)
            cursor.scene = dest
            arrival = arrivals.get(dest)
            if arrival:
                run_effects(cursor, arrival)

        return plain

    def run(cursor: Cursor) -> None:
        if apply is not None:
            apply(cursor.vars)
        if more:
            run_effects(cursor, more)
        to = dest
        if returns:
            to = cursor.calls.pop()
        elif push is not None:
            cursor.calls.append(push)
        cursor.scene = to
        if visit:
            visits = cursor.visits
            visits[to] = visits.get(to, 0) + 1
        if choice:
            choices = cursor.choices
            choices[key] = choices.get(key, 0) + 1
        arrival = arrivals.get(to)
        if arrival:
            run_effects(cursor, arrival)

    return run


def arrive(state: State, blocks: Iterable[Effect]) -> State:
    """The effects of entering the start scene, which no move leads into."""
    cursor = Cursor.of(state)
    run_effects(cursor, blocks)
    return cursor.freeze()


def step(state: State, move: Move) -> State:
    """Take `move` from `state`; raises ChoiceError when it is not a move of this scene or is locked."""
    if move.scene != state.scene:
        raise ChoiceError(f"choice {move.key!r} is not in scene {state.scene!r}")
    if not allows(state, move):
        raise ChoiceError(move.locked_reason or f"choice {move.key.partition('.')[2]!r} is locked")
    cursor = Cursor.of(state)
    advance(cursor, move)
    return cursor.freeze()


__all__ = [
    "MAX_CALLS",
    "Bounded",
    "Cursor",
    "Effect",
    "Move",
    "State",
    "advance",
    "allows",
    "arrive",
    "auto_move",
    "clamp_to",
    "draw",
    "open_moves",
    "run_effects",
    "start",
    "step",
]
