"""The condition language: whitelisted, typed at load time, and never failing at play time."""

from __future__ import annotations

import ast
import warnings
from collections.abc import Callable, Collection, Mapping
from dataclasses import dataclass, field
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from game.engine import ConditionError
from game.engine.conditions import MAX_DEPTH, MAX_LENGTH, MAX_NODES, Value
from game.engine.conditions import compile_condition as compile_scoped

TYPES: dict[str, type] = {"trust": int, "score": int, "told": bool, "mood": str, "role": str}
SCENES = {"start", "launch"}
VARS: dict[str, int | bool | str] = {"trust": 7, "score": -3, "told": True, "mood": "calm", "role": "hero"}
VISITS = {"start": 2}


@dataclass(frozen=True)
class Scope:
    vars: Mapping[str, Value]
    role: str
    visits: Mapping[str, int]
    choices: Mapping[str, int] = field(default_factory=dict)


def compile_condition(source: str, types: Mapping[str, type], scenes: Collection[str], want: type = bool) -> Callable[..., object]:
    """The compiled test as a function of (variables with `role`, visits), as these tests write states."""
    condition = compile_scoped(source, types, scenes, want=want)

    def test(values: Mapping[str, Any], visits: Mapping[str, int]) -> object:
        plain = {k: v for k, v in values.items() if k != "role"}
        return condition.test(Scope(plain, str(values.get("role", "")), visits))

    return test


def test_a_condition_knows_what_it_reads() -> None:
    condition = compile_scoped("trust > 5 and role == 'hero' or visited('start') > 1 and mood == 'told'", TYPES, SCENES)
    assert (set(condition.reads), set(condition.visited)) == ({"trust", "mood"}, {"start"})


def run(source: str, vars: dict[str, Any] | None = None, visits: dict[str, int] | None = None, want: type = bool) -> object:
    fn = compile_condition(source, TYPES, SCENES, want=want)
    return fn(VARS if vars is None else vars, VISITS if visits is None else visits)


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        ("trust > 5", True),
        ("trust >= 7 and trust <= 7", True),
        ("trust == 7 and not told", False),
        ("told or trust < 0", True),
        ("told and true", True),
        ("False or TRUE_ISH == 'x'".replace("TRUE_ISH", "mood"), False),
        ("mood == 'calm'", True),
        ('mood != "calm"', False),
        ("role == 'hero'", True),
        ("visited('start') == 2", True),
        ('visited("launch") == 0', True),
        ("1 < trust < 10", True),
        ("1 < trust < 5", False),
        ("trust + score * 2 == 1", True),
        ("trust // 2 == 3 and trust % 4 == 3", True),
        ("trust // 0 == 0 and trust % 0 == 0", True),
        ("-trust == -7", True),
        ("score - -3 == 0", True),
        ("  trust > 5  ", True),
        ("(trust > 5)", True),
        ("true != false", True),
    ],
)
def test_valid_conditions_evaluate(source: str, expected: bool) -> None:
    assert run(source) is expected


def test_int_conditions_when_asked_for() -> None:
    assert run("trust * 2 + visited('start')", want=int) == 16
    with pytest.raises(ConditionError, match="condition must be int, but this is bool"):
        run("told", want=int)


def test_conditions_read_the_current_state() -> None:
    fn = compile_condition("trust > 5 and visited('start') > 0", TYPES, SCENES)
    assert fn({**VARS, "trust": 6}, {"start": 1}) is True
    assert fn({**VARS, "trust": 5}, {"start": 1}) is False
    assert fn({**VARS, "trust": 6}, {}) is False


