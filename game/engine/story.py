"""A loaded story, as play uses it: the kernel's graph, and each scene's text built when first shown.

A `Story` has two sides. The kernel's side is the graph: each scene's moves (`rules.Move`), the
endings, and the few facts of story.yaml that play needs (`Basics`); it is all the kernel, the
Session and randomtest need to move. The presentation side, `story.scenes`, maps each scene id to a
`CompiledScene` (its model, its templates, its positions): a story loaded from the play cache
(`playcache.py`) compiles a scene only when something asks for it, so a player pays for the scenes
they see. The `transitions` machine grows as play goes: a state and a transition are added when
play first takes them.

This module imports neither pydantic nor the checker, so that a story loaded from the play cache
can be played (and randomtested) without them.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .facts import Facts, Where
from .gcpause import paused_gc
from .rules import Effect, Move, clamp_to

if TYPE_CHECKING:
    from transitions import Machine

    from .conditions import Condition, Value
    from .errors import Diagnostic
    from .models import Choice, Ending, Scene, StoryMeta
    from .textlang import Template


@dataclass(frozen=True, slots=True)
class CompiledPassage:
    text: str
    template: Template
    guard: Condition | None = None
    else_text: str | None = None
    else_template: Template | None = None
    dramatised: bool = False


@dataclass(frozen=True, slots=True)
class CompiledChoice:
    scene_id: str
    model: Choice
    move: Move
    where: Where
    label: Template
    """The choice's text, which may depend on the state."""
    reason: Template | None
    reply: Template | None = None
    """Text shown once the choice is taken, before the next scene."""

    @property
    def guard(self) -> Condition | None:
        return self.move.guard

    @property
    def id(self) -> str:
        return self.model.id

    @property
    def goto(self) -> str | None:
        """The scene this choice leads to (for a call, its sub-scene); None for a `return`, which
        leads wherever the call came from."""
        return self.model.call or self.model.goto

    @property
    def targets(self) -> tuple[str, ...]:
        """Scenes this choice can lead to, read from the file: a call leads to its sub-scene and, on return, its `goto`."""
        return tuple(t for t in (self.model.call, self.model.goto) if t is not None)

    @property
    def key(self) -> str:
        """`scene.choice`: the id used in saves and recorded paths."""
        return self.move.key


@dataclass(frozen=True, slots=True)
class CompiledScene:
    model: Scene
    passages: tuple[CompiledPassage, ...]
    choices: tuple[CompiledChoice, ...]
    where: Where
    epilogue: Template | None = None

    @property
    def id(self) -> str:
        return self.model.id

    @property
    def ending(self) -> Ending | None:
        return self.model.ending

    @property
    def historical_choice(self) -> CompiledChoice | None:
        return next((c for c in self.choices if c.model.historical), None)

    def choice(self, choice_id: str) -> CompiledChoice | None:
        return next((c for c in self.choices if c.model.id == choice_id), None)

    def templates(self) -> Iterator[Template]:
        """Every piece of the scene's text that may read the state."""
        for passage in self.passages:
            yield passage.template
            if passage.else_template is not None:
                yield passage.else_template
        for choice in self.choices:
            yield choice.label
            if choice.reason is not None:
                yield choice.reason
        if self.epilogue is not None:
            yield self.epilogue


@dataclass(frozen=True, slots=True)
class Basics:
    """What play needs of story.yaml, as plain data: the story's id, title and premise (what the
    title screen shows), each role's start, each variable's default, range and the roles that see it."""

    story_id: str
    title: str
    premise: str | None
    starts: dict[str, str]
    defaults: dict[str, Value]
    ranges: dict[str, tuple[int | None, int | None]]
    shown_to: dict[str, tuple[str, ...] | None]
    """The roles a variable is declared for (None: every role)."""

    @classmethod
    def of(cls, meta: StoryMeta) -> Basics:
        variables = meta.variables.items()
        return cls(
            meta.id,
            meta.title,
            meta.premise,
            {role_id: role.start for role_id, role in meta.roles.items()},
            {name: var.default for name, var in variables},
            {name: (var.min, var.max) for name, var in variables},
            {name: None if var.roles is None else tuple(var.roles) for name, var in variables},
        )


