"""The play kernel: the state of a play-through and the one rule that moves it.

`step(state, move)` is the only place where a guard is decided for a move, effects are applied,
int values are held in range and visits and choices are counted. Everything that plays (the
Session, the exhaustive search, randomtest) goes through `allows` and `advance` here; the fast
paths run `advance` on a mutable `Cursor` instead of building a new `State` per step.

Moves and effect blocks hold data only. What plays them fast is compiled from them here, when
something first plays (not when the story loads): `compile_effects` (the effect rule and the range
rule), `compile_move` (a whole move) and `scene_opener` (which of a scene's moves are open, with
the fallback rule). `advance`, `run_effects` and `open_moves` are those compiled forms too, so the
fast paths and the Session cannot drift apart.

The story language's constructs are rules here too: once-only and fallback choices (`allows`,
`open_moves`), effects in blocks with their own conditions and seeded random draws (`Effect`,
`draw`), effects on entering a scene, and sub-scenes called and returned from (the call stack).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Any, TypeVar

from .conditions import Condition, Value
from .errors import ChoiceError

Bounded = tuple[str, int, int | None, int | None]
"""An `add` effect with its variable's range resolved: (name, delta, min, max)."""

MAX_CALLS = 16
"""How deep sub-scenes may call sub-scenes: a call beyond it is closed, so no story recurses forever."""
_MASK = (1 << 64) - 1
T = TypeVar("T")


def compile_effects(
    adds: Sequence[Bounded], sets: Sequence[tuple[Any, Value]], dest: str | None = None, arrival: Sequence[Effect] = ()
) -> Callable[[Cursor], None]:
    """The effect rule, compiled for one block: adds, then sets, on `cursor.vars` (keyed by name,
    or by slot for a search's list of the variables it keeps). With `dest`, it is also the whole of
    a plain move (no counts, no calls): the cursor moves there and `arrival` runs."""

    def run(cursor: Cursor) -> None:
        values: Any = cursor.vars  # keyed by name, or by slot
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
        if dest is not None:
            cursor.scene = dest
            if arrival:
                run_effects(cursor, arrival)

    return run


def clamp_to(value: int, low: int | None, high: int | None) -> int:
    """The range rule for a value no add produced (a `set`, a warp): an add of nothing."""
    cursor = Cursor("", "", {"value": value}, {}, {})
    compile_effects((("value", 0, low, high),), ())(cursor)
    return int(cursor.vars["value"])


@dataclass(frozen=True, slots=True)
class Effect:
    """A block of effects: when its guard holds, adds (held in range), then sets, then random draws."""

    guard: Condition | None
    adds: tuple[Bounded, ...] = ()
    sets: tuple[tuple[str, Value], ...] = ()
    rolls: tuple[tuple[str, int, int], ...] = ()
    """(name, low, high): the variable takes a draw from the random stream, low to high included."""
    compiled: Callable[[Cursor], None] | None = field(default=None, init=False, repr=False, compare=False)
    """The adds and sets compiled (`compile_effects`): made the first time the block runs."""