# source, offset of the offending token (0-based), message fragment
ERRORS = [
    ("trst > 1", 0, "unknown variable 'trst' (did you mean 'trust'?)"),
    ("trust > 1 and nobody", 14, "unknown variable 'nobody'"),
    ("trust = 1", 6, "use == to compare"),
    ("trust.real > 1", 0, "attribute access (a.b) is not allowed"),
    ("len(mood) > 1", 0, "the only functions allowed are visited"),
    ("trust > __import__('os')", 8, "the only functions allowed"),
    ("visited(start) > 0", 8, "visited() takes one scene id in quotes"),
    ("visited('start', 'launch') > 0", 0, "visited() takes one scene id in quotes"),
    ("visited(scene='start') > 0", 0, "visited() takes one scene id in quotes"),
    ("visited('nowhere') > 0", 8, "visited(): no scene 'nowhere'"),
    ("visited > 0", 0, "unknown variable 'visited'"),
    ("mood == 1", 8, "cannot compare str with int"),
    ("trust > 1 and mood < 'x'", 21, "str values can only be compared with == and !="),
    ("told < true", 7, "bool values can only be compared with == and !="),
    ("trust in 1", 9, "`in` takes a list of values in brackets"),
    ("trust in [1, 'x']", 13, "cannot compare int with str"),
    ("trust in [told]", 10, "a list after `in` holds only literal values"),
    ("trust in []", 9, "the list after `in` is empty"),
    ("[1] == trust", 0, "List expressions are not allowed"),
    ("trust == [1]", 9, "cannot compare int with list"),
    ("trust is 1", 9, "only == != < <= > >= in compare values here"),
    ("trust and told", 0, "expected bool here, found int"),
    ("not mood", 4, "expected bool here, found str"),
    ("mood + 'x' == 'y'", 0, "expected int here, found str"),
    ("trust ** 2 > 1", 0, "only + - * // % are allowed"),
    ("trust / 2 > 1", 0, "only + - * // % are allowed"),
    ("~trust > 1", 0, "only `not` and `-` may stand before a value"),
    ("trust > 1.5", 8, "literal 1.5 is not allowed"),
    ("trust > 10000000000", 8, "literal 10000000000 is not allowed"),
    ("mood == None", 8, "literal None is not allowed"),
    ("mood == b'x'", 8, "literal b'x' is not allowed"),
    ("trust", 0, "condition must be bool, but this is int"),
    ("mood", 0, "condition must be bool, but this is str"),
    ("(trust := 1) > 0", 1, "assignment is not allowed"),
    ("[trust][0] > 1", 0, "Subscript expressions are not allowed"),
    ("(lambda: 1)() > 0", 0, "the only functions allowed"),
    ("told if told else told", 0, "IfExp expressions are not allowed"),
    ("f'{mood}' == 'calm'", 0, "JoinedStr expressions are not allowed"),
    ("trust > > 1", 8, "not a valid condition"),
    ("trust >", 7, "not a valid condition"),
    ("", 0, "not a valid condition"),
    ("   ", 3, "not a valid condition"),
    ("trust > 1; told", 9, "not a valid condition"),
    ("  trst > 1", 2, "unknown variable 'trst'"),
]


@pytest.mark.parametrize(("source", "offset", "fragment"), ERRORS)
def test_condition_errors_point_at_the_offending_token(source: str, offset: int, fragment: str) -> None:
    with pytest.raises(ConditionError) as caught:
        compile_condition(source, TYPES, SCENES)
    assert fragment in caught.value.message
    assert caught.value.offset == offset


def test_too_long_condition() -> None:
    source = " or ".join(["told"] * 200)
    assert len(source) > MAX_LENGTH
    with pytest.raises(ConditionError, match=f"longer than {MAX_LENGTH} characters"):
        compile_condition(source, TYPES, SCENES)


def test_too_deep_condition() -> None:
    with pytest.raises(ConditionError, match=f"nested more than {MAX_DEPTH} levels deep"):
        compile_condition("not " * (MAX_DEPTH + 1) + "told", TYPES, SCENES)
    assert compile_condition("not " * (MAX_DEPTH - 1) + "told", TYPES, SCENES)(VARS, {}) is False


def test_too_many_parts() -> None:
    source = " + ".join(["1"] * 120) + " > 0"
    assert len(source) <= MAX_LENGTH
    with pytest.raises(ConditionError, match=f"more than {MAX_NODES} parts"):
        compile_condition(source, TYPES, SCENES)


def test_deeply_parenthesised_condition_is_an_error_not_a_crash() -> None:
    with pytest.raises(ConditionError):
        compile_condition("(" * 250 + "told" + ")" * 250, TYPES, SCENES)
    with pytest.raises(ConditionError):
        compile_condition("-" * 490 + "trust > 0", TYPES, SCENES)


def test_odd_literals_raise_our_error_without_printing_python_warnings() -> None:
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        with pytest.raises(ConditionError):
            compile_condition("1and told", TYPES, SCENES)
        with pytest.raises(ConditionError):
            compile_condition("trust is 1", TYPES, SCENES)
        with pytest.raises(ConditionError):
            compile_condition("mood == '\\.'", TYPES, SCENES, want=int)
    assert caught == []


# --- property tests ------------------------------------------------------------------------------

