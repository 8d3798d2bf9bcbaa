"""A play-through in progress: the runtime API that the UI, plain mode, replay and tools share.

A thin facade over the play kernel (`rules.py`): the session holds the kernel's immutable
`State`, the history of steps and the undo stack (earlier states); every choice is one
`rules.step`. The story's `transitions` machine follows along, tracking the scene.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from . import rules
from .conditions import Value
from .errors import ChoiceError
from .rules import Move, State
from .safetext import visible
from .story import CompiledChoice, CompiledScene, Story
from .textlang import Runs, Template, joined, plain

if TYPE_CHECKING:
    from datetime import datetime

    from .models import Ending, Label


@dataclass(frozen=True, slots=True)
class Paragraph:
    """A paragraph of scene text as rendered for the current state: runs of (text, style)."""

    runs: Runs
    dramatised: bool = False

    @property
    def text(self) -> str:
        """The words alone, emphasis dropped; blank lines still separate paragraphs."""
        return plain(self.runs)


@dataclass(frozen=True, slots=True)
class ChoiceView:
    """A choice as offered now. Locked choices are listed only when asked for (author mode)."""

    id: str
    text: str
    available: bool
    historical: bool
    locked_reason: str | None
    goto: str | None
    note: str | None
    runs: Runs = ()
    """`text` with its emphasis, for the UI."""


@dataclass(frozen=True, slots=True)
class VarView:
    name: str
    label: str
    value: Value
    min: int | None
    max: int | None
    description: str | None


@dataclass(frozen=True, slots=True)
class Step:
    """One choice taken, with what history did at the same point."""

    scene_id: str
    choice_id: str
    choice_text: str
    historical: bool
    """The choice taken was history's."""
    history_choice: str | None
    """History's choice at this scene, if the scene has one."""
    weight: int
    history_text: str | None = None
    """History's choice as its words read at this point, if the scene has one."""
    reply: Runs = ()
    """The choice's reply, as it read once the choice was taken (after a move made by itself, the
    text of the scene it passed through comes first)."""
    auto: bool = False
    """The story moved on by itself here (`rules.auto_move`): the player was not asked."""

    @property
    def key(self) -> str:
        return f"{self.scene_id}.{self.choice_id}"

    @property
    def departed(self) -> bool:
        """The player left history here: the scene had a historical option and they took another."""
        return self.history_choice is not None and not self.historical


@dataclass(frozen=True, slots=True)
class Divergence:
    """How far the play-through has left history.

    `score` is the sum of the weights of the decisions where the player took a non-historical
    option; `possible` the sum of the weights of all decisions met that had a historical option.
    `first` is the step where the player first left history.
    """

    score: int
    possible: int
    first: Step | None

    @property
    def percent(self) -> int:
        return round(100 * self.score / self.possible) if self.possible else 0


@dataclass(slots=True)
class _Marker:
    """The model object the `transitions` machine moves: the scene, nothing else."""

    state: str


