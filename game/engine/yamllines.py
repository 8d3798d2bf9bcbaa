"""The quickest road through YAML: plain story files read line by line.

Story files use a small part of YAML: block mappings and sequences, flow `[a, b]` and `{k: v}` on
one line, plain and quoted one-line scalars, `|` and `>` block scalars (clipped or stripped), and
comments. `lines_load` reads exactly that part with a few regular expressions, several times
faster than libyaml's events can be consumed in Python, and gives the same data and marks as the
full road (`yamlsrc._full_load`). Anything else (anchors, tags, escapes, multi-line plain or
quoted scalars, tabs, odd indentation, duplicate keys, errors) raises `_Unusual`, and the caller
takes the event road (`yamlfast.fast_load`) or the full one, which accept it or explain it. Tests
hold the roads equal on every file they can find and on generated documents.
"""

from __future__ import annotations

import bisect
import re
from typing import Any

from .yamlfast import _NO_KEY as _NONE
from .yamlfast import _PLAIN_SEEN as _SEEN
from .yamlfast import Marks, _plain_value, _Unusual

MAX_NESTING = 40
"""Deeper documents are left to the full road, which bounds and reports depth."""

_DECLINE = re.compile(r"[\x00-\x09\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069\u2028\u2029\ud800-\udfff\ufffe\uffff]")
"""Control characters (tab and carriage return among them), bidi overrides, other line breaks and
characters libyaml refuses."""
_MARKERS = re.compile(r"\n(?:---|\.\.\.|%)")
_KEY = re.compile(r"([A-Za-z0-9_][A-Za-z0-9_.\-]{0,127}) *:(?: +|$)")
_DOUBLE = re.compile(r'"((?:[^"\\]|\\["\\])*)"')
_ESCAPE = re.compile(r"\\(.)")
_SINGLE = re.compile(r"'((?:[^']|'')*)'")
_TAIL = re.compile(r"(?: +#.*)? *$")
"""What may follow a value on its line: spaces and a comment."""
_BLOCK = re.compile(r"([|>])(-?)(?: +#.*)? *$")
_FLOW_PLAIN = re.compile(r"(?:[^\s\-?:,\[\]{}#&*!|>'\"%@`]|-(?=[^\s,\[\]{}]))[^,\[\]{}:#]*")
_ROW = re.compile(r"^( *)(-(?: +|$))?(?:([A-Za-z0-9_][A-Za-z0-9_.\-]{0,127}) *:(?: +|$))?(.*)$", re.MULTILINE)
"""A line as (its indentation, a sequence's dash and the spaces after it, a plain key, the rest)."""
_NOT_PLAIN = frozenset("?:,[]{}#&*!|>'\"%@` ")
"""The characters a plain scalar may not start with (`-` may, when not followed by a space)."""


def lines_load(text: str) -> tuple[Any, Marks]:
    """Data and marks of a plain story file; `_Unusual` for anything outside the plain subset."""
    if _DECLINE.search(text) or _MARKERS.search("\n" + text[:3]) or "\n---" in text or "\n..." in text or "\n%" in text:
        raise _Unusual  # document markers and directives too
    reader = _Reader(text)
    if not reader.order:
        raise _Unusual  # empty: the full road says so
    root = reader.node((), 0)
    if reader.at < len(reader.order):
        raise _Unusual
    return root, reader.marks