WORDS = ["trust", "told", "mood", "role", "visited", "start", "nobody", "1", "0", "99", "'start'", '"calm"', "True", "false"]
TOKENS = [*WORDS, "(", ")", " and ", " or ", "not ", "==", "!=", "<", ">=", "=", "+", "-", "*", "//", "%", "**", ".", ",", "[", "]"]
TOKENS += ["lambda", ":", "if", "else", "{", "}", "1.5", "@", "f'", "\\", "\n", "yield", "__import__", "'", " "]


@given(st.text(max_size=80))
@settings(max_examples=400, deadline=None)
def test_random_strings_only_raise_condition_error(source: str) -> None:
    try:
        fn = compile_condition(source, TYPES, SCENES)
    except ConditionError:
        return
    assert fn(VARS, VISITS) in (True, False)


@given(st.lists(st.sampled_from(TOKENS), max_size=16).map("".join))
@settings(max_examples=800, deadline=None)
def test_random_token_soup_only_raises_condition_error(source: str) -> None:
    try:
        fn = compile_condition(source, TYPES, SCENES)
    except ConditionError:
        return
    assert fn(VARS, VISITS) in (True, False)


# Random ASTs of any shape (most of them badly typed or disallowed): only ConditionError escapes,
# and whatever compiles evaluates without error for any values of the declared types.
ANY_LEAF = st.one_of(
    st.sampled_from(["trust", "score", "told", "mood", "role", "nobody", "true", "None"]).map(lambda n: ast.Name(n, ast.Load())),
    st.one_of(st.integers(-(10**10), 10**10), st.booleans(), st.text(max_size=3), st.floats(allow_nan=False), st.none()).map(ast.Constant),
    st.sampled_from(["start", "launch", "x"]).map(lambda s: ast.Call(ast.Name("visited", ast.Load()), [ast.Constant(s)], [])),
)
BINOPS = [ast.Add, ast.Sub, ast.Mult, ast.FloorDiv, ast.Mod, ast.Div, ast.Pow, ast.BitAnd]
CMPOPS = [ast.Eq, ast.NotEq, ast.Lt, ast.LtE, ast.Gt, ast.GtE, ast.In, ast.Is]


def _any_node(children: st.SearchStrategy[ast.expr]) -> st.SearchStrategy[ast.expr]:
    return st.one_of(
        st.builds(lambda op, vs: ast.BoolOp(op(), vs), st.sampled_from([ast.And, ast.Or]), st.lists(children, min_size=2, max_size=3)),
        st.builds(lambda op, v: ast.UnaryOp(op(), v), st.sampled_from([ast.Not, ast.USub, ast.Invert]), children),
        st.builds(lambda a, op, b: ast.BinOp(a, op(), b), children, st.sampled_from(BINOPS), children),
        st.builds(
            lambda a, ops, bs: ast.Compare(a, [o() for o in ops], bs[: len(ops)] + [a] * (len(ops) - len(bs))),
            children,
            st.lists(st.sampled_from(CMPOPS), min_size=1, max_size=2),
            st.lists(children, min_size=1, max_size=2),
        ),
        st.builds(lambda v: ast.Attribute(v, "real", ast.Load()), children),
        st.builds(lambda v: ast.Subscript(v, ast.Constant(0), ast.Load()), children),
    )


ANY_EXPR = st.recursive(ANY_LEAF, _any_node, max_leaves=12)
VALUES = st.fixed_dictionaries(
    {"trust": st.integers(-(10**6), 10**6), "score": st.integers(-100, 100), "told": st.booleans(), "mood": st.text(max_size=3)}
)


@given(ANY_EXPR, VALUES, st.dictionaries(st.sampled_from(["start", "launch"]), st.integers(0, 5)))
@settings(max_examples=800, deadline=None)
def test_random_asts_only_raise_condition_error_and_never_fail_when_run(
    tree: ast.expr, values: dict[str, Any], visits: dict[str, int]
) -> None:
    source = ast.unparse(ast.fix_missing_locations(ast.Expression(tree)))
    for want in (bool, int):
        try:
            fn = compile_condition(source, TYPES, SCENES, want=want)
        except ConditionError:
            continue
        result = fn({**values, "role": "hero"}, visits)
        assert type(result) is want


# Well-typed random expressions, with a reference evaluator written independently of the compiler.
Tree = tuple[Any, ...]


