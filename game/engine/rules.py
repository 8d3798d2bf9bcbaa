"""The play kernel: the state of a play-through and the one rule that moves it.

`step(state, move)` is the only place where a guard is decided for a move, effects are applied,
int values are held in range and visits and choices are counted. Everything that plays (the
Session, the exhaustive search, randomtest) goes through `allows` and `advance` here; the fast
paths run `advance` on a mutable `Cursor` instead of building a new `State` per step.

The state has room for what the story language will need (choice counts, a seeded random stream,
a call stack); today's stories leave the last two at their start values.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from functools import cache
from types import MappingProxyType
from typing import Any

from .conditions import Condition, Value
from .errors import ChoiceError

Bounded = tuple[str, int, int | None, int | None]
"""An `add` effect with its variable's range resolved: (name, delta, min, max)."""


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
    counts_visit: bool = True
    counts_choice: bool = True
    """A fast path that keeps only what conditions read makes copies of a move with these off
    (`dataclasses.replace`) for the counts no condition reads; the story's own moves count all."""
    run: Callable[[Cursor], None] = field(init=False, repr=False, compare=False)
    """`advance` compiled for this move (see `_runner`): what the fast paths call."""

    def __post_init__(self) -> None:
        object.__setattr__(self, "run", _runner(self))


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

    @classmethod
    def of(cls, state: State) -> Cursor:
        return cls(state.scene, state.role, dict(state.vars), dict(state.visits), dict(state.choices), state.seed, list(state.calls))

    def freeze(self) -> State:
        return State(self.scene, self.role, _frozen(self.vars), _frozen(self.visits), _frozen(self.choices), self.seed, tuple(self.calls))


def allows(state: State | Cursor, move: Move) -> bool:
    """Whether `move` is open in `state`: the one place a choice's guard is decided."""
    return move.guard is None or bool(move.guard.test(state))


def open_moves(state: State | Cursor, moves: Iterable[Move]) -> list[Move]:
    return [m for m in moves if m.guard is None or m.guard.test(state)]


def advance(cursor: Cursor, move: Move) -> None:
    """Make an open move on a mutable cursor: effects, ranges, visit and choice counts."""
    move.run(cursor)


def _runner(move: Move) -> Callable[[Cursor], None]:
    """The move rule for one move, with its fields bound once: a move is made once per step of
    every play-through a search or randomtest plays, so it is compiled when the story is."""
    dest, key, adds, sets = move.dest, move.key, move.adds, move.sets
    visit, choice = move.counts_visit, move.counts_choice

    def run(cursor: Cursor) -> None:
        if adds:
            values = cursor.vars
            # The range rule for int variables, written here only: results stay inside min..max.
            for name, delta, low, high in adds:
                value = values[name] + delta  # type: ignore[operator]
                if low is not None and value < low:
                    value = low
                elif high is not None and value > high:
                    value = high
                values[name] = value
        for name, new in sets:
            cursor.vars[name] = new
        cursor.scene = dest
        if visit:
            visits = cursor.visits
            visits[dest] = visits.get(dest, 0) + 1
        if choice:
            choices = cursor.choices
            choices[key] = choices.get(key, 0) + 1

    return run


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
    "Bounded",
    "Cursor",
    "Move",
    "State",
    "advance",
    "allows",
    "clamp_to",
    "open_moves",
    "start",
    "step",
]
