"""Checks on what conditions say: traps in how they read, and values that can never match.

Each check reads the condition's syntax tree (the same parse the condition compiler makes), never
the condition's text with a pattern.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator, Sequence
from functools import lru_cache
from itertools import pairwise
from typing import TYPE_CHECKING

from .conditions import Condition, Value, parse_condition
from .errors import Diagnostic, Severity

if TYPE_CHECKING:
    from .compiler import Story, Where


def _warn(where: Where, code: str, message: str) -> Diagnostic:
    return Diagnostic(where.file, where.line, where.col, Severity.WARNING, code, message)


def placed(story: Story) -> Iterator[tuple[Condition, Where]]:
    """Every condition with the position of what it belongs to (a scene or a choice)."""
    for scene_id, facts in story.facts.items():
        for guard in facts.passage_guards:
            yield guard, facts.where
        for block in story.enter.get(scene_id, ()):
            if block.guard is not None:
                yield block.guard, facts.where
        for move, where in zip(story.graph.moves(scene_id), facts.places, strict=True):
            if move.guard is not None:
                yield move.guard, where
            for block in move.more:
                if block.guard is not None:
                    yield block.guard, where


@lru_cache(maxsize=4096)
def _parsed(text: str) -> ast.expr:
    """The syntax tree of a condition's text, parsed once however many conditions share it (a
    story repeats a few texts many times). Read only: nothing here changes a tree."""
    return parse_condition(text).body


def _tree(condition: Condition) -> tuple[str, ast.expr]:
    text = condition.text.strip()
    return text, _parsed(text)


def _not_compares(text: str) -> list[str]:
    """The message for each `not x == y` without brackets in `text` (see `conditions`)."""
    found = []
    for node in ast.walk(_parsed(text)):
        if isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.Not) and isinstance(node.operand, ast.Compare):
            between = text[node.col_offset + 3 : node.operand.col_offset]
            if "(" not in between:
                inner = ast.get_source_segment(text, node.operand) or "…"
                found.append(
                    f"`{text}` means `not ({inner})` here (Ink would read `(not …) == …`): "
                    "write `!=`, or brackets, so every reader sees the same thing"
                )
    return found


def conditions(story: Story) -> Iterator[Diagnostic]:
    """`not x == y`: here it means `not (x == y)`, in Ink `(not x) == y`. Either way a reader may
    take it for the other, so `check` asks for brackets or `!=`. Each distinct text is read once."""
    seen: set[tuple[str, Where]] = set()
    messages: dict[str, list[str]] = {}
    for condition, where in placed(story):
        text = condition.text.strip()
        found = messages.get(text)
        if found is None:
            found = messages[text] = _not_compares(text)
        if found and (text, where) not in seen:
            seen.add((text, where))
            yield _warn(where, "not-compare", found[0])


def _compared(body: ast.expr, strings: set[str]) -> Iterator[tuple[str, str]]:
    """(variable, text) for each text a text variable is compared with (`==`, `!=`, `in`)."""
    for node in ast.walk(body):
        if not isinstance(node, ast.Compare):
            continue
        sides = [node.left, *node.comparators]
        for left, right in pairwise(sides):
            for name, other in ((left, right), (right, left)):
                if isinstance(name, ast.Name) and name.id in strings:
                    items = other.elts if isinstance(other, ast.List | ast.Tuple) else [other]
                    for item in items:
                        if isinstance(item, ast.Constant) and isinstance(item.value, str):
                            yield name.id, item.value


def assigned(story: Story) -> dict[str, set[Value]]:
    """Every value a variable can hold from its default and the `set` effects (adds and draws
    make numbers, which this does not follow)."""
    found: dict[str, set[Value]] = {name: {var.default} for name, var in story.meta.variables.items()}
    blocks = [b for bs in story.enter.values() for b in bs]
    for move in story.graph.all_moves():
        for name, value in move.sets:
            found[name].add(value)
        blocks += move.more
    for block in blocks:
        for name, value in block.sets:
            found[name].add(value)
    return found


def values(story: Story) -> Iterator[Diagnostic]:
    """A text compared in a condition that the variable is never given: that test never matches
    (or, with `!=`, always does), usually a misspelling on one side."""
    strings = {name for name, kind in story.var_types.items() if kind is str}
    if not strings:
        return
    held = assigned(story)
    seen: set[tuple[str, str]] = set()
    compared: dict[str, list[tuple[str, str]]] = {}
    for condition, where in placed(story):
        source = condition.text.strip()
        pairs = compared.get(source)
        if pairs is None:
            pairs = compared[source] = list(_compared(_parsed(source), strings))
        for name, text in pairs:
            if text not in held[name] and (name, text) not in seen:
                seen.add((name, text))
                given = ", ".join(repr(v) for v in sorted(map(str, held[name])))
                yield _warn(where, "never-assigned", f"{name!r} is compared with {text!r} but never set to it (it can be {given})")


_OPPOSITE: dict[type[ast.cmpop], type[ast.cmpop]] = {
    ast.Gt: ast.LtE,
    ast.LtE: ast.Gt,
    ast.Lt: ast.GtE,
    ast.GtE: ast.Lt,
    ast.Eq: ast.NotEq,
    ast.NotEq: ast.Eq,
    ast.In: ast.NotIn,
    ast.NotIn: ast.In,
}


def _shape(node: ast.expr) -> str:
    return ast.dump(node, annotate_fields=False, include_attributes=False)


def _negated(node: ast.expr) -> str | None:
    """The shape of `not node`, written the way an author would write the opposite condition."""
    if isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.Not):
        return _shape(node.operand)
    if isinstance(node, ast.Compare) and len(node.ops) == 1:
        flipped = _OPPOSITE.get(type(node.ops[0]))
        if flipped is not None:
            return _shape(ast.Compare(node.left, [flipped()], node.comparators))
    return _shape(ast.UnaryOp(ast.Not(), node))


def covered(guards: Sequence[Condition]) -> bool:
    """Whether two of `guards` are each other's opposite (`x` / `not x`, `a > 3` / `a <= 3`,
    `m == 'a'` / `m != 'a'`), so that in every state one of them holds."""
    shapes = {_shape(_tree(g)[1]) for g in guards}
    return any(_negated(_tree(g)[1]) in shapes for g in guards)


__all__ = ["assigned", "conditions", "covered", "placed", "values"]