class _Reader:
    """The file as rows (indentation, dash, key, rest: see `_ROW`) and a cursor over those with content."""

    __slots__ = ("at", "lines", "marks", "order", "rows")

    def __init__(self, text: str) -> None:
        self.lines = text.split("\n")
        self.rows: list[tuple[str, str, str, str]] = _ROW.findall(text)
        self.order = [i for i, (_, dash, key, rest) in enumerate(self.rows) if dash or key or (rest and rest[0] != "#")]
        """The rows that hold something (not blank, not only a comment), in order."""
        self.at = 0
        """The current row's place in `order`."""
        self.marks: Marks = {}

    def node(self, loc: tuple[str | int, ...], depth: int) -> Any:
        """The block collection starting at the current row."""
        if depth > MAX_NESTING:
            raise _Unusual
        spaces, dash, key, _ = self.rows[self.order[self.at]]
        if dash:
            return self.sequence(len(spaces), loc, depth)
        if key:
            return self.mapping(len(spaces), loc, depth, False)
        raise _Unusual

    def mapping(self, col: int, loc: tuple[str | int, ...], depth: int, after_dash: bool) -> dict[Any, Any]:
        """A block mapping whose keys are at column `col`; its first key follows a sequence's dash
        on the same row when `after_dash`."""
        result: dict[Any, Any] = {}
        rows, order, count = self.rows, self.order, len(self.order)
        while self.at < count:
            row = order[self.at]
            spaces, dash, raw, rest = rows[row]
            if after_dash:
                after_dash = False
            elif len(spaces) != col or dash or not raw:
                if len(spaces) < col:
                    return result
                raise _Unusual
            key = _SEEN.get(raw, _NONE)
            if key is _NONE:
                key = _plain_value(raw)
            if key in result:
                raise _Unusual
            if rest and rest[0] != "#":
                result[key] = self.inline(row, rest, col, loc, raw, depth)
                continue
            self.at += 1
            lead, dash = self.lead()
            if lead > col:
                result[key] = self.item((*loc, raw), depth + 1, False)
            elif lead == col and dash:
                result[key] = self.sequence(col, (*loc, raw), depth + 1)  # `key:` then `- item` at the key's column
            else:
                result[key] = None
        return result

    def sequence(self, col: int, loc: tuple[str | int, ...], depth: int) -> list[Any]:
        """A block sequence whose dashes are at column `col`."""
        result: list[Any] = []
        rows, order, count = self.rows, self.order, len(self.order)
        while self.at < count:
            row = order[self.at]
            spaces, dash, key, rest = rows[row]
            if len(spaces) != col or not dash:
                if len(spaces) < col or (len(spaces) == col and key):
                    return result  # a key at the dashes' column ends a `key:` then `- item` sequence
                raise _Unusual
            here = (*loc, len(result))
            if key:
                self.marks[here] = (row + 1, col + len(dash) + 1)
                result.append(self.mapping(col + len(dash), here, depth + 1, True))
            elif rest and rest[0] != "#":
                if rest[0] == "-" and rest[1:2] in (" ", ""):
                    raise _Unusual  # `- - item`
                result.append(self.inline(row, rest, col, here, None, depth))
            else:
                self.at += 1
                result.append(self.item(here, depth + 1, True) if self.lead()[0] > col else None)
        return result

    def lead(self) -> tuple[int, str]:
        """The current row's indentation and dash (-1 at the end)."""
        if self.at >= len(self.order):
            return -1, ""
        spaces, dash, _, _ = self.rows[self.order[self.at]]
        return len(spaces), dash

    def item(self, loc: tuple[str | int, ...], depth: int, marked: bool) -> Any:
        """A block collection starting on the current row, below its key or dash; a mapping that
        is a sequence's item (`marked`) has its start marked."""
        row = self.order[self.at]
        value = self.node(loc, depth)
        if marked and isinstance(value, dict):
            self.marks[loc] = (row + 1, len(self.rows[row][0]) + 1)
        return value

    def inline(self, row: int, rest: str, col: int, loc: tuple[str | int, ...], key: str | None, depth: int) -> Any:
        """The value `rest` written at the end of row `row`, inside a collection at column `col`
        (`key`: the mapping key it belongs to); moves past it (and past a block scalar's lines)."""
        self.at += 1
        first = rest[0]
        if first not in _NOT_PLAIN:
            text = rest
            cut = text.find(" #")
            if cut >= 0:
                text = text[:cut]
            if text[-1] == " ":
                text = text.rstrip(" ")
            if ": " in text or text[-1] == ":" or (first == "-" and text[1:2] in ("", " ")):
                raise _Unusual
            value = _SEEN.get(text, _NONE)
            return _plain_value(text) if value is _NONE else value
        line = self.lines[row]
        start = len(line) - len(rest)
        here = loc if key is None else (*loc, key)
        if first == "[" or first == "{":
            if first == "{" and key is None:
                self.marks[here] = (row + 1, start + 1)
            value, end = self.flow(line, start, row, here, depth + 1)
            if not _TAIL.match(line, end):
                raise _Unusual
            return value
        if first == '"' or first == "'":
            m = (_DOUBLE if first == '"' else _SINGLE).match(line, start)
            if m is None or not _TAIL.match(line, m.end()):
                raise _Unusual
            return _quoted(first, m.group(1))
        if first == "|" or first == ">":
            m = _BLOCK.match(line, start)
            if m is None:
                raise _Unusual
            return self.block(row, col, first == ">", m.group(2) == "-")
        raise _Unusual

    def block(self, row: int, indent: int, folded: bool, strip: bool) -> str:
        """A `|` or `>` scalar whose header ends row `row`, in a collection at column `indent`."""
        lines = self.lines
        pos = row + 1
        inner = -1
        parts: list[str | None] = []
        while pos < len(lines):
            line = lines[pos]
            body = line.lstrip(" ")
            if not body:
                if inner < 0 or len(line) > inner:
                    raise _Unusual  # leading empty lines, or spaces past the indentation
                parts.append(None)
                pos += 1
                continue
            lead = len(line) - len(body)
            if inner < 0:
                if lead <= indent:
                    raise _Unusual  # an empty block scalar
                inner = lead
            elif lead < inner:
                break
            if folded and lead > inner:
                raise _Unusual  # a more-indented line keeps its breaks in a folded scalar
            parts.append(line[inner:])
            pos += 1
        if inner < 0 or (pos == len(lines) and parts[-1] is not None):
            raise _Unusual  # no line break after the last line: nothing to clip
        while parts[-1] is None:
            parts.pop()
        self.at = bisect.bisect_left(self.order, pos, self.at)
        if folded:
            text = ""
            empty = 0
            for part in parts:
                if part is None:
                    empty += 1
                    continue
                text += ("\n" * empty if empty else " ") + part if text else part
                empty = 0
        else:
            text = "\n".join(part or "" for part in parts)
        return text if strip else text + "\n"

    def flow(self, line: str, start: int, row: int, loc: tuple[str | int, ...], depth: int) -> tuple[Any, int]:
        """A flow collection on one line from `start` (at its bracket): its value and where it ends."""
        if depth > MAX_NESTING:
            raise _Unusual
        mapping = line[start] == "{"
        close = "}" if mapping else "]"
        result: Any = {} if mapping else []
        i = _spaces(line, start + 1)
        if line[i : i + 1] == close:
            return result, i + 1
        while True:
            if mapping:
                raw, key, i = _flow_scalar(line, i)
                if key in result or line[i : i + 2] != ": ":
                    raise _Unusual
                i = _spaces(line, i + 2)
                here = (*loc, raw)
            else:
                here = (*loc, len(result))
            char = line[i : i + 1]
            if char == "[" or char == "{":
                if char == "{" and not mapping:
                    self.marks[here] = (row + 1, i + 1)
                value, i = self.flow(line, i, row, here, depth + 1)
                i = _spaces(line, i)
            else:
                _, value, i = _flow_scalar(line, i)
            if mapping:
                result[key] = value
            else:
                result.append(value)
            char = line[i : i + 1]
            if char == close:
                return result, i + 1
            if char != ",":
                raise _Unusual
            i = _spaces(line, i + 1)
            if line[i : i + 1] in ("]", "}", ",", ""):
                raise _Unusual


def _spaces(line: str, i: int) -> int:
    """Where the spaces from `i` on end."""
    while line[i : i + 1] == " ":
        i += 1
    return i


def _flow_scalar(line: str, i: int) -> tuple[str, Any, int]:
    """A scalar inside a flow collection: (its text, its value, where what follows it starts)."""
    char = line[i : i + 1]
    if char == '"' or char == "'":
        m = (_DOUBLE if char == '"' else _SINGLE).match(line, i)
        if m is None:
            raise _Unusual
        text = _quoted(char, m.group(1))
        return text, text, _spaces(line, m.end())
    m = _FLOW_PLAIN.match(line, i)
    if m is None:
        raise _Unusual
    text = m.group().rstrip(" ")
    return text, _plain_value(text), m.end()


def _quoted(quote: str, inner: str) -> str:
    """A one-line quoted scalar's value: `''` in single quotes, `\\"` and `\\\\` in double quotes."""
    if quote == "'":
        return inner.replace("''", "'")
    return _ESCAPE.sub(r"\1", inner) if "\\" in inner else inner


__all__ = ["lines_load"]