@dataclass(slots=True, unsafe_hash=True)
class Move:
    """A choice compiled for play: where it leads, when it is open, what it changes.

    A move holds data only: what plays it fast (`compile_move`, `scene_opener`) is built from it
    when something plays, not when the story loads. Never changed once made (only `compiled` is
    filled in, once); not a frozen dataclass because making one is five times slower, and a
    story from the play cache makes its moves as play reaches them (randomtest: all of them)."""

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
    story compiles: looked up when the move is first made)."""
    compiled: Callable[[Cursor], None] | None = field(default=None, init=False, repr=False, compare=False)
    """`advance` compiled for this move, counting everything: made the first time it is needed."""

    @property
    def targets(self) -> tuple[str, ...]:
        """The scenes this move can lead to as written (a call: its sub-scene, then where its
        `return` comes back to); none for a `return`, which leads wherever the call came from."""
        if self.returns:
            return ()
        return (self.dest,) if self.push is None else (self.dest, self.push)

    @property
    def free(self) -> bool:
        """Open in every state: the fast paths skip asking."""
        return self.guard is None and not (self.once or self.fallback or self.returns or self.push)


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
    opener = scene_opener(moves, moves)
    return list(moves if opener is None else opener(state))


def scene_opener(moves: Sequence[Move], items: Sequence[T]) -> Callable[[State | Cursor], Sequence[T]] | None:
    """`open_moves` compiled for one scene's moves: the open ones' `items` (the moves themselves,
    or what a fast path keeps for each), in order; None when every move is open in every state.

    The one place the fallback rule is written: fallbacks are looked at only when nothing else is
    open. A fast path compiles each scene once and asks at every step of every play-through."""
    tests = [_test(m) for m in moves]
    if all(t is None for t in tests):
        return None
    fallbacks = tuple((item, m) for item, m in zip(items, moves, strict=True) if m.fallback)
    gated = [i for i, t in enumerate(tests) if t is not None]
    if not fallbacks and len(gated) == 1:
        # The commonest guarded scene: one move with a condition, the others always open.
        test, every = tests[gated[0]], tuple(items)
        assert test is not None
        rest = every[: gated[0]] + every[gated[0] + 1 :]
        return lambda state: every if test(state) else rest
    pairs = tuple(zip(items, tests, strict=True))

    def opened(state: State | Cursor) -> Sequence[T]:
        found = [item for item, test in pairs if test is None or test(state)]
        return found or [item for item, m in fallbacks if allows(state, m)]

    return opened


def _test(move: Move) -> Callable[[State | Cursor], object] | None:
    """`allows` for one move, as cheap as it can be (None: open in every state). A fallback is
    never open here: it waits for the fallback rule's second look."""
    if move.fallback:
        return _closed
    if move.free:
        return None
    if move.guard is not None and not (move.once or move.returns or move.push):
        return move.guard.test
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
            run = block.compiled
            if run is None:
                run = compile_effects(block.adds, block.sets)
                object.__setattr__(block, "compiled", run)
            run(cursor)
            for name, low, high in block.rolls:
                cursor.vars[name] = cursor.draw(low, high)


def advance(cursor: Cursor, move: Move) -> None:
    """Make an open move on a mutable cursor: effects, the call stack, visit and choice counts, and
    the effects of entering the scene it leads to."""
    run = move.compiled
    if run is None:
        run = compile_move(move)
        move.compiled = run
    run(cursor)


def compile_move(move: Move, *, visit: bool = True, choice: bool = True) -> Callable[[Cursor], None]:
    """The move rule for one move, with its fields bound once: a fast path makes a move once per
    step of every play-through. With `visit` or `choice` off, the move leaves that count alone (a
    fast path's choice when no condition reads it). The story must be compiled: the effects of
    entering the destination are looked up here."""
    dest, key, more, push, returns, arrivals = move.dest, move.key, move.more, move.push, move.returns, move.enter
    arrival = arrivals.get(dest, ())
    if not (more or returns or push is not None or visit or choice):
        # The fast paths' commonest move (counts no condition reads are off): effects and where it leads.
        return compile_effects(move.adds, move.sets, dest, arrival)
    effects = compile_effects(move.adds, move.sets) if move.adds or move.sets else None

    def run(cursor: Cursor) -> None:
        if effects is not None:
            effects(cursor)
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
        entering = arrivals.get(to, ()) if returns else arrival
        if entering:
            run_effects(cursor, entering)

    return run


def effect_writes(blocks: Iterable[Effect]) -> set[str]:
    """The variables some block of effects may change (adds, sets and rolls)."""
    return {name for b in blocks for name in (*(a[0] for a in b.adds), *(n for n, _ in b.sets), *(r[0] for r in b.rolls))}


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
    "compile_effects",
    "compile_move",
    "draw",
    "effect_writes",
    "open_moves",
    "run_effects",
    "scene_opener",
    "start",
    "step",
]
