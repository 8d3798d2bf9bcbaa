"""The text language: values, state-dependent words and emphasis inside a paragraph.

Author text may hold tags in braces: `{name}` (or any whole-number or text expression) shows a
value, and `{if cond}…{elif cond}…{else}…{end}` shows words that depend on the state; `*italic*`
and `**bold**` mark emphasis. A template is compiled once, when the story loads, so every mistake
is a load-time error with its offset; rendering it for a state gives plain data, runs of (text,
style). A value shown is never parsed again: one holding `{`, `*` or `[bold]` stays literal. Nothing
here is Textual markup; the UI styles the runs, plain mode prints only their words.
"""

from __future__ import annotations

import re
from collections.abc import Collection, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from typing import NamedTuple

from .conditions import Compiled, Scope, Value, compile_value
from .errors import ConditionError

ITALIC = "italic"
BOLD = "bold"
BLANK_LINE = re.compile(r"\n\s*\n")
_BOLD = re.compile(r"\*\*(?=[^\s*])([^\n]*?[^\s*])\*\*")
_ITALIC = re.compile(r"\*(?=\S)([^*\n]+?)(?<=\S)\*")
_TAG = re.compile(r"(?P<word>if|elif)(?![a-z0-9_])\s*(?P<expr>.*)", re.DOTALL)
_HOLE = "\x00"
"""Stands in the emphasis scan for a tag, so `*{name}*` emphasises a value like a word."""


class Run(NamedTuple):
    """A stretch of text in one style: "", "italic", "bold" or "bold italic"."""

    text: str
    style: str = ""


Runs = tuple[Run, ...]


@dataclass(frozen=True, slots=True)
class _Value:
    fn: Compiled
    style: str


@dataclass(frozen=True, slots=True)
class _Branch:
    arms: tuple[tuple[Compiled | None, tuple[Node, ...]], ...]


Node = Run | _Value | _Branch


@dataclass(frozen=True, slots=True)
class Template:
    """A compiled piece of author text; `names` and `scenes` are the variables and visit counts it reads."""

    source: str
    nodes: tuple[Node, ...]
    names: frozenset[str] = frozenset()
    scenes: frozenset[str] = frozenset()
    taken: frozenset[str] = frozenset()

    def render(self, scope: Scope) -> Runs:
        out: list[Run] = []
        _emit(self.nodes, scope, out)
        return _merge(out)


def compile_template(
    source: str,
    var_types: Mapping[str, type],
    scene_ids: Collection[str],
    *,
    enums: Mapping[str, Collection[str]] | None = None,
    choice_keys: Collection[str] = (),
) -> Template:
    """Compile author text; raises ConditionError with the offset into `source` of the first problem."""
    if "{" not in source and "*" not in source:
        return Template(source, (Run(source),))
    return _Parser(source, var_types, scene_ids, enums or {}, choice_keys).run()


def tag_shape(source: str) -> tuple[tuple[str, ...], ...]:
    """The tags of a text, as a translation must keep them: the `{if}`/`{elif}`/`{else}`/`{end}`
    tags in order (spaces normalised), and between each two of them the values shown, in any
    order (a sentence in another language may name them in another order)."""
    shape: list[tuple[str, ...]] = []
    values: list[str] = []
    try:
        pieces = [(" ".join(piece.split()), offset) for piece, offset in _pieces(source) if offset >= 0]
    except ConditionError:
        return (("<broken>",),)
    for word, _offset in pieces:
        if _TAG.fullmatch(word) or word in ("else", "end"):
            shape += [tuple(sorted(values)), (word,)]
            values = []
        else:
            values.append(word)
    shape.append(tuple(sorted(values)))
    return tuple(shape)


def emphasis(text: str) -> Runs:
    """Text with no tags (a history summary), split into runs by its `*emphasis*`."""
    return _merge([node for node in _styled([text], "") if isinstance(node, Run)])


def plain(runs: Sequence[Run]) -> str:
    """The words alone: how plain mode shows emphasis."""
    return "".join(run.text for run in runs)


