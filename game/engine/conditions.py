"""The condition language: a whitelisted subset of Python expressions, compiled to closures.

Allowed: `and`, `or`, `not`; comparisons, and `in` / `not in` a bracketed list of literals;
`+ - * // %` and unary minus on ints; declared variable names; int, bool and string literals
(`true`/`false` also spelt lower case); `role`; and `visited("scene_id")`, the number of times a
scene was entered. A text compared with an enumeration variable must be one of its values.
Everything is type-checked when the story loads, so a condition can never fail while playing. Author text never reaches `eval`.

A compiled condition is a closure over a scope (the play kernel's state, or a fast path's cursor
with the same fields) and carries what it reads, worked out once from the syntax tree: the
analyses (`analysis.py`) and the fast paths only ever ask the condition.
"""

from __future__ import annotations

import ast
import operator
import warnings
from collections.abc import Callable, Collection, Mapping
from dataclasses import dataclass
from typing import Protocol, cast

from .errors import ConditionError

Value = int | bool | str


class Scope(Protocol):
    """What a condition can read: the variables, the role, scene visits and choices taken."""

    @property
    def vars(self) -> Mapping[str, Value]: ...
    @property
    def role(self) -> str: ...
    @property
    def visits(self) -> Mapping[str, int]: ...
    @property
    def choices(self) -> Mapping[str, int]: ...


Compiled = Callable[[Scope], Value]


@dataclass(frozen=True, slots=True)
class Condition:
    """A compiled condition: `test(scope)` and what it reads."""

    text: str
    test: Compiled
    reads: frozenset[str]
    """Declared variables named in the condition."""
    visited: frozenset[str]
    """Scenes whose visit counts it reads through `visited()`."""
    taken: frozenset[str] = frozenset()
    """Choices (`scene.choice`) whose counts it reads through `taken()`."""


MAX_LENGTH = 500
MAX_NODES = 200
MAX_DEPTH = 24

_BOOL_NAMES = {"true": True, "false": False, "True": True, "False": False}
_ARITH: dict[type[ast.operator], Callable[[int, int], int]] = {
    ast.Add: operator.add,
    ast.Sub: operator.sub,
    ast.Mult: operator.mul,
    ast.FloorDiv: operator.floordiv,
    ast.Mod: operator.mod,
}
_COMPARE: dict[type[ast.cmpop], Callable[[Value, Value], bool]] = {
    ast.Eq: operator.eq,
    ast.NotEq: operator.ne,
    ast.Lt: operator.lt,
    ast.LtE: operator.le,
    ast.Gt: operator.gt,
    ast.GtE: operator.ge,
}
_ORDERING = (ast.Lt, ast.LtE, ast.Gt, ast.GtE)


def compile_condition(
    source: str,
    var_types: Mapping[str, type],
    scene_ids: Collection[str],
    *,
    want: type = bool,
    enums: Mapping[str, Collection[str]] | None = None,
    choice_keys: Collection[str] = (),
) -> Condition:
    """Compile `source` into a closure over a scope, with what it reads.

    `var_types` maps each declared variable to int, bool or str; `role` is always there. `enums`
    maps each enumeration variable to its values. Raises ConditionError with the column (0-based
    offset into `source`) of the first problem.
    """
    condition, kind = compile_value(source, var_types, scene_ids, enums=enums, choice_keys=choice_keys)
    if kind is not want:
        raise ConditionError(f"condition must be {want.__name__}, but this is {kind.__name__}")
    return condition


def compile_value(
    source: str,
    var_types: Mapping[str, type],
    scene_ids: Collection[str],
    *,
    enums: Mapping[str, Collection[str]] | None = None,
    choice_keys: Collection[str] = (),
) -> tuple[Condition, type]:
    """Compile an expression of any type (as text interpolation needs); returns it with its type."""
    if len(source) > MAX_LENGTH:
        raise ConditionError(f"condition is longer than {MAX_LENGTH} characters")
    stripped = source.strip()
    lead = len(source) - len(source.lstrip())
    try:
        tree = parse_condition(stripped)
    except SyntaxError as exc:
        # Python gives offset 0 for an expression cut short (`trust >`): point at its end.
        at = (exc.offset or 0) - 1
        offset = lead + (min(at, len(stripped)) if at >= 0 else len(stripped))
        hint = " (use == to compare)" if "=" in source and "==" not in source else ""
        raise ConditionError(f"not a valid condition: {exc.msg}{hint}", offset) from None
    except (RecursionError, MemoryError, ValueError):
        raise ConditionError("condition is too complex") from None
    count = sum(1 for _ in ast.walk(tree))
    if count > MAX_NODES:
        raise ConditionError(f"condition has more than {MAX_NODES} parts")
    compiler = _Compiler(var_types, scene_ids, lead, enums or {}, choice_keys)
    fn, kind = compiler.compile(tree.body, 0)
    return Condition(source, fn, frozenset(compiler.reads), frozenset(compiler.visited), frozenset(compiler.taken)), kind