@dataclass(slots=True)
class Session:
    story: Story
    role: str
    start: str
    state: State
    initial: dict[str, Value]
    """The variables at the start (with any `--set` warps): what `fresh` and saves start from."""
    history: list[Step] = field(default_factory=list)
    _undo: list[State] = field(default_factory=list)
    _marker: _Marker | None = None

    @classmethod
    def new(
        cls,
        story: Story,
        role: str | None = None,
        *,
        start: str | None = None,
        overrides: Mapping[str, Value] | None = None,
        seed: int = 0,
    ) -> Session:
        """Start a play-through. `start` and `overrides` are author warps (`--from`, `--set`)."""
        starts = story.basics.starts
        role = role or next(iter(starts))
        if role not in starts:
            raise ChoiceError(f"no role {role!r}; roles are: {', '.join(starts)}")
        first = start or starts[role]
        if first not in story.scenes:
            raise ChoiceError(f"no scene {first!r}")
        values = story.defaults()
        for name, value in (overrides or {}).items():
            kind = story.var_types.get(name)
            if kind is None:
                raise ChoiceError(f"no variable {name!r}")
            if type(value) is not kind:
                raise ChoiceError(f"{name} is {kind.__name__}, not {type(value).__name__}")
            if isinstance(value, str):
                # A warped or saved value is outside text: shown, never obeyed, by the terminal.
                value = visible(value)
            values[name] = story.clamp(name, value) if isinstance(value, int) and kind is int else value
        state = rules.start(first, role, values, seed=seed)
        if first in story.enter:
            state = rules.arrive(state, story.enter[first])
        return cls(story, role, first, state, dict(values))

    @classmethod
    def remade(
        cls,
        story: Story,
        role: str,
        start: str,
        initial: Mapping[str, Value],
        path: Iterable[str],
        *,
        seed: int = 0,
        start_may_move: bool = False,
    ) -> tuple[Session, list[str]]:
        """A play-through made again on `story` (perhaps edited since) from what defines it.

        Starting values the story no longer declares, or whose type changed, fall back to the
        defaults; with `start_may_move`, so does a start scene that is gone (else ChoiceError).
        Returns the session and the steps of `path` that no longer fit, described. The one way
        saves are loaded and a live-reloaded story picks up the player's game.
        """
        overrides = {k: v for k, v in initial.items() if story.var_types.get(k) is type(v)}
        first = None if start_may_move and start not in story.scenes else start
        session = cls.new(story, role, start=first, overrides=overrides, seed=seed)
        return session, session.replay(path)

    # --- where we are ---------------------------------------------------------------------------
    @property
    def scene_id(self) -> str:
        return self.state.scene

    @property
    def scene(self) -> CompiledScene:
        return self.story.scenes[self.state.scene]

    @property
    def vars(self) -> Mapping[str, Value]:
        return self.state.vars

    @property
    def visits(self) -> Mapping[str, int]:
        return self.state.visits

    @property
    def ending(self) -> Ending | None:
        return self.scene.ending

    @property
    def label(self) -> Label | None:
        """How the scene stands to the record; None in fiction."""
        return self.scene.model.label

    @property
    def header(self) -> str:
        return self.story.header(self.scene)

    @property
    def moment(self) -> datetime | None:
        """The in-world clock: the latest `when` met on the path so far."""
        from .models import parse_when

        for scene_id in [self.scene_id, *(s.scene_id for s in reversed(self.history))]:
            when = self.story.scenes[scene_id].model.when
            if when:
                return parse_when(when)
        return None

    def paragraphs(self) -> list[Paragraph]:
        result = []
        for passage in self.scene.passages:
            if passage.guard is None or passage.guard.test(self.state):
                result.append(Paragraph(self.render(passage.template), passage.dramatised))
            elif passage.else_template is not None:
                result.append(Paragraph(self.render(passage.else_template), passage.dramatised))
        return result

    def render(self, template: Template) -> Runs:
        """A piece of the story's text as it reads now."""
        return template.render(self.state)

    def epilogue(self) -> Runs:
        """The ending's epilogue as it reads now (empty when this is not an ending)."""
        epilogue = self.scene.epilogue
        return self.render(epilogue) if epilogue is not None else ()

    def choices(self, include_locked: bool = False) -> list[ChoiceView]:
        """The open choices; with `include_locked`, also those whose condition fails (a once-only choice
        already taken, or a fallback while another choice is open, is not locked but gone)."""
        views = []
        offered = self._open()
        for choice in self.scene.choices:
            ok = id(choice.move) in offered
            guard = choice.move.guard
            if ok or (include_locked and guard is not None and not guard.test(self.state)):
                m = choice.model
                label = self.render(choice.label)
                reason = plain(self.render(choice.reason)) if choice.reason is not None and not ok else None
                views.append(ChoiceView(m.id, plain(label), ok, m.historical, reason, choice.goto, m.note, label))
        return views

    def _open(self) -> set[int]:
        return {id(m) for m in rules.open_moves(self.state, [c.move for c in self.scene.choices])}

    @property
    def reply(self) -> Runs:
        """What the last choice answered, and the scenes the story then passed through by itself,
        shown before this scene's text (empty when there is none of either)."""
        last = len(self.history)
        while last and self.history[last - 1].auto:
            last -= 1
        return joined([s.reply for s in self.history[max(0, last - 1) :]])

    def choice_text(self, choice: CompiledChoice) -> str:
        """A choice's words as they read now, whether or not it is open."""
        return plain(self.render(choice.label))

    def visible_vars(self) -> list[VarView]:
        result = []
        for name, var in self.story.meta.variables.items():
            if var.visible and (var.roles is None or self.role in var.roles):
                result.append(VarView(name, var.label or name, self.state.vars[name], var.min, var.max, var.description))
        return result

    # --- moving ---------------------------------------------------------------------------------
    def choose(self, choice_id: str) -> CompiledScene:
        """Take a choice by id; raises ChoiceError if it does not exist or is locked."""
        scene = self.scene
        choice = scene.choice(choice_id)
        if choice is None:
            raise ChoiceError(f"scene {scene.id!r} has no choice {choice_id!r}")
        if id(choice.move) not in self._open():
            raise ChoiceError(choice.model.locked_reason or f"choice {choice_id!r} is not open now")
        auto = rules.auto_move(self.state, [c.move for c in scene.choices]) is choice.move
        passed = [p.runs for p in self.paragraphs()] if auto else []
        moved = rules.step(self.state, choice.move)
        self._follow(choice.move, moved.scene)
        text = self.choice_text(choice)
        hist = scene.historical_choice
        history_text = self.choice_text(hist) if hist is not None else None
        self._undo.append(self.state)
        self.state = moved
        self.history.append(
            Step(
                scene.id,
                choice.id,
                text,
                choice.model.historical,
                hist.id if hist else None,
                scene.model.weight,
                history_text,
                joined([*passed, choice.reply.render(moved) if choice.reply is not None else ()]),
                auto,
            )
        )
        return self.scene

    def _follow(self, move: Move, dest: str) -> None:
        """Move the machine's marker along the transition the kernel has just taken (the machine
        grows to hold it the first time, `Story.follow`)."""
        marker = self._marker
        if marker is None:
            marker = self._marker = _Marker(move.scene)
        marker.state = move.scene
        self.story.follow(move, dest).trigger(marker, dest=dest)

    def undo(self) -> bool:
        """Go back one choice; False when at the start. Unlimited."""
        if not self._undo:
            return False
        self.state = self._undo.pop()
        self.history.pop()
        return True

    def restart(self) -> None:
        while self.undo():
            pass

    def fresh(self) -> Session:
        """A new session with this one's role, start and starting values, before any choice."""
        return Session.new(self.story, self.role, start=self.start, overrides=self.initial, seed=self.seed)

    @property
    def before_last(self) -> Mapping[str, Value] | None:
        """The variables just before the last choice; None at the start."""
        return self._undo[-1].vars if self._undo else None

    @property
    def seed(self) -> int:
        """The random stream's state at the start: with the path, it makes the play-through again."""
        return self._undo[0].seed if self._undo else self.state.seed

    def course(self) -> list[dict[str, Value]]:
        """The variables at the start and after each step, found by replaying the history afresh."""
        replayed = self.fresh()
        values = [dict(replayed.vars)]
        for step in self.history:
            replayed.choose(step.choice_id)
            values.append(dict(replayed.vars))
        return values

    # --- against history ------------------------------------------------------------------------
    @property
    def on_historical_path(self) -> bool:
        """True while every decision so far that had a historical option took it."""
        return not any(step.departed for step in self.history)

    @property
    def divergence(self) -> Divergence:
        score = sum(s.weight for s in self.history if s.departed)
        possible = sum(s.weight for s in self.history if s.history_choice is not None)
        first = next((s for s in self.history if s.departed), None)
        return Divergence(score, possible, first)

    @property
    def path(self) -> list[str]:
        """The choices taken as `scene.choice` keys: what saves store and replay follows."""
        return [s.key for s in self.history]

    def replay(self, keys: Iterable[str]) -> list[str]:
        """Follow recorded `scene.choice` keys from here; stop at the first that no longer fits.

        Returns a description of each key that could not be followed (empty when all could).
        """
        keys = list(keys)
        for i, key in enumerate(keys):
            scene_id, _, choice_id = key.partition(".")
            if scene_id != self.scene_id:
                return [f"step {i + 1}: expected to be in {scene_id!r} but the story led to {self.scene_id!r}", *keys[i + 1 :]]
            try:
                self.choose(choice_id)
            except ChoiceError as exc:
                return [f"step {i + 1}: {key}: {exc.message}", *keys[i + 1 :]]
        return []