class Graph:
    """The kernel's side of a story: each scene's moves, in the order the scene lists them, made
    when first asked for (all at once for a story compiled from source)."""

    def __init__(
        self, ids: Sequence[str], made: dict[str, tuple[Move, ...]], make: Callable[[str], tuple[Move, ...]] | None = None
    ) -> None:
        self.ids = ids
        self._made = made
        self._make = make

    def moves(self, scene_id: str) -> tuple[Move, ...]:
        found = self._made.get(scene_id)
        if found is None:
            if self._make is None:
                raise KeyError(scene_id)
            found = self._made[scene_id] = self._make(scene_id)
        return found

    def all_moves(self) -> Iterator[Move]:
        for scene_id in self.ids:
            yield from self.moves(scene_id)


class SceneTable(Mapping[str, "CompiledScene"]):
    """`story.scenes` for a story from the play cache: each scene compiled on first access."""

    def __init__(self, ids: Sequence[str], make: Callable[[str], CompiledScene]) -> None:
        self._ids = dict.fromkeys(ids)
        self._made: dict[str, CompiledScene] = {}
        self._make = make

    def __getitem__(self, scene_id: str) -> CompiledScene:
        found = self._made.get(scene_id)
        if found is None:
            if scene_id not in self._ids:
                raise KeyError(scene_id)
            found = self._made[scene_id] = self._make(scene_id)
        return found

    def __contains__(self, scene_id: object) -> bool:
        return scene_id in self._ids

    def __iter__(self) -> Iterator[str]:
        return iter(self._ids)

    def __len__(self) -> int:
        return len(self._ids)

    @property
    def made(self) -> int:
        """How many scenes have been compiled so far."""
        return len(self._made)


