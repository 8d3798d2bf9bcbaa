"""Effects as written (`add`, `set`, `roll`, each block with an optional `if`) compiled for the kernel.

Every name and value is checked here, with its position: an unknown variable, a value of the wrong
type, an enumeration value that does not exist, a roll on a variable that is not a whole number or
whose range reaches outside the variable's own.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Mapping
from typing import Any

from . import yamlsrc
from .conditions import Value
from .errors import Diagnostic, Severity
from .models import EffectList, Effects, StoryMeta, effect_blocks
from .rules import Bounded, Effect, clamp_to
from .storytext import TextCompiler

Loc = tuple[str | int, ...]
Report = Callable[[yamlsrc.Document, str, Loc, str, str], None]


class EffectCompiler:
    def __init__(
        self,
        meta: StoryMeta,
        var_types: Mapping[str, type],
        enums: Mapping[str, Collection[str]],
        report: Report,
        texts: TextCompiler,
        scene_ids: Collection[str],
    ) -> None:
        self.meta = meta
        self.var_types = var_types
        self.enums = enums
        self.report = report
        self.texts = texts
        self.scene_ids = scene_ids
        """The story's scene ids (filled in before any effect is compiled), for `visited()` in an `if`."""
        self.compiled: dict[tuple[Any, ...], Effect] = {}
        """Blocks compiled without a mistake, by their contents: stories repeat the same few effects."""

    def blocks(self, effects: EffectList, doc: yamlsrc.Document, file: str, loc: Loc) -> tuple[Effect, ...]:
        """Each block of effects in order; a list's items are at `loc[i]`, a single block at `loc`."""
        listed = isinstance(effects, list)
        result = []
        for i, block in enumerate(effect_blocks(effects)):
            where = (*loc, i) if listed else loc
            compiled = self.block(block, doc, file, where)
            if compiled.adds or compiled.sets or compiled.rolls:
                result.append(compiled)
        return tuple(result)

    def block(self, block: Effects, doc: yamlsrc.Document, file: str, loc: Loc) -> Effect:
        # `True` and `1` are equal keys; the value's type keeps them apart.
        sets = tuple((name, type(value), value) for name, value in block.set.items())
        key = (block.if_, tuple(block.add.items()), sets, tuple((name, *span) for name, span in block.roll.items()))
        known = self.compiled.get(key)
        if known is not None:
            return known
        mistakes = len(self.texts.diags)
        guard = self.texts.condition(block.if_, doc, file, (*loc, "if"), self.scene_ids) if block.if_ else None
        made = Effect(guard, self.adds(block, doc, file, loc), self.sets(block, doc, file, loc), self.rolls(block, doc, file, loc))
        if len(self.texts.diags) == mistakes:
            self.compiled[key] = made
        return made

    def known(self, name: str, what: str, doc: yamlsrc.Document, file: str, where: Loc) -> type | None:
        kind = self.var_types.get(name)
        if kind is None:
            self.report(doc, file, where, "unknown-variable", f"effects.{what}: unknown variable {name!r}{near(name, self.meta.variables)}")
        return kind

    def adds(self, block: Effects, doc: yamlsrc.Document, file: str, loc: Loc) -> tuple[Bounded, ...]:
        result: list[Bounded] = []
        for name, delta in block.add.items():
            where = (*loc, "add", name)
            kind = self.known(name, "add", doc, file, where)
            if kind is not None and kind is not int:
                self.report(doc, file, where, "type", f"effects.add: {name!r} is {kind.__name__}; only int variables can be added to")
            elif kind is not None:
                var = self.meta.variables[name]
                result.append((name, delta, var.min, var.max))
        return tuple(result)

    def sets(self, block: Effects, doc: yamlsrc.Document, file: str, loc: Loc) -> tuple[tuple[str, Value], ...]:
        result: list[tuple[str, Value]] = []
        for name, value in block.set.items():
            where = (*loc, "set", name)
            kind = self.known(name, "set", doc, file, where)
            if kind is None:
                continue
            if name in self.enums and value not in self.enums[name]:
                values = self.enums[name]
                message = f"effects.set: {value!r} is not a value of {name!r}{near(str(value), values)}; its values: {', '.join(values)}"
                self.report(doc, file, where, "type", message)
            elif type(value) is not kind:
                # Quoting only helps when text was wanted: `yes` for an int stays wrong in quotes.
                hint = doc.surprise(where) if kind is str else None
                message = f"effects.set: {name!r} is {kind.__name__}, not {type(value).__name__}" + (f" ({hint})" if hint else "")
                self.report(doc, file, where, "type", message)
            else:
                var = self.meta.variables[name]
                result.append((name, clamp_to(value, var.min, var.max) if type(value) is int else value))
        return tuple(result)

    def rolls(self, block: Effects, doc: yamlsrc.Document, file: str, loc: Loc) -> tuple[tuple[str, int, int], ...]:
        result = []
        for name, (low, high) in block.roll.items():
            where = (*loc, "roll", name)
            kind = self.known(name, "roll", doc, file, where)
            if kind is None:
                continue
            var = self.meta.variables[name]
            if kind is not int:
                self.report(doc, file, where, "type", f"effects.roll: {name!r} is {kind.__name__}; a roll gives a whole number")
            elif clamp_to(low, var.min, var.max) != low or clamp_to(high, var.min, var.max) != high:
                self.report(
                    doc, file, where, "type", f"effects.roll: [{low}, {high}] reaches outside {name!r}'s range {var.min}..{var.max}"
                )
            else:
                result.append((name, low, high))
        return tuple(result)


def reporter(diags: list[Diagnostic]) -> Report:
    """A `Report` that adds errors to `diags`, each at its place in its file. It refers to the list
    alone: were it the compiler's bound method, the compiler and its effect compiler would form a
    reference cycle, and loading freezes the collector (`paused_gc`), so every parsed file would
    stay in memory for good."""

    def report(doc: yamlsrc.Document, file: str, loc: Loc, code: str, message: str) -> None:
        line, col = doc.position(loc)
        diags.append(Diagnostic(file, line, col, Severity.ERROR, code, message))

    return report


def near(name: str, known: Any) -> str:
    import difflib

    close = difflib.get_close_matches(name, list(known), n=1)
    return f" (did you mean {close[0]!r}?)" if close else ""
