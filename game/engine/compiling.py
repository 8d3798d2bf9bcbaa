"""The story compiler: validated models in, a playable `Story` out (the whole of it, for `check`
and for a story the play cache cannot vouch for).

Everything that could go wrong at play time is checked here, before anything is built: targets,
ids, roles, conditions, effects. Each choice becomes a kernel `Move` with its ranges resolved.
`compile_scene` also makes one scene of a story loaded from the play cache, when play first shows it.
"""

from __future__ import annotations

import hashlib
from collections.abc import Collection
from typing import Any

from . import yamlsrc
from .conditions import Condition
from .effects import EffectCompiler, reporter
from .errors import Diagnostic, StoryError
from .loader import SourceScene, StorySource
from .models import Passage, Scene, StoryMeta, VarType
from .rules import Effect, Move
from .story import Basics, CompiledChoice, CompiledPassage, CompiledScene, Facts, Graph, Story, Where
from .storyfiles import fingerprint
from .storytext import TextCompiler

_TYPES: dict[VarType, type] = {VarType.INT: int, VarType.BOOL: bool, VarType.STR: str, VarType.ENUM: str}
RESERVED = {"role", "true", "false", "visited"}


def compile_story(source: StorySource) -> Story:
    return _Compiler(source.meta, {f"{s.scene.id}.{c.id}" for s in source.scenes for c in s.scene.choices}, source).run()


def var_types(meta: StoryMeta) -> dict[str, type]:
    return {n: _TYPES[v.type] for n, v in meta.variables.items()}


def compile_scenes(
    meta: StoryMeta, ids: Collection[str], choice_keys: Collection[str], items: list[SourceScene]
) -> tuple[dict[str, CompiledScene], dict[str, tuple[Effect, ...]]] | None:
    """Some scenes of a story (`increment.py`: those of the files an edit changed), compiled
    against all of the story's `ids` and `choice_keys`: each scene, and the effects of entering
    those that have any. None if any has a mistake (a whole compile reports it)."""
    compiler = _Compiler(meta, choice_keys)
    compiler.ids.update(ids)
    scenes = {}
    for item in items:
        compiled = compiler.scene(item, compiler.ids)
        if compiled is None:
            return None
        scenes[item.scene.id] = compiled
    return (scenes, compiler.enter) if not compiler.diags else None


class SceneCompiler:
    """Compiles one scene of a story already compiled whole (from the play cache), with the moves
    of the story's graph: the same code as the whole story's, each text and condition once."""

    def __init__(self, meta: StoryMeta, ids: Collection[str], choice_keys: Collection[str]) -> None:
        self.compiler = _Compiler(meta, choice_keys)
        self.compiler.ids.update(ids)

    def scene(self, scene: Scene, where: Where, choices: list[tuple[int, int]], moves: tuple[Move, ...]) -> CompiledScene:
        marks: dict[tuple[str | int, ...], tuple[int, int]] = {("scenes", 0): (where.line, where.col)}
        marks.update({("scenes", 0, "choices", i): place for i, place in enumerate(choices)})
        doc = yamlsrc.Document(data=None, text="", marks=marks)
        compiled = self.compiler.scene(SourceScene(scene, where.file, doc, ("scenes", 0)), self.compiler.ids, moves)
        if compiled is None or self.compiler.diags:
            raise StoryError(self.compiler.diags)  # the story compiled cleanly before: this cannot happen
        return compiled


