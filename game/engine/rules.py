"""The play kernel: the state of a play-through and the one rule that moves it.

`step(state, move)` is the only place where a guard is decided for a move, effects are applied,
int values are held in range and visits and choices are counted. Everything that plays (the
Session, the exhaustive search, randomtest) goes through `allows` and `advance` here; the fast
paths run `advance` on a mutable `Cursor` instead of building a new `State` per step.

The state has room for what the story language will need (choice counts, a seeded random stream,
a call stack); today's stories leave the last two at their start values.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Any

from .conditions import Condition, Value
from .errors import ChoiceError

Bounded = tuple[str, int, int | None, int | None]
"""An `add` effect with its variable's range resolved: (name, delta, min, max)."""


def clamp_to(value: int, low: int | None, high: int | None) -> int:
    """The range rule for int variables: every effect's result is held inside `min`..`max`."""
    if low is not None and value < low:
        return low
    if high is not None and value > high:
        return high
    return value


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


def apply_effects(values: Any, adds: Iterable[tuple[Any, int, int | None, int | None]], sets: Iterable[tuple[Any, Value]]) -> None:
    """The effect rule: adds held in range, then sets. `values` is keyed by name (a cursor's
    variables) or by slot (a search's list of the variables it keeps, with `on_slots` effects)."""
    for key, delta, low, high in adds:
        values[key] = clamp_to(values[key] + delta, low, high)
    for key, value in sets:
        values[key] = value


Slotted = tuple[tuple[tuple[int, int, int | None, int | None], ...], tuple[tuple[int, Value], ...]]


def on_slots(move: Move, slot: Mapping[str, int]) -> Slotted:
    """`move`'s effects on the variables a search keeps, keyed by their slot; others are dropped."""
    adds = tuple((slot[name], delta, low, high) for name, delta, low, high in move.adds if name in slot)
    sets = tuple((slot[name], value) for name, value in move.sets if name in slot)
    return adds, sets


def advance(cursor: Cursor, move: Move) -> None:
    """Make an open move on a mutable cursor: effects, ranges, visit and choice counts."""
    if move.adds or move.sets:
        apply_effects(cursor.vars, move.adds, move.sets)
    dest = move.dest
    cursor.scene = dest
    cursor.visits[dest] = cursor.visits.get(dest, 0) + 1
    cursor.choices[move.key] = cursor.choices.get(move.key, 0) + 1


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
    "Slotted",
    "State",
    "advance",
    "allows",
    "apply_effects",
    "clamp_to",
    "on_slots",
    "open_moves",
    "start",
    "step",
]
