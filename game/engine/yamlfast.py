"""The fast road through YAML for plain story files, and the basics both roads share.

`fast_load` reads data and positions straight from the parser's events; anything unusual raises
and `yamlsrc` takes the full road instead, which accepts it or explains the problem.
"""

from __future__ import annotations

import re
from typing import Any

import yaml

try:
    from yaml import CSafeLoader as _Loader
except ImportError:  # pragma: no cover - libyaml is missing on some platforms
    from yaml import SafeLoader as _Loader  # type: ignore[assignment]

from .storyfiles import MAX_FILE_BYTES

MAX_DEPTH = 64

_STR = "tag:yaml.org,2002:str"
_MAP = "tag:yaml.org,2002:map"
_SEQ = "tag:yaml.org,2002:seq"
_SCALAR_TAGS = {
    _STR,
    "tag:yaml.org,2002:int",
    "tag:yaml.org,2002:float",
    "tag:yaml.org,2002:bool",
    "tag:yaml.org,2002:null",
    "tag:yaml.org,2002:timestamp",
}
_constructor = yaml.constructor.SafeConstructor()
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")
"""Control characters other than tab and newline, and bidi overrides: nothing a story needs, and they
can drive a terminal or make a line read differently from what it holds."""

Marks = dict[tuple[str | int, ...], tuple[int, int]]


class _Unusual(Exception):
    """Something the fast path leaves to the full parser (which accepts it or explains the problem)."""


_IMPLICIT = yaml.resolver.Resolver.yaml_implicit_resolvers
_RAW_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")
"""`_CONTROL` less carriage return, which line breaks may contain: checked once over the whole text,
so that only double-quoted scalars (the only ones with escapes) need checking one by one."""
_NO_KEY = object()


def fast_load(text: str) -> tuple[Any, Marks]:
    """Data and marks straight from the parser's events, without building a node tree.

    About twice as fast as the full road (`yamlsrc._full_load`) and it allocates far less; it handles plain story files
    only. Anchors, aliases, tags, merge keys, duplicate keys, deep nesting, several documents and
    syntax errors raise, and the caller falls back to `_full_load`. The results must be equal to
    `_full_load`'s for every input this accepts (a test holds them to it).
    """
    if _RAW_CONTROL.search(text):
        raise _Unusual
    loader = _Loader(text)
    try:
        get = loader.get_event
        marks: Marks = {}
        root: Any = _NO_KEY
        # Each open collection: [container, its path, pending mapping key (or _NO_KEY)]
        stack: list[list[Any]] = []
        if not isinstance(get(), yaml.StreamStartEvent) or not isinstance(get(), yaml.DocumentStartEvent):
            raise _Unusual
        while True:
            event: Any = get()
            kind = type(event)
            if kind is yaml.MappingEndEvent or kind is yaml.SequenceEndEvent:
                stack.pop()
                continue
            if kind is yaml.DocumentEndEvent:
                break
            if event.anchor is not None or event.tag is not None or len(stack) >= MAX_DEPTH:
                raise _Unusual
            top = stack[-1] if stack else None
            if kind is yaml.ScalarEvent:
                value: Any = event.value
                if event.implicit[0]:
                    value = _plain_value(value)
                elif event.style == '"' and _CONTROL.search(value):
                    raise _Unusual  # an escape such as "\e": the full parser says where
                if top is None:
                    root = value
                elif type(top[0]) is list:
                    top[0].append(value)
                elif top[2] is _NO_KEY:
                    if value in top[0]:
                        raise _Unusual
                    top[2] = value
                else:
                    top[0][top[2]] = value
                    top[2] = _NO_KEY
                continue
            if kind is yaml.MappingStartEvent:
                container: Any = {}
            elif kind is yaml.SequenceStartEvent:
                container = []
            else:
                raise _Unusual
            if top is None:
                root = container
                loc: tuple[str | int, ...] = ()
            elif type(top[0]) is list:
                loc = (*top[1], len(top[0]))
                if kind is yaml.MappingStartEvent:
                    marks[loc] = (event.start_mark.line + 1, event.start_mark.column + 1)
                top[0].append(container)
            elif top[2] is _NO_KEY:
                raise _Unusual
            else:
                loc = (*top[1], top[2] if type(top[2]) is str else str(top[2]))
                top[0][top[2]] = container
                top[2] = _NO_KEY
            stack.append([container, loc, _NO_KEY])
        if root is _NO_KEY or not isinstance(get(), yaml.StreamEndEvent):
            raise _Unusual
        return root, marks
    finally:
        loader.dispose()


_PLAIN_SEEN: dict[str, Any] = {}
"""Short plain scalars already read: keys, ids and numbers repeat across every file of a story."""


def _plain_value(text: str) -> Any:
    """An unquoted scalar as YAML 1.1 reads it (`yes` is true, `1_000` a number, `~` null)."""
    known = _PLAIN_SEEN.get(text, _NO_KEY)
    if known is not _NO_KEY:
        return known
    value = _resolve_plain(text)
    if len(text) <= 40 and len(_PLAIN_SEEN) < 20_000:
        _PLAIN_SEEN[text] = value
    return value


def _resolve_plain(text: str) -> Any:
    for tag, regexp in _IMPLICIT.get(text[0] if text else "", ()):
        if regexp.match(text):
            if tag == _STR:
                return text
            if tag not in _SCALAR_TAGS:
                raise _Unusual
            return _construct(yaml.ScalarNode(tag, text))
    return text


def _construct(node: yaml.Node) -> Any:
    """A scalar node's value. Not `construct_object`, which remembers every node it has seen."""
    return _constructor.yaml_constructors[node.tag](_constructor, node)


__all__ = [
    "MAX_DEPTH",
    "MAX_FILE_BYTES",
    "_CONTROL",
    "_MAP",
    "_SCALAR_TAGS",
    "_SEQ",
    "_STR",
    "Marks",
    "_Loader",
    "_construct",
    "fast_load",
]