class _Compiler:
    def __init__(self, meta: StoryMeta, choice_keys: Collection[str], source: StorySource | None = None) -> None:
        self.source = source
        self.meta = meta
        self.diags: list[Diagnostic] = []
        self.var_types = var_types(meta)
        self.enums = {n: v.values for n, v in self.meta.variables.items() if v.values is not None}
        self.texts = TextCompiler(self.var_types, self.enums, choice_keys, self.diags)
        self.ids: set[str] = set()
        self.error = reporter(self.diags)  # refers to the list only: no cycle keeps the parsed files alive
        self.effects = EffectCompiler(self.meta, self.var_types, self.enums, self.error, self.texts, self.ids)
        self.enter: dict[str, tuple[Effect, ...]] = {}
        """Effects of entering each scene: one table, shared by every move (a `return`'s destination is known only in play)."""

    def meta_error(self, loc: tuple[str | int, ...], code: str, message: str) -> None:
        assert self.source is not None
        self.error(self.source.meta_doc, self.source.meta_file, ("story", *loc), code, message)

    def run(self) -> Story:
        src = self.source
        assert src is not None
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
        meta = self.meta
        facts = {scene_id: scene_facts(scene) for scene_id, scene in scenes.items()}
        return Story(
            folder=src.folder,
            scenes=scenes,
            graph=Graph(list(scenes), {scene_id: tuple(c.move for c in scene.choices) for scene_id, scene in scenes.items()}),
            basics=Basics.of(meta),
            var_types=self.var_types,
            endings=frozenset(scene_id for scene_id, scene in scenes.items() if scene.ending is not None),
            fingerprint=fingerprint(src.meta_doc.digest, ((s.file, s.doc.digest) for s in src.scenes)),
            files=[str(f) for f in src.files],
            facts_source=lambda: facts,
            _facts=facts,
            meta_source=lambda: meta,
            _meta=meta,
            meta_where=self.meta_positions(),
            enter=self.enter,
            fiction=fiction,
        )

    def meta_positions(self) -> dict[str, Where]:
        src = self.source
        assert src is not None
        keys = [("variables", n) for n in self.meta.variables] + [("historical_paths", r) for r in self.meta.historical_paths]
        return {f"{part}.{name}": Where(src.meta_file, *src.meta_doc.position(("story", part, name))) for part, name in keys}

    def scene(self, item: SourceScene, ids: set[str], moves: tuple[Move, ...] | None = None) -> CompiledScene | None:
        """A scene compiled, or None after reporting its mistakes. With `moves` (the graph's, from a
        story that compiled cleanly before), its moves and effects are not made again."""
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
        if moves is None:
            arrival = self.effects.blocks(scene.effects, doc, file, (*loc, "effects"))
            if arrival:
                self.enter[scene.id] = arrival
        choices: list[CompiledChoice] = []
        for i, choice in enumerate(scene.choices):
            cloc = (*loc, "choices", i)
            move = moves[i] if moves is not None else self.move(item, i, ids)
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

    def move(self, item: SourceScene, i: int, ids: set[str]) -> Move:
        """Choice `i` of a scene as the kernel's move: its targets, guard and effects checked."""
        scene, doc, file = item.scene, item.doc, item.file
        choice, cloc = scene.choices[i], (*item.loc, "choices", i)
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
        return Move(
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

    def condition(self, text: str | None, doc: yamlsrc.Document, file: str, loc: tuple[str | int, ...], ids: set[str]) -> Condition | None:
        assert text is not None
        return self.texts.condition(text, doc, file, loc, ids)


_CHOICE_FIELDS = {"id", "goto", "call", "return_", "if_", "once", "fallback", "effects"}
_SEARCHED: Any = {"id": True, "roles": True, "weight": True, "effects": True, "choices": {"__all__": _CHOICE_FIELDS}}
"""What the coverage search reads of a scene's model (with whether it ends): `Facts.play`."""


def scene_facts(scene: CompiledScene) -> Facts:
    """What `check` reads of a compiled scene besides its moves (see `story.Facts`)."""
    model = scene.model
    words = sum(len(p.text.split()) + len((p.else_text or "").split()) for p in scene.passages)
    if model.ending is not None:
        words += len(model.ending.epilogue.split())
    reads: set[str] = set()
    for template in scene.templates():
        reads |= template.names
    searched = model.model_dump_json(include=_SEARCHED) + ("E" if model.ending is not None else "-")
    return Facts(
        where=scene.where,
        places=tuple(c.where for c in scene.choices),
        roles=tuple(model.roles),
        label=None if model.label is None else model.label.value,
        when=model.when,
        docudrama=is_docudrama(model),
        passage_guards=tuple(p.guard for p in scene.passages if p.guard is not None),
        text_reads=frozenset(reads),
        words=words,
        sources=len(model.history.sources) if model.history else 0,
        play=hashlib.sha256(searched.encode()).hexdigest()[:32],
    )


def is_docudrama(scene: Scene) -> bool:
    """Whether a scene says anything about the record, which makes its story a docudrama (not fiction)."""
    ending = scene.ending is not None and scene.ending.historical
    return bool(scene.label or scene.when or scene.history or ending or any(c.historical for c in scene.choices))


def _near(name: str, known: Any) -> str:
    import difflib

    close = difflib.get_close_matches(name, list(known), n=1)
    return f" (did you mean {close[0]!r}?)" if close else ""