def markdown(runs: Sequence[Run]) -> str:
    """Runs as Markdown (transcripts): emphasis as `*x*` / `**x**`, literal asterisks escaped."""
    out = []
    for run in _merge(list(run for block in blocks(runs) for run in (*block, Run("\n\n")))[:-1]):
        text = run.text.replace("\\", "\\\\").replace("*", "\\*")
        core = text.strip()
        if run.style and core:
            marks = ("**" if BOLD in run.style else "") + ("*" if ITALIC in run.style else "")
            lead, trail = text[: len(text) - len(text.lstrip())], text[len(text.rstrip()) :]
            text = f"{lead}{marks}{core}{marks[::-1]}{trail}"
        out.append(text)
    return "".join(out)


def blocks(runs: Sequence[Run]) -> list[Runs]:
    """The paragraphs of rendered text (split at blank lines), each with its whitespace collapsed."""
    text = "".join(run.text for run in runs)
    styles = [run.style for run in runs for _ in run.text]
    result = []
    start = 0
    for gap in [*BLANK_LINE.finditer(text), None]:
        end = gap.start() if gap else len(text)
        block = _collapse(text[start:end], styles[start:end])
        if block:
            result.append(block)
        start = gap.end() if gap else end
    return result


def _collapse(text: str, styles: list[str]) -> Runs:
    out: list[Run] = []
    space: str | None = None
    for ch, style in zip(text, styles, strict=True):
        if ch.isspace():
            space = style if space is None else space
            continue
        if space is not None and out:
            out.append(Run(" ", space))
        space = None
        out.append(Run(ch, style))
    return _merge(out)


def _merge(runs: list[Run]) -> Runs:
    merged: list[Run] = []
    for run in runs:
        if not run.text:
            continue
        if merged and merged[-1].style == run.style:
            merged[-1] = Run(merged[-1].text + run.text, run.style)
        else:
            merged.append(run)
    return tuple(merged)


def _emit(nodes: Sequence[Node], scope: Scope, out: list[Run]) -> None:
    for node in nodes:
        if isinstance(node, Run):
            out.append(node)
        elif isinstance(node, _Value):
            out.append(Run(_show(node.fn(scope)), node.style))
        else:
            for guard, body in node.arms:
                if guard is None or guard(scope):
                    _emit(body, scope, out)
                    break


def _show(value: Value) -> str:
    return value if isinstance(value, str) else str(value)


# --- compiling ---------------------------------------------------------------------------------


@dataclass(slots=True)
class _Open:
    """An `{if}` being read: its arms so far, each a guard (None for `{else}`) and its items."""

    offset: int
    arms: list[tuple[Compiled | None, list[_Item]]] = field(default_factory=list)
    has_else: bool = False


_Item = str | _Value | _Open


class _Parser:
    def __init__(
        self,
        source: str,
        var_types: Mapping[str, type],
        scene_ids: Collection[str],
        enums: Mapping[str, Collection[str]],
        choice_keys: Collection[str],
    ) -> None:
        self.source = source
        self.var_types = var_types
        self.scene_ids = scene_ids
        self.enums = enums
        self.choice_keys = choice_keys
        self.names: set[str] = set()
        self.scenes: set[str] = set()
        self.taken: set[str] = set()

    def run(self) -> Template:
        root: list[_Item] = []
        stack: list[_Open] = []
        for piece, offset in _pieces(self.source):
            body = stack[-1].arms[-1][1] if stack else root
            if offset < 0:
                body.append(piece)
                continue
            word = piece.strip()
            lead = offset + len(piece) - len(piece.lstrip())
            tag = _TAG.fullmatch(word)
            if tag and tag["word"] == "if":
                opened = _Open(offset - 1, [(self.expression(tag["expr"], lead + tag.start("expr"), bool), [])])
                body.append(opened)
                stack.append(opened)
            elif tag or word in ("else", "end"):
                if not stack:
                    raise ConditionError(f"`{{{word.split()[0]}}}` without an `{{if …}}` before it", offset - 1)
                top = stack[-1]
                if word == "end":
                    stack.pop()
                elif top.has_else:
                    raise ConditionError(f"`{{{word.split()[0]}}}` after `{{else}}`: `{{else}}` comes last", offset - 1)
                elif tag:
                    top.arms.append((self.expression(tag["expr"], lead + tag.start("expr"), bool), []))
                else:
                    top.has_else = True
                    top.arms.append((None, []))
            elif word.startswith("else "):
                raise ConditionError("`{else …}` takes no condition: write `{elif …}` for another one", offset - 1)
            elif not word:
                raise ConditionError("empty `{}`: write a variable name inside, or {'{'} for a brace", offset - 1)
            else:
                body.append(_Value(self.expression(word, lead, None), ""))
        if stack:
            raise ConditionError("`{if …}` is never closed with `{end}`", stack[-1].offset)
        return Template(self.source, _styled(root, ""), frozenset(self.names), frozenset(self.scenes), frozenset(self.taken))

    def expression(self, text: str, offset: int, want: type | None) -> Compiled:
        """Compile a tag's expression: a condition for `{if}`, a number or text for a value."""
        if not text.strip():
            raise ConditionError("`{if}` needs a condition: {if trust > 3}…{end}", offset)
        try:
            condition, kind = compile_value(text, self.var_types, self.scene_ids, enums=self.enums, choice_keys=self.choice_keys)
        except ConditionError as exc:
            raise ConditionError(exc.message, offset + exc.offset) from None
        if want is bool and kind is not bool:
            raise ConditionError(f"`{{if …}}` needs a true/false condition, but this is {kind.__name__}", offset)
        if want is None and kind is bool:
            raise ConditionError("a true/false value is not shown as text: write {if flag}words{end}", offset)
        self.names |= condition.reads
        self.scenes |= condition.visited
        self.taken |= condition.taken
        return condition.test