@dataclass(slots=True, weakref_slot=True)
class Story:
    """A compiled story: scenes by id, typed variables, the kernel's graph and the state machine."""

    folder: Path
    scenes: Mapping[str, CompiledScene]
    graph: Graph
    basics: Basics
    var_types: dict[str, type]
    endings: frozenset[str]
    fingerprint: str
    files: list[str]
    facts_source: Callable[[], dict[str, Facts]]
    """Gives what `check` reads of each scene besides its moves (see `Facts` and `facts`)."""
    meta_source: Callable[[], StoryMeta]
    """Gives the story's metadata model (validated when first asked for, from the play cache)."""
    diagnostics: list[Diagnostic] = field(default_factory=list)
    meta_where: dict[str, Where] = field(default_factory=dict)
    """Positions in story.yaml of `variables.NAME` and `historical_paths.ROLE`, for checks to point at."""
    enter: dict[str, tuple[Effect, ...]] = field(default_factory=dict)
    """Effects of entering each scene that has some."""
    fiction: bool = False
    """No scene says how it stands to the record: no labels, dates, sources or historical choices.
    Such a story plays without the docudrama's chrome."""
    checked_digest: Callable[[], str | None] = lambda: None
    """A digest of everything `check` reads of the story (`playcache.checked_digest`), or None when
    it is not known: two stories with the same digest get the same report."""
    _meta: StoryMeta | None = None
    _facts: dict[str, Facts] | None = None
    _machine: Machine | None = None

    @property
    def facts(self) -> dict[str, Facts]:
        """Each scene's `Facts`, by id (made when first asked for, from the play cache: play never asks)."""
        if self._facts is None:
            self._facts = self.facts_source()
        return self._facts

    @property
    def meta(self) -> StoryMeta:
        if self._meta is None:
            self._meta = self.meta_source()
        return self._meta

    @property
    def id(self) -> str:
        return self.basics.story_id

    @property
    def title(self) -> str:
        return self.basics.title

    @property
    def premise(self) -> str | None:
        return self.basics.premise

    def defaults(self) -> dict[str, Value]:
        return dict(self.basics.defaults)

    def clamp(self, name: str, value: int) -> int:
        return clamp_to(value, *self.basics.ranges[name])

    def moves(self, scene_id: str) -> tuple[Move, ...]:
        """A scene's moves, in the order the scene lists its choices."""
        return self.graph.moves(scene_id)

    def header(self, scene: CompiledScene) -> str:
        """`Fri 17 Nov 2023 · 12:00 PT · Google Meet`: the in-world moment and place."""
        from .models import format_when

        model = scene.model
        parts = []
        if model.when:
            parts.append(format_when(model.when, model.tz or self.meta.tz, model.approximate))
        if model.place:
            parts.append(model.place)
        return " · ".join(parts)

    def choices(self) -> Iterator[CompiledChoice]:
        for scene in self.scenes.values():
            yield from scene.choices

    def guards(self) -> Iterator[Condition]:
        """The conditions that decide what happens in play: on choices, and on blocks of effects
        (of choices and of entering scenes), which decide what the choices will later see. From the
        graph alone: no scene compiled."""
        for move in self.graph.all_moves():
            if move.guard is not None:
                yield move.guard
            yield from (block.guard for block in move.more if block.guard is not None)
        for blocks in self.enter.values():
            yield from (block.guard for block in blocks if block.guard is not None)

    def reach(self, starts: Sequence[str]) -> set[str]:
        """Scenes reachable from `starts` ignoring conditions (a call leads to its sub-scene and to
        where it comes back): the kernel's graph alone, no scene compiled."""
        seen = set(starts)
        queue = list(starts)
        while queue:
            for move in self.graph.moves(queue.pop()):
                for target in move.targets:
                    if target not in seen:
                        seen.add(target)
                        queue.append(target)
        return seen

    @property
    def machine(self) -> Machine:
        """The `transitions` machine: scenes as states, choices (`scene.choice` keys) as transitions.

        It grows as play goes (`follow`): a state or a transition is added when play first takes
        it. It tracks the scene only: a Session triggers it after the kernel's `step` has decided
        the guard and applied the effects, so each rule is decided once, in `rules.py`.
        `build_machine` makes the whole of it at once.
        """
        if self._machine is None:
            self._machine = _new_machine([])
        return self._machine

    def follow(self, move: Move, dest: str) -> Any:
        """The machine's event for `move`, taken to `dest` (the kernel's decision), with its states
        and its transition added if play had not taken them before."""
        machine: Any = self.machine
        for state in (move.scene, dest):
            if state not in machine.states:
                machine.add_state(state)
        event = machine.events.get(move.key)
        if move.returns:
            known = event.transitions.get(move.scene, []) if event is not None else []
            if not any(t.dest == dest for t in known):
                machine.add_transition(trigger=move.key, source=move.scene, dest=dest, conditions=[_bound_for(dest)])
        elif event is None:
            machine.add_transition(trigger=move.key, source=move.scene, dest=move.dest)
        return machine.events[move.key]


def _new_machine(states: list[str]) -> Machine:
    from transitions import Machine

    return Machine(
        model=None,
        states=states,
        initial=None,
        auto_transitions=False,
        send_event=True,
        ignore_invalid_triggers=False,
        model_override=True,
    )


def build_machine(story: Story) -> Machine:
    """The whole machine at once: every scene a state, every choice a transition (for a diagram or
    a test; play grows its own, `Story.follow`)."""
    with paused_gc():
        machine = _new_machine(list(story.scenes))
        moves = list(story.graph.all_moves())
        # A `return` leads wherever the call came from: one transition per place a call comes back
        # to, chosen by the destination the kernel has already decided.
        comebacks = sorted({m.push for m in moves if m.push is not None})
        for move in moves:
            if not move.returns:
                machine.add_transition(trigger=move.key, source=move.scene, dest=move.dest)
                continue
            for target in comebacks:
                machine.add_transition(trigger=move.key, source=move.scene, dest=target, conditions=[_bound_for(target)])
        return machine


def _bound_for(target: str) -> Any:
    def bound(event: Any) -> bool:
        return bool(event.kwargs.get("dest") == target)

    return bound


__all__ = [
    "Basics",
    "CompiledChoice",
    "CompiledPassage",
    "CompiledScene",
    "Facts",
    "Graph",
    "SceneTable",
    "Story",
    "Where",
    "build_machine",
]
