"""Author text and expressions inside a scene file, compiled with their positions in the file.

The compiler hands each condition and each piece of text here; a mistake becomes a diagnostic
pointing at the very column when the YAML scalar is on one line and written without escapes, and at
the start of the scalar (quoting the words around the mistake) otherwise.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping

import yaml

from . import yamlsrc
from .conditions import Condition, compile_condition
from .errors import ConditionError, Diagnostic, Severity
from .loader import path_in
from .textlang import Run, Template, compile_template

Loc = tuple[str | int, ...]


class TextCompiler:
    """Compiles the conditions and texts of one story, each distinct text once."""

    def __init__(
        self, var_types: Mapping[str, type], enums: Mapping[str, Collection[str]], choice_keys: Collection[str], diags: list[Diagnostic]
    ) -> None:
        self.var_types = var_types
        self.enums = enums
        self.choice_keys = choice_keys
        self.diags = diags
        self.conditions: dict[str, Condition] = {}
        """Compiled conditions by their text: stories repeat the same few conditions many times."""
        self.templates: dict[str, Template] = {}

    def condition(self, text: str, doc: yamlsrc.Document, file: str, loc: Loc, ids: Collection[str]) -> Condition | None:
        known = self.conditions.get(text)
        if known is not None:
            return known
        try:
            compiled = self.conditions[text] = compile_condition(text, self.var_types, ids, enums=self.enums, choice_keys=self.choice_keys)
            return compiled
        except ConditionError as exc:
            self.report(doc, file, loc, text, exc, "condition")
            return None

    def text(self, text: str, doc: yamlsrc.Document, file: str, loc: Loc, ids: Collection[str]) -> Template:
        """The template of a piece of author text; on a mistake, the text as written (and a diagnostic)."""
        known = self.templates.get(text)
        if known is not None:
            return known
        try:
            compiled = self.templates[text] = compile_template(text, self.var_types, ids, enums=self.enums, choice_keys=self.choice_keys)
            return compiled
        except ConditionError as exc:
            self.report(doc, file, loc, text, exc, "text")
            return Template(text, (Run(text),))

    def report(self, doc: yamlsrc.Document, file: str, loc: Loc, text: str, exc: ConditionError, code: str) -> None:
        line, col, exact = offset_position(doc, loc, text, exc.offset)
        near = "" if exact or not text[exc.offset :].strip() else f" (at “{' '.join(text[exc.offset :].split())[:30]}”)"
        self.diags.append(Diagnostic(file, line, col, Severity.ERROR, code, f"{path_in(doc, loc)}: {exc.message}{near}"))


def offset_position(doc: yamlsrc.Document, loc: Loc, text: str, offset: int) -> tuple[int, int, bool]:
    """Line and column of `text[offset]` in the file, and whether that column is exact."""
    node = doc.node_at(loc)
    line, col = yamlsrc.mark_of(node)
    if isinstance(node, yaml.ScalarNode) and node.style in ("", '"', "'") and "\n" not in text:
        quote = 1 if node.style else 0
        # Escapes (`\"`, `''`) make the source longer than the text; then only its start is sure.
        width = node.end_mark.column - node.start_mark.column
        if node.end_mark.line == node.start_mark.line and width == len(text) + 2 * quote:
            return line, col + offset + quote, True
    return line, col, offset == 0