def _pieces(source: str) -> Iterator[tuple[str, int]]:
    """Literal text (offset -1) and the inside of each `{…}` tag (with its offset)."""
    pos = 0
    while (start := source.find("{", pos)) >= 0:
        yield source[pos:start], -1
        end = _closing(source, start)
        yield source[start + 1 : end], start + 1
        pos = end + 1
    yield source[pos:], -1


def _closing(source: str, start: int) -> int:
    quote = ""
    for i in range(start + 1, len(source)):
        ch = source[i]
        if quote:
            quote = "" if ch == quote else quote
        elif ch in "'\"":
            quote = ch
        elif ch == "}":
            return i
        elif ch == "{":
            raise ConditionError("`{` inside a `{…}` tag: tags do not nest (to show a brace, write {'{'})", i)
    raise ConditionError("`{` is never closed with `}` (to show a brace, write {'{'})", start)


def _styled(items: Sequence[_Item], base: str) -> tuple[Node, ...]:
    """Apply emphasis to one body: marks pair up within it, around words and tags alike."""
    skeleton = "".join(item if isinstance(item, str) else _HOLE for item in items)
    styles, dropped = _emphasis(skeleton)
    nodes: list[Node] = []
    pos = 0
    for item in items:
        if isinstance(item, str):
            for k, ch in enumerate(item):
                if pos + k not in dropped:
                    nodes.append(Run(ch, _combine(base, styles[pos + k])))
            pos += len(item)
            continue
        style = _combine(base, styles[pos])
        if isinstance(item, _Value):
            nodes.append(_Value(item.fn, style))
        else:
            nodes.append(_Branch(tuple((guard, _styled(body, style)) for guard, body in item.arms)))
        pos += 1
    merged: list[Node] = []
    for node in nodes:
        last = merged[-1] if merged else None
        if isinstance(node, Run) and isinstance(last, Run) and last.style == node.style:
            merged[-1] = Run(last.text + node.text, node.style)
        else:
            merged.append(node)
    return tuple(merged)


def _emphasis(skeleton: str) -> tuple[list[str], set[int]]:
    """The emphasis of each character, and the positions of the asterisks that mark it."""
    styles = [""] * len(skeleton)
    dropped: set[int] = set()
    masked = list(skeleton)
    for match in _BOLD.finditer(skeleton):
        for i in range(match.start(1), match.end(1)):
            styles[i] = BOLD
        for i in (match.start(), match.start() + 1, match.end() - 2, match.end() - 1):
            dropped.add(i)
            masked[i] = "\x01"  # a used mark must not pair again as italic
    for match in _ITALIC.finditer("".join(masked)):
        for i in range(match.start(1), match.end(1)):
            styles[i] = _combine(styles[i], ITALIC)
        dropped |= {match.start(), match.end() - 1}
    return styles, dropped


def _combine(a: str, b: str) -> str:
    words = set(a.split()) | set(b.split())
    return " ".join(w for w in (BOLD, ITALIC) if w in words)


def joined(parts: Iterable[Runs]) -> Runs:
    """Pieces of text one after another, a blank line between them (empty pieces dropped)."""
    out: list[Run] = []
    for runs in parts:
        if runs:
            out += [Run("\n\n")] if out else []
            out += runs
    return tuple(out)