def _ref(tree: Tree, env: dict[str, Any], visits: dict[str, int]) -> Any:
    kind = tree[0]
    if kind == "lit":
        return tree[1]
    if kind == "var":
        return env[tree[1]]
    if kind == "visited":
        return visits.get(tree[1], 0)
    if kind == "neg":
        return -_ref(tree[1], env, visits)
    if kind == "not":
        return not _ref(tree[1], env, visits)
    if kind in ("and", "or"):
        values = [_ref(t, env, visits) for t in tree[1]]
        return all(values) if kind == "and" else any(values)
    if kind == "arith":
        a, b = _ref(tree[2], env, visits), _ref(tree[3], env, visits)
        if tree[1] in ("//", "%") and b == 0:
            return 0
        return {"+": a + b, "-": a - b, "*": a * b, "//": a // b if b else 0, "%": a % b if b else 0}[tree[1]]
    if kind == "cmp":
        a, b = _ref(tree[2], env, visits), _ref(tree[3], env, visits)
        return {"==": a == b, "!=": a != b, "<": a < b, "<=": a <= b, ">": a > b, ">=": a >= b}[tree[1]]
    raise AssertionError(kind)


def _src(tree: Tree) -> str:
    kind = tree[0]
    if kind == "lit":
        value = tree[1]
        if isinstance(value, bool):
            return "true" if value else "false"
        return repr(value) if isinstance(value, str) else f"({value})"
    if kind == "var":
        return str(tree[1])
    if kind == "visited":
        return f"visited({tree[1]!r})"
    if kind == "neg":
        return f"(-{_src(tree[1])})"
    if kind == "not":
        return f"(not {_src(tree[1])})"
    if kind in ("and", "or"):
        return "(" + f" {kind} ".join(_src(t) for t in tree[1]) + ")"
    return f"({_src(tree[2])} {tree[1]} {_src(tree[3])})"


INT_LEAF = st.one_of(
    st.integers(-50, 50).map(lambda n: ("lit", n)),
    st.sampled_from(["trust", "score"]).map(lambda n: ("var", n)),
    st.sampled_from(["start", "launch"]).map(lambda s: ("visited", s)),
)
STR_LEAF = st.one_of(
    st.sampled_from(["calm", "grim", ""]).map(lambda s: ("lit", s)), st.sampled_from(["mood", "role"]).map(lambda n: ("var", n))
)


def _ints(children: st.SearchStrategy[Tree]) -> st.SearchStrategy[Tree]:
    return st.one_of(
        st.tuples(st.just("arith"), st.sampled_from(["+", "-", "*", "//", "%"]), children, children), st.tuples(st.just("neg"), children)
    )


INT_EXPR = st.recursive(INT_LEAF, _ints, max_leaves=4)
BOOL_LEAF = st.one_of(
    st.booleans().map(lambda b: ("lit", b)),
    st.just(("var", "told")),
    st.tuples(st.just("cmp"), st.sampled_from(["==", "!=", "<", "<=", ">", ">="]), INT_EXPR, INT_EXPR),
    st.tuples(st.just("cmp"), st.sampled_from(["==", "!="]), STR_LEAF, STR_LEAF),
)


def _bools(children: st.SearchStrategy[Tree]) -> st.SearchStrategy[Tree]:
    return st.one_of(
        st.tuples(st.sampled_from(["and", "or"]), st.lists(children, min_size=2, max_size=3)),
        st.tuples(st.just("not"), children),
        st.tuples(st.just("cmp"), st.sampled_from(["==", "!="]), children, children),
    )


BOOL_EXPR = st.recursive(BOOL_LEAF, _bools, max_leaves=5)


@given(BOOL_EXPR, VALUES, st.dictionaries(st.sampled_from(["start", "launch"]), st.integers(0, 5)))
@settings(max_examples=600, deadline=None)
def test_generated_conditions_agree_with_a_reference_evaluator(tree: Tree, values: dict[str, Any], visits: dict[str, int]) -> None:
    source = _src(tree)
    env = {**values, "role": "hero"}
    fn = compile_condition(source, TYPES, SCENES)
    assert fn(env, visits) == _ref(tree, env, visits), source


@given(INT_EXPR, VALUES)
@settings(max_examples=300, deadline=None)
def test_generated_arithmetic_agrees_with_a_reference_evaluator(tree: Tree, values: dict[str, Any]) -> None:
    env = {**values, "role": "hero"}
    fn = compile_condition(_src(tree), TYPES, SCENES, want=int)
    assert fn(env, {"start": 1}) == _ref(tree, env, {"start": 1})