def parse_condition(source: str) -> ast.Expression:
    """`ast.parse` for conditions; raises SyntaxError like it, but prints nothing."""
    with warnings.catch_warnings():
        # Python warns on stderr about odd literals (`1and`, `'\.'`); the author gets our errors instead.
        warnings.simplefilter("ignore")
        return ast.parse(source, mode="eval")


class _Compiler:
    def __init__(
        self,
        var_types: Mapping[str, type],
        scene_ids: Collection[str],
        lead: int,
        enums: Mapping[str, Collection[str]],
        choice_keys: Collection[str],
    ) -> None:
        self.var_types = var_types
        self.scene_ids = scene_ids
        self.lead = lead
        self.enums = enums
        self.choice_keys = choice_keys
        self.reads: set[str] = set()
        self.visited: set[str] = set()
        self.taken: set[str] = set()

    def error(self, node: ast.AST, message: str) -> ConditionError:
        return ConditionError(message, getattr(node, "col_offset", 0) + self.lead)

    def compile(self, node: ast.expr, depth: int) -> tuple[Compiled, type]:
        if depth > MAX_DEPTH:
            raise self.error(node, f"condition is nested more than {MAX_DEPTH} levels deep")
        d = depth + 1
        if isinstance(node, ast.BoolOp):
            parts = [self.expect(v, bool, d) for v in node.values]
            if isinstance(node.op, ast.And):
                return (lambda c: all(p(c) for p in parts)), bool
            return (lambda c: any(p(c) for p in parts)), bool
        if isinstance(node, ast.UnaryOp):
            if isinstance(node.op, ast.Not):
                inner = self.expect(node.operand, bool, d)
                return (lambda c: not inner(c)), bool
            if isinstance(node.op, ast.USub):
                num = self.expect(node.operand, int, d)
                return (lambda c: -num(c)), int  # type: ignore[operator]
            raise self.error(node, "only `not` and `-` may stand before a value")
        if isinstance(node, ast.BinOp):
            op = _ARITH.get(type(node.op))
            if op is None:
                raise self.error(node, "only + - * // % are allowed in arithmetic")
            left, right = self.expect(node.left, int, d), self.expect(node.right, int, d)
            if isinstance(node.op, ast.FloorDiv | ast.Mod):
                return (lambda c: _safe_div(op, left(c), right(c))), int  # type: ignore[arg-type]
            return (lambda c: op(left(c), right(c))), int  # type: ignore[arg-type]
        if isinstance(node, ast.Compare):
            return self.compare(node, d)
        if isinstance(node, ast.Constant):
            value = node.value
            if isinstance(value, bool | int | str) and not (isinstance(value, int) and abs(value) > 10**9):
                kind = bool if isinstance(value, bool) else type(value)
                return (lambda c: value), kind
            raise self.error(node, f"literal {value!r} is not allowed (only whole numbers, true/false, 'text')")
        if isinstance(node, ast.Name):
            if node.id in _BOOL_NAMES:
                const = _BOOL_NAMES[node.id]
                return (lambda c: const), bool
            if node.id == "role":
                return (lambda c: c.role), str
            kind_of = self.var_types.get(node.id)
            if kind_of is None:
                raise self.error(node, f"unknown variable {node.id!r}{_suggest(node.id, self.var_types)}")
            name = node.id
            self.reads.add(name)
            return (lambda c: c.vars[name]), kind_of
        if isinstance(node, ast.Call):
            return self.call(node)
        if isinstance(node, ast.Attribute):
            raise self.error(node, "attribute access (a.b) is not allowed")
        if isinstance(node, ast.NamedExpr):
            raise self.error(node, "assignment is not allowed in a condition (use == to compare)")
        raise self.error(node, f"{type(node).__name__} expressions are not allowed in a condition")

    def expect(self, node: ast.expr, kind: type, depth: int) -> Compiled:
        fn, actual = self.compile(node, depth)
        if actual is not kind:
            raise self.error(node, f"expected {kind.__name__} here, found {actual.__name__}")
        return fn

    def compare(self, node: ast.Compare, depth: int) -> tuple[Compiled, type]:
        operands = [self.compile(node.left, depth)]
        operands += [(_never, list) if _is_list(c) else self.compile(c, depth) for c in node.comparators]
        steps: list[tuple[Callable[[Value, Value], bool], Compiled, Compiled]] = []
        # Operators carry no position: errors point at the right-hand operand, where the mismatch shows.
        for i, op_node in enumerate(node.ops):
            if isinstance(op_node, ast.In | ast.NotIn):
                steps.append(self.member(node.left if i == 0 else node.comparators[i - 1], operands[i], node.comparators[i], op_node))
                continue
            op = _COMPARE.get(type(op_node))
            if op is None:
                raise self.error(node.comparators[i], "only == != < <= > >= in compare values here")
            left_node = node.left if i == 0 else node.comparators[i - 1]
            self.check_enum(left_node, node.comparators[i])
            self.check_enum(node.comparators[i], left_node)
            (lf, lk), (rf, rk) = operands[i], operands[i + 1]
            if lk is not rk:
                raise self.error(node.comparators[i], f"cannot compare {lk.__name__} with {rk.__name__}")
            if lk is not int and isinstance(op_node, _ORDERING):
                raise self.error(node.comparators[i], f"{lk.__name__} values can only be compared with == and !=")
            steps.append((op, lf, rf))
        if len(steps) == 1:
            op, lf, rf = steps[0]
            left, right = node.left, node.comparators[0]
            if isinstance(left, ast.Name) and left.id in self.var_types and left.id != "role" and isinstance(right, ast.Constant):
                # The commonest guard, a variable against a literal, in one call: guards are tested
                # at every step of every play-through the checker and randomtest play.
                return _against_literal(type(node.ops[0]), left.id, cast(Value, right.value)), bool
            return (lambda c: op(lf(c), rf(c))), bool
        return (lambda c: all(op(lf(c), rf(c)) for op, lf, rf in steps)), bool

    def member(
        self, left: ast.expr, operand: tuple[Compiled, type], right: ast.expr, op_node: ast.cmpop
    ) -> tuple[Callable[[Value, Value], bool], Compiled, Compiled]:
        """`x in ['a', 'b']`: the list holds literals of the left side's type (values, for an enumeration)."""
        fn, kind = operand
        if not isinstance(right, ast.List | ast.Tuple | ast.Set):
            raise self.error(right, "`in` takes a list of values in brackets: mood in ['calm', 'wary']")
        if kind is list:
            raise self.error(left, "a list cannot stand before `in`")
        items: list[Value] = []
        for element in right.elts:
            if not isinstance(element, ast.Constant) and not (isinstance(element, ast.Name) and element.id in _BOOL_NAMES):
                raise self.error(element, "a list after `in` holds only literal values")
            value_fn, value_kind = self.compile(element, 1)
            if value_kind is not kind:
                raise self.error(element, f"cannot compare {kind.__name__} with {value_kind.__name__}")
            self.check_enum(left, element)
            items.append(value_fn(_NO_SCOPE))
        if not items:
            raise self.error(right, "the list after `in` is empty")
        members = frozenset(items)
        negate = isinstance(op_node, ast.NotIn)
        return (lambda a, b: (a in members) != negate), fn, _never

    def check_enum(self, name: ast.expr, other: ast.expr) -> None:
        """A text compared with an enumeration variable must be one of its values: a typo is an error."""
        if not isinstance(name, ast.Name) or name.id not in self.enums:
            return
        if isinstance(other, ast.Constant) and isinstance(other.value, str) and other.value not in self.enums[name.id]:
            values = self.enums[name.id]
            raise self.error(
                other, f"{other.value!r} is not a value of {name.id!r}{_suggest(other.value, values)}; its values: {', '.join(values)}"
            )

    def call(self, node: ast.Call) -> tuple[Compiled, type]:
        name = node.func.id if isinstance(node.func, ast.Name) else ""
        if name not in ("visited", "taken"):
            raise self.error(node, 'the only functions allowed are visited("scene_id") and taken("scene.choice")')
        what = "one scene id" if name == "visited" else "one `scene.choice` key"
        if node.keywords or len(node.args) != 1:
            raise self.error(node, f"{name}() takes {what} in quotes")
        arg = node.args[0]
        if not isinstance(arg, ast.Constant) or not isinstance(arg.value, str):
            raise self.error(arg, f"{name}() takes {what} in quotes")
        key = arg.value
        if name == "taken":
            if key not in self.choice_keys:
                raise self.error(arg, f"taken(): no choice {key!r}{_suggest(key, self.choice_keys)}")
            self.taken.add(key)
            return (lambda c: c.choices.get(key, 0)), int
        if key not in self.scene_ids:
            raise self.error(arg, f"visited(): no scene {key!r}{_suggest(key, self.scene_ids)}")
        self.visited.add(key)
        return (lambda c: c.visits.get(key, 0)), int


