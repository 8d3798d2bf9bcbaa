"""The story compiler: validated models in, a playable `Story` out.

Everything that could go wrong at play time is checked here, before anything is built: targets,
ids, roles, conditions, effects. Each choice becomes a kernel `Move` with its ranges resolved.
The `transitions` machine is made on demand and only tracks which scene a play-through is in:
the rules of play are the kernel's (`rules.py`).
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from . import yamlsrc
from .conditions import Condition, Value
from .effects import EffectCompiler, effect_writes, reporter
from .errors import Diagnostic, Severity, StoryError
from .gcpause import paused_gc
from .loader import SourceScene, StorySource, read_source
from .models import Choice, Ending, Passage, Scene, StoryMeta, VarType, format_when
from .rules import Effect, Move, clamp_to
from .storyfiles import resolve_story
from .storytext import TextCompiler
from .textlang import Template

if TYPE_CHECKING:
    # Imported where the machine is built: `check` never builds one and need not pay for the import.
    from transitions import Machine

_TYPES: dict[VarType, type] = {VarType.INT: int, VarType.BOOL: bool, VarType.STR: str, VarType.ENUM: str}
RESERVED = {"role", "true", "false", "visited"}


@dataclass(frozen=True, slots=True)
class Where:
    file: str
    line: int
    col: int


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
    def writes(self) -> set[str]:
        """The variables this choice's effects may change."""
        return effect_writes((Effect(None, self.move.adds, self.move.sets), *self.move.more))

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


@dataclass(slots=True, weakref_slot=True)
class Story:
    """A compiled story: scenes by id, typed variables, and the state machine (built on demand)."""

    meta: StoryMeta
    folder: Path
    scenes: dict[str, CompiledScene]
    var_types: dict[str, type]
    fingerprint: str
    files: list[str]
    diagnostics: list[Diagnostic] = field(default_factory=list)
    meta_where: dict[str, Where] = field(default_factory=dict)
    """Positions in story.yaml of `variables.NAME` and `historical_paths.ROLE`, for checks to point at."""
    enter: dict[str, tuple[Effect, ...]] = field(default_factory=dict)
    """Effects of entering each scene that has some."""
    fiction: bool = False
    """No scene says how it stands to the record: no labels, dates, sources or historical choices.
    Such a story plays without the docudrama's chrome."""
    _machine: Machine | None = None

    @property
    def id(self) -> str:
        return self.meta.id

    def defaults(self) -> dict[str, Value]:
        return {name: var.default for name, var in self.meta.variables.items()}

    def clamp(self, name: str, value: int) -> int:
        var = self.meta.variables[name]
        return clamp_to(value, var.min, var.max)

    def header(self, scene: CompiledScene) -> str:
        """`Fri 17 Nov 2023 · 12:00 PT · Google Meet`: the in-world moment and place."""
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

    @property
    def machine(self) -> Machine:
        """The `transitions` machine: scenes as states, choices as transitions.

        Built on first use (checks never need it). Triggers are `scene.choice` keys. The machine
        tracks the scene only: a Session triggers it after the kernel's `step` has decided the
        guard and applied the effects, so each rule is decided once, in `rules.py`.
        """
        if self._machine is None:
            self._machine = build_machine(self)
        return self._machine


def build_machine(story: Story) -> Machine:
    from transitions import Machine

    with paused_gc():
        return _build_machine(story, Machine)


def _build_machine(story: Story, machine_type: type[Machine]) -> Machine:
    machine = machine_type(
        model=None,
        states=list(story.scenes),
        initial=None,
        auto_transitions=False,
        send_event=True,
        ignore_invalid_triggers=False,
        model_override=True,
    )
    # A `return` leads wherever the call came from: one transition per place a call comes back to,
    # chosen by the destination the kernel has already decided.
    comebacks = sorted({c.model.goto for c in story.choices() if c.model.call and c.model.goto})
    for choice in story.choices():
        if choice.goto is not None:
            machine.add_transition(trigger=choice.key, source=choice.scene_id, dest=choice.goto)
            continue
        for target in comebacks:
            machine.add_transition(trigger=choice.key, source=choice.scene_id, dest=target, conditions=[_bound_for(target)])
    return machine


def _bound_for(target: str) -> Any:
    def bound(event: Any) -> bool:
        return bool(event.kwargs.get("dest") == target)

    return bound


