"""The text language: values, inline conditionals and emphasis, compiled once and rendered to runs."""

from __future__ import annotations

from types import SimpleNamespace
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from game.engine.errors import ConditionError
from game.engine.textlang import Run, blocks, compile_template, emphasis, markdown, plain

TYPES = {"mood": str, "fuel": int, "lit": bool, "name": str}
ENUMS = {"mood": ["calm", "angry", "wary"]}
STATE = {"mood": "calm", "fuel": 3, "lit": True, "name": "Ada"}


def scope(values: dict[str, Any], visits: dict[str, int] | None = None) -> Any:
    """What a template reads: the kernel's state has the same three fields."""
    return SimpleNamespace(vars=values, role="captain", visits=visits or {})


def render(source: str, **changes: object) -> tuple[Run, ...]:
    return compile_template(source, TYPES, ["quay"], enums=ENUMS).render(scope({**STATE, **changes}, {"quay": 2}))


def words(source: str, **changes: object) -> str:
    return plain(render(source, **changes))


def test_text_without_tags_is_itself() -> None:
    assert render("The sea is grey.") == (Run("The sea is grey."),)


def test_values_are_shown() -> None:
    assert words("{role} on {if role == 'captain'}the bridge{end}") == "captain on the bridge"
    assert words("{name} has {fuel} tanks; {fuel * 2 + 1} hours; seen {visited('quay')} times.") == (
        "Ada has 3 tanks; 7 hours; seen 2 times."
    )


def test_inline_conditional_with_else_and_elif() -> None:
    source = "The lamp is {if lit}burning{else}dark{end}; fuel is {if fuel > 4}plenty{elif fuel > 1}enough{else}short{end}."
    assert words(source) == "The lamp is burning; fuel is enough."
    assert words(source, lit=False, fuel=0) == "The lamp is dark; fuel is short."
    assert words(source, fuel=5) == "The lamp is burning; fuel is plenty."


def test_conditionals_nest_and_take_enumeration_membership() -> None:
    source = "{if mood in ['calm', 'wary']}Quiet{if lit}, lit{end}.{else}Loud.{end}"
    assert words(source) == "Quiet, lit."
    assert words(source, lit=False) == "Quiet."
    assert words(source, mood="angry") == "Loud."


def test_emphasis_italic_and_bold() -> None:
    assert render("a *quiet* and **loud** word") == (
        Run("a "),
        Run("quiet", "italic"),
        Run(" and "),
        Run("loud", "bold"),
        Run(" word"),
    )
    assert render("**all *of* it**") == (Run("all ", "bold"), Run("of", "bold italic"), Run(" it", "bold"))


def test_emphasis_reaches_across_values_and_conditionals() -> None:
    assert render("*{name}* waits") == (Run("Ada", "italic"), Run(" waits"))
    assert render("*the {if lit}bright{else}dim{end} lamp*", lit=False) == (Run("the dim lamp", "italic"),)


def test_stray_asterisks_stay_literal() -> None:
    assert words("5 * 3 * 2 and a lone * and **") == "5 * 3 * 2 and a lone * and **"


def test_values_are_never_parsed_again() -> None:
    tricky = "*x* {fuel} [bold]y[/bold] {if lit}"
    assert render("Name: {name}.", name=tricky) == (Run(f"Name: {tricky}."),)
    assert render("*{name}*", name=tricky) == (Run(tricky, "italic"),)


def test_literal_braces_and_asterisks_are_written_as_text_values() -> None:
    assert words("a {'{'} b {'}'} c {'*'}d{'*'}") == "a { b } c *d*"


@pytest.mark.parametrize(
    ("source", "offset", "fragment"),
    [
        ("Hello {nmae}.", 7, "unknown variable 'nmae' (did you mean 'name'?)"),
        ("A {if lit}lamp.", 2, "`{if …}` is never closed with `{end}`"),
        ("A lamp.{end}", 7, "`{end}` without an `{if …}`"),
        ("{else}x", 0, "`{else}` without"),
        ("{if lit}a{else}b{elif lit}c{end}", 16, "`{else}` comes last"),
        ("{if lit}a{else if fuel > 1}b{end}", 9, "write `{elif …}`"),
        ("x {if fuel}y{end}", 6, "needs a true/false condition, but this is int"),
        ("x {if}y{end}", 5, "needs a condition"),
        ("x {lit}", 3, "a true/false value is not shown as text"),
        ("x {}", 2, "empty `{}`"),
        ("x { y", 2, "`{` is never closed"),
        ("x {name {fuel}}", 8, "tags do not nest"),
        ("x {fuel >} y", 9, "not a valid condition"),
        ("{if mood == 'clam'}x{end}", 12, "'clam' is not a value of 'mood' (did you mean 'calm'?)"),
        ("{if fuel = 2}x{end}", 9, "use == to compare"),
    ],
)
def test_template_errors_have_offsets(source: str, offset: int, fragment: str) -> None:
    with pytest.raises(ConditionError) as caught:
        compile_template(source, TYPES, ["quay"], enums=ENUMS)
    assert fragment in caught.value.message
    assert caught.value.offset == offset


def test_templates_know_what_they_read() -> None:
    template = compile_template("{if lit and visited('quay') > 1}{name}{end} *x*", TYPES, ["quay"])
    assert template.names == {"lit", "name"}
    assert template.scenes == {"quay"}


def test_blocks_split_paragraphs_and_collapse_whitespace() -> None:
    runs = render("One  *two*\n three{if lit}\n\n  Four {end}\n\n\nfive  ")
    assert [plain(b) for b in blocks(runs)] == ["One two three", "Four", "five"]
    assert blocks(runs)[0] == (Run("One "), Run("two", "italic"), Run(" three"))
    # A conditional that shows nothing leaves no double space behind.
    assert [plain(b) for b in blocks(render("The {if not lit}cold {end}sea."))] == ["The sea."]


def test_markdown_keeps_emphasis_and_escapes_literal_asterisks() -> None:
    assert markdown(render("a *quiet* **loud** {name}", name="*x*")) == r"a *quiet* **loud** \*x\*"
    assert markdown(render("One\n\nTwo")) == "One\n\nTwo"


def test_fixed_text_emphasis_treats_braces_literally() -> None:
    assert emphasis("a *b* {c}") == (Run("a "), Run("b", "italic"), Run(" {c}"))


@given(st.text(alphabet="ab *{}'\n", max_size=40))
def test_any_text_compiles_or_fails_cleanly(source: str) -> None:
    try:
        template = compile_template(source, {"a": str, "b": str}, [])
    except ConditionError as exc:
        assert 0 <= exc.offset <= len(source)
        return
    rendered = plain(template.render(scope({"a": "A", "b": "B"})))
    if "{" not in source:
        # Emphasis only ever takes asterisks away.
        assert rendered.replace("*", "") == source.replace("*", "")
