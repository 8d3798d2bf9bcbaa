"""The line-by-line YAML road gives exactly what the full parse gives (data, types and marks), or steps aside."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bench import gen
from game.engine import yamlsrc
from game.engine.yamlfast import _Unusual
from game.engine.yamllines import lines_load

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = sorted(path for top in ("tests", "scenes", "examples") for path in ROOT.joinpath(top).rglob("*.yaml"))


def _typed(value: Any) -> Any:
    """`value` with every scalar's type beside it: `1`, `1.0` and `True` are equal in Python, not in YAML."""
    if isinstance(value, dict):
        return {(type(k).__name__, k): _typed(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_typed(v) for v in value]
    return (type(value).__name__, value)


def _agrees(text: str) -> bool:
    """Whether the line road steps aside or gives the full road's data and marks. True when it read the text."""
    try:
        data, marks = lines_load(text)
    except Exception:  # stepped aside (any exception: the caller then takes the other roads)
        return False
    try:
        full_data, full_marks = yamlsrc._full_load(text)
    except yamlsrc.YamlProblems as exc:
        raise AssertionError(f"the line road read a text the full parse refuses: {exc.problems}") from None
    assert _typed(data) == _typed(full_data)
    assert marks == full_marks
    return True


@pytest.mark.parametrize("path", FIXTURES, ids=lambda p: str(p.relative_to(ROOT)))
def test_every_fixture_reads_the_same_on_both_roads(path: Path) -> None:
    _agrees(path.read_text(encoding="utf-8", errors="surrogateescape"))


def test_the_built_in_story_and_the_tiny_one_take_the_line_road() -> None:
    plain = [*ROOT.joinpath("scenes", "board").glob("*.yaml"), *ROOT.joinpath("tests", "stories", "tiny").glob("*.yaml")]
    read = [p.name for p in plain if _agrees(p.read_text(encoding="utf-8"))]
    assert len(read) == len(plain)


def test_a_generated_story_reads_the_same_on_both_roads(tmp_path: Path) -> None:
    folder = gen.generate(tmp_path / "gen", 60)
    files = sorted(folder.rglob("*.yaml"))
    assert all(_agrees(p.read_text(encoding="utf-8")) for p in files)


@pytest.mark.parametrize(
    "text",
    [
        "a: &x 1\n",
        "a: !!str 1\n",
        "a: 1\na: 2\n",
        'a: "esc \\e"\n',
        "a: two\n  lines\n",
        "a:\n\t- x\n",
        "a: 'open\n  quote'\n",
        "--- \na: 1\n",
        "a: |+\n  keep\n\n",
        "a: |2\n   x\n",
        "a: >\n  x\n    more\n  y\n",
        "a: [x,\n  y]\n",
        "a: {b: c: d}\n",
        "- - x\n",
        "",
        "# only a comment\n",
        "a: b: c\n",
        "a:\n  - x\n  b: 1\n",
    ],
)
def test_the_line_road_steps_aside_from_what_it_does_not_read(text: str) -> None:
    with pytest.raises(_Unusual):
        lines_load(text)


def test_folding_chomping_and_marks() -> None:
    text = (
        "scenes:\n"
        "  - id: a  # the first\n"
        "    text: >-\n"
        "      one\n"
        "      two\n"
        "\n"
        "      three\n"
        "    more: |\n"
        "      x\n"
        "       y\n"
        "\n"
        "    choices:\n"
        "    - {id: c, goto: 'it''s'}\n"
        "    -\n"
        "      id: d\n"
        '    list: [1, "q\\"s", yes, ~, -5]\n'
    )
    data, marks = lines_load(text)
    scene = data["scenes"][0]
    assert scene["text"] == "one two\nthree"
    assert scene["more"] == "x\n y\n"
    assert scene["choices"] == [{"id": "c", "goto": "it's"}, {"id": "d"}]
    assert scene["list"] == [1, 'q"s', True, None, -5]
    assert marks == {("scenes", 0): (2, 5), ("scenes", 0, "choices", 0): (13, 7), ("scenes", 0, "choices", 1): (15, 7)}
    assert _agrees(text)


# Documents from the plain subset and around it, with the choices an author has: indentation, dash
# spacing, quoting, block scalar styles, comments, blank lines. Some are not valid YAML: the line
# road must then step aside, since the full road refuses them.

WORDS = [
    "x", "yes", "No", "on", "1", "-5", "1.5", "0x1f", "1_000", "10:30", "~", "null", "2023-05-05", "2023-13-45",
    "a b", "a: b", "a #b", "a#b", "x:", "-", "- x", "-x", "[x]", "{x}", "a, b", "'q'", '"d"', "O'Brien",
    'say "hi"', "back\\slash", "", " lead", "trail ", "=", "<<", "&a", "*a", "!x", "%x", "@x", "`x", "?x", ":x",
    "é", "日本語", "\U0001f600 ok", "# not", "a  b", ".5", "+1", "true", "tab\there",
]  # fmt: skip
KEYS = ["id", "text", "goto", "1", "yes", "a-b", "x.y", "no", "key with space", "é", "<<", "k"]


def _scalar(draw: Any, word: str, indent: int) -> Any:
    style = draw(st.sampled_from(["plain", "plain", "single", "double", "literal", "folded"]))
    if style == "plain":
        return word
    if style == "single":
        return "'" + word.replace("'", "''") + "'"
    if style == "double":
        return '"' + word.replace("\\", "\\\\").replace('"', '\\"') + '"'
    lines = draw(st.lists(st.sampled_from([word or "w", "more words", "", "  deeper", "last # x", "trailing  "]), min_size=1, max_size=4))
    pad = " " * (indent + draw(st.integers(1, 3)))
    chomp = draw(st.sampled_from(["", "-", "+"]))
    body = "".join((pad + line if line else "") + "\n" for line in lines)
    return ("|" if style == "literal" else ">") + chomp + "\n" + body.rstrip("\n")


@st.composite
def _node(draw: Any, indent: int, depth: int) -> Any:
    """A value to put after `key: ` or `- ` (block collections start on the next line)."""
    kind = draw(st.sampled_from(["scalar", "scalar", "flow"] + (["map", "seq"] if depth < 3 else [])))
    if kind == "scalar":
        return _scalar(draw, draw(st.sampled_from(WORDS)), indent)
    if kind == "flow":
        items = draw(st.lists(st.sampled_from(WORDS[:20]), max_size=3))
        space = draw(st.sampled_from([", ", ",", " , "]))
        if draw(st.booleans()):
            return "[" + space.join(items) + "]"
        pairs = [f"{draw(st.sampled_from(KEYS))}: {item}" for item in items]
        return "{" + space.join(pairs) + "}"
    step = draw(st.integers(1, 4))
    inner = indent + step
    rows = draw(st.lists(_node(inner, depth + 1), min_size=1, max_size=3))
    out = []
    for row in rows:
        mark = draw(st.sampled_from(KEYS)) + ":" if kind == "map" else "-" + " " * draw(st.integers(0, 2))
        head = " " * inner + mark
        out.append(head + ("\n" if row.startswith(" ") or row.startswith("\n") else " ") + row)
        extra = draw(st.sampled_from(["", "", "", " # c", "\n", "\n# c", "\n  # c"]))
        out[-1] += extra
    return "\n" + "\n".join(out)


@st.composite
def _document(draw: Any) -> Any:
    rows = draw(st.lists(st.tuples(st.sampled_from(KEYS), _node(0, 0)), min_size=1, max_size=4))
    text = "\n".join(f"{key}:{'' if value.startswith(chr(10)) else ' '}{value}" for key, value in rows)
    return text + draw(st.sampled_from(["", "\n", "\n\n", "\n# end\n"]))


@given(_document())
@settings(max_examples=600, deadline=None, suppress_health_check=[HealthCheck.too_slow])
def test_generated_documents_read_the_same_or_step_aside(text: str) -> None:
    _agrees(text)


TOKENS = [*":-[]{}&*!|>'\"#,?~\n  abcyn019._<=\\", "\r", "\x85", "\x07", "\\e", "- ", "  ", "\n  ", ": ", "é"]


@given(st.lists(st.sampled_from(TOKENS), max_size=60).map("".join))
@settings(max_examples=600, deadline=None)
def test_token_soup_reads_the_same_or_steps_aside(text: str) -> None:
    _agrees(text)