def _against_literal(op: type[ast.cmpop], name: str, value: Value) -> Compiled:
    """`name <op> value` with the operator written out: no call to `operator` at each test."""
    if op is ast.Eq:
        return lambda c: c.vars[name] == value
    if op is ast.NotEq:
        return lambda c: c.vars[name] != value
    if op is ast.Lt:
        return lambda c: c.vars[name] < value  # type: ignore[operator]
    if op is ast.LtE:
        return lambda c: c.vars[name] <= value  # type: ignore[operator]
    if op is ast.Gt:
        return lambda c: c.vars[name] > value  # type: ignore[operator]
    assert op is ast.GtE
    return lambda c: c.vars[name] >= value  # type: ignore[operator]


def _is_list(node: ast.expr) -> bool:
    return isinstance(node, ast.List | ast.Tuple | ast.Set)


def _never(scope: Scope) -> Value:
    """Stands for the list after `in`, whose members the comparison holds itself."""
    return False


_NO_SCOPE: Scope = cast("Scope", None)
"""Literals read nothing: a list's values are worked out once, with no scope."""


def _safe_div(op: Callable[[int, int], int], a: int, b: int) -> int:
    return op(a, b) if b else 0


def _suggest(name: str, known: Collection[str]) -> str:
    import difflib

    close = difflib.get_close_matches(name, list(known), n=1)
    return f" (did you mean {close[0]!r}?)" if close else ""