def load_story(story: str | Path | None = None) -> Story:
    """Load, validate and compile a story folder (None: the built-in story). Raises StoryError."""
    with paused_gc(freeze=True):
        try:
            source = read_source(resolve_story(story))
        except RecursionError:
            raise StoryError([Diagnostic(str(story), 0, 0, Severity.ERROR, "invalid", "story is nested too deeply")]) from None
        return compile_story(source)


def compile_story(source: StorySource) -> Story:
    return _Compiler(source).run()


class _Compiler:
    def __init__(self, source: StorySource) -> None:
        self.source = source
        self.meta = source.meta
        self.diags: list[Diagnostic] = []
        self.var_types: dict[str, type] = {n: _TYPES[v.type] for n, v in self.meta.variables.items()}
        self.enums = {n: v.values for n, v in self.meta.variables.items() if v.values is not None}
        self.choice_keys: set[str] = {f"{s.scene.id}.{c.id}" for s in source.scenes for c in s.scene.choices}
        self.texts = TextCompiler(self.var_types, self.enums, self.choice_keys, self.diags)
        self.ids: set[str] = set()
        self.error = reporter(self.diags)  # refers to the list only: no cycle keeps the parsed files alive
        self.effects = EffectCompiler(self.meta, self.var_types, self.enums, self.error, self.texts, self.ids)
        self.enter: dict[str, tuple[Effect, ...]] = {}
        """Effects of entering each scene: one table, shared by every move (a `return`'s destination is known only in play)."""

    def meta_error(self, loc: tuple[str | int, ...], code: str, message: str) -> None:
        self.error(self.source.meta_doc, self.source.meta_file, ("story", *loc), code, message)

    def run(self) -> Story:
        src = self.source
        for name, var in self.meta.variables.items():
            if name in RESERVED:
                self.meta_error(("variables", name), "reserved-name", f"`{name}` is reserved and cannot be a variable")
            for i, who in enumerate(var.roles or []):
                if who not in self.meta.roles:
                    self.meta_error(
                        ("variables", name, "roles", i),
                        "unknown-role",
                        f"variables.{name}.roles: no role {who!r}{_near(who, self.meta.roles)}",
                    )
            if var.values is not None and var.default not in var.values:
                message = f"variables.{name}.default: {var.default!r} is not one of its values{_near(str(var.default), var.values)}"
                self.meta_error(("variables", name, "default"), "type", message)
        by_id: dict[str, SourceScene] = {}
        for item in src.scenes:
            first = by_id.get(item.scene.id)
            if first is not None:
                line, _ = first.doc.position(first.loc)
                self.error(
                    item.doc,
                    item.file,
                    (*item.loc, "id"),
                    "duplicate-scene",
                    f"scene id {item.scene.id!r} is already used at {first.file}:{line}",
                )
                continue
            by_id[item.scene.id] = item
        self.ids.update(by_id)
        ids = self.ids
        for role_id, role in self.meta.roles.items():
            if role.start not in ids:
                self.meta_error(
                    ("roles", role_id, "start"), "unknown-scene", f"start scene {role.start!r} does not exist{_near(role.start, ids)}"
                )
        for role_id, _path in self.meta.historical_paths.items():
            if role_id not in self.meta.roles:
                self.meta_error(("historical_paths", role_id), "unknown-role", f"no role {role_id!r}")
        fiction = not self.meta.historical_paths and not any(is_docudrama(item.scene) for item in by_id.values())
        if not fiction:
            for item in by_id.values():
                if item.scene.label is None:
                    message = "a scene needs `label` in a story with history (labels, dates or sources elsewhere)"
                    self.error(item.doc, item.file, item.loc, "invalid", message)
        scenes: dict[str, CompiledScene] = {}
        for scene_id, item in by_id.items():
            compiled = self.scene(item, ids)
            if compiled is not None:
                scenes[scene_id] = compiled
        if self.diags:
            raise StoryError(self.diags)
        digest = hashlib.sha256()
        digest.update(src.meta_doc.digest.encode())
        for file, file_digest in sorted({(s.file, s.doc.digest) for s in src.scenes}):
            digest.update(f"{file}\0{file_digest}\0".encode())
        return Story(
            meta=self.meta,
            folder=src.folder,
            scenes=scenes,
            var_types=self.var_types,
            fingerprint=digest.hexdigest()[:16],
            files=[str(f) for f in src.files],
            meta_where=self.meta_positions(),
            enter=self.enter,
            fiction=fiction,
        )

    def meta_positions(self) -> dict[str, Where]:
        src = self.source
        keys = [("variables", n) for n in self.meta.variables] + [("historical_paths", r) for r in self.meta.historical_paths]
        return {f"{part}.{name}": Where(src.meta_file, *src.meta_doc.position(("story", part, name))) for part, name in keys}

    def scene(self, item: SourceScene, ids: set[str]) -> CompiledScene | None:
        scene, doc, file, loc = item.scene, item.doc, item.file, item.loc
        before = len(self.diags)
        for i, role in enumerate(scene.roles):
            if role not in self.meta.roles:
                self.error(doc, file, (*loc, "roles", i), "unknown-role", f"roles: no role {role!r}{_near(role, self.meta.roles)}")
        if scene.act not in self.meta.acts and self.meta.acts:
            self.error(doc, file, (*loc, "act"), "unknown-act", f"act {scene.act} is not in the story's `acts`")
        passages: list[CompiledPassage] = []
        items = scene.paragraphs
        for i, part in enumerate(items):
            text_loc = (*loc, "text", i) if isinstance(scene.text, list) else (*loc, "text")
            if isinstance(part, str):
                passages.append(CompiledPassage(part, self.texts.text(part, doc, file, text_loc, ids)))
                continue
            assert isinstance(part, Passage)
            guard = self.condition(part.if_, doc, file, (*text_loc, "if"), ids) if part.if_ else None
            template = self.texts.text(part.text, doc, file, (*text_loc, "text"), ids)
            other = self.texts.text(part.else_, doc, file, (*text_loc, "else"), ids) if part.else_ else None
            passages.append(CompiledPassage(part.text, template, guard, part.else_, other, part.dramatised))
        arrival = self.effects.blocks(scene.effects, doc, file, (*loc, "effects"))
        if arrival:
            self.enter[scene.id] = arrival
        choices: list[CompiledChoice] = []
        for i, choice in enumerate(scene.choices):
            cloc = (*loc, "choices", i)
            for key in ("goto", "call"):
                target = getattr(choice, key)
                if target is not None and target not in ids:
                    self.error(doc, file, (*cloc, key), "unknown-scene", f"{key}: no scene {target!r}{_near(target, ids)}")
            guard = self.condition(choice.if_, doc, file, (*cloc, "if"), ids) if choice.if_ else None
            blocks = self.effects.blocks(choice.effects, doc, file, (*cloc, "effects"))
            # A leading block without a condition is the move's plain adds and sets (what the fast paths know);
            # its draws and every later block follow in order.
            first, rest = (blocks[0], blocks[1:]) if blocks and blocks[0].guard is None else (Effect(None), blocks)
            more = ((Effect(None, rolls=first.rolls),) if first.rolls else ()) + rest
            move = Move(
                f"{scene.id}.{choice.id}",
                scene.id,
                choice.call or choice.goto or scene.id,
                guard,
                first.adds,
                first.sets,
                choice.locked_reason,
                more=more,
                once=choice.once,
                fallback=choice.fallback,
                auto=choice.auto,
                push=choice.goto if choice.call else None,
                returns=choice.return_,
                enter=self.enter,
            )
            line, col = doc.position(cloc)
            label = self.texts.text(choice.text, doc, file, (*cloc, "text"), ids)
            reason = self.texts.text(choice.locked_reason, doc, file, (*cloc, "locked_reason"), ids) if choice.locked_reason else None
            reply = self.texts.text(choice.reply, doc, file, (*cloc, "reply"), ids) if choice.reply else None
            choices.append(CompiledChoice(scene.id, choice, move, Where(file, line, col), label, reason, reply))
        epilogue = self.texts.text(scene.ending.epilogue, doc, file, (*loc, "ending", "epilogue"), ids) if scene.ending else None
        if len(self.diags) > before:
            return None
        line, col = doc.position(loc)
        return CompiledScene(scene, tuple(passages), tuple(choices), Where(file, line, col), epilogue)

    def condition(self, text: str | None, doc: yamlsrc.Document, file: str, loc: tuple[str | int, ...], ids: set[str]) -> Condition | None:
        assert text is not None
        return self.texts.condition(text, doc, file, loc, ids)


def is_docudrama(scene: Scene) -> bool:
    """Whether a scene says anything about the record, which makes its story a docudrama (not fiction)."""
    ending = scene.ending is not None and scene.ending.historical
    return bool(scene.label or scene.when or scene.history or ending or any(c.historical for c in scene.choices))


def _near(name: str, known: Any) -> str:
    import difflib

    close = difflib.get_close_matches(name, list(known), n=1)
    return f" (did you mean {close[0]!r}?)" if close else ""
