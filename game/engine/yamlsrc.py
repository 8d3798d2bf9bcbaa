"""Safe YAML with source positions.

Each file's parser events are checked first (nesting depth, anchors and aliases), then it is
composed once into PyYAML's node tree (C parser when available) and turned into plain Python data
by our own small constructor, which rejects what a story file has no use for: duplicate keys,
non-standard tags. The node tree stays available to put a `line:col` on any later error, found by
walking the same path the data was read along.
"""

from __future__ import annotations

import datetime as _dt
import hashlib
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

try:
    from yaml import CSafeLoader as _Loader
except ImportError:  # pragma: no cover - libyaml is missing on some platforms
    from yaml import SafeLoader as _Loader  # type: ignore[assignment]

MAX_FILE_BYTES = 1024 * 1024
"""Scene files bigger than this are refused: no story needs one, and it bounds parse time."""

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
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")
"""Control characters other than tab and newline: nothing a story needs, and they can drive a terminal."""


@dataclass(frozen=True, slots=True)
class Problem:
    """A problem found while reading a file: 1-based line and column."""

    line: int
    col: int
    message: str
    code: str = "yaml"


class YamlProblems(Exception):
    def __init__(self, problems: list[Problem]) -> None:
        super().__init__(problems[0].message if problems else "")
        self.problems = problems


@dataclass(slots=True)
class Document:
    """A parsed file: its data, and the node tree to find positions in."""

    data: Any
    root: yaml.Node
    digest: str = ""
    """SHA-256 of the file's bytes: part of the story's fingerprint."""
    plain: dict[int, str] = field(default_factory=dict)
    """Plain (unquoted) scalars that YAML read as something other than a string, by node id."""

    def node_at(self, loc: Sequence[str | int]) -> yaml.Node:
        """The deepest node along `loc` (pydantic-style path; unknown parts are skipped)."""
        node = self.root
        for part in loc:
            if isinstance(node, yaml.MappingNode):
                for key, value in node.value:
                    if isinstance(key, yaml.ScalarNode) and key.value == str(part):
                        node = value
                        break
            elif isinstance(node, yaml.SequenceNode) and isinstance(part, int) and 0 <= part < len(node.value):
                node = node.value[part]
        return node

    def key_at(self, loc: Sequence[str | int], key: object) -> yaml.Node | None:
        """The key node `key` of the mapping at `loc` (for unknown-key errors and keys of the wrong type)."""
        node = self.node_at(loc)
        if isinstance(node, yaml.MappingNode):
            for k, _ in node.value:
                if not isinstance(k, yaml.ScalarNode):
                    continue
                if k.value == key or (id(k) in self.plain and _constructor.construct_object(k) == key):
                    return k
        return None

    def position(self, loc: Sequence[str | int]) -> tuple[int, int]:
        return mark_of(self.node_at(loc))

    def surprise(self, loc: Sequence[str | int]) -> str | None:
        """If the value at `loc` was an unquoted scalar YAML read as a non-string, explain it."""
        return self.surprise_of(self.node_at(loc))

    def surprise_of(self, node: yaml.Node) -> str | None:
        text = self.plain.get(id(node))
        if text is None:
            return None
        value = _constructor.construct_object(node)
        return f"`{text}` is read by YAML as {_describe(value)}; put it in quotes to keep it as text"


def mark_of(node: yaml.Node) -> tuple[int, int]:
    return node.start_mark.line + 1, node.start_mark.column + 1


def _describe(value: object) -> str:
    if isinstance(value, bool):
        return f"the boolean {str(value).lower()}"
    if value is None:
        return "null (nothing)"
    if isinstance(value, _dt.datetime | _dt.date):
        return f"a date ({value.isoformat()})"
    return f"the number {value!r}"


def parse(path: Path) -> Document:
    """Read and parse one YAML file; raise YamlProblems with positions on any failure."""
    try:
        size = path.stat().st_size
        if size > MAX_FILE_BYTES:
            raise YamlProblems([Problem(1, 1, f"file is {size} bytes; the limit is {MAX_FILE_BYTES}", "too-large")])
        raw = path.read_bytes()
    except OSError as exc:
        raise YamlProblems([Problem(1, 1, f"cannot read file: {exc.strerror or exc}", "io")]) from None
    return parse_bytes(raw)


def parse_bytes(raw: bytes) -> Document:
    digest = hashlib.sha256(raw).hexdigest()
    if raw.startswith(b"\xef\xbb\xbf"):
        raw = raw[3:]
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw.count(b"\n", 0, exc.start) + 1
        col = exc.start - (raw.rfind(b"\n", 0, exc.start) + 1) + 1
        raise YamlProblems([Problem(line, col, "file is not valid UTF-8", "encoding")]) from None
    if "\ufeff" in text:
        offset = text.index("\ufeff")
        line = text.count("\n", 0, offset) + 1
        col = offset - (text.rfind("\n", 0, offset) + 1) + 1
        raise YamlProblems([Problem(line, col, "stray byte-order mark (U+FEFF) inside the file", "encoding")])
    try:
        scanned = _scan(text)
        if scanned:
            raise YamlProblems(scanned)
        root = yaml.compose(text, Loader=_Loader)
    except yaml.reader.ReaderError as exc:
        # libyaml reports a byte offset into the UTF-8 text, not a line and column.
        before = text.encode()[: exc.position].decode("utf-8", "ignore")
        line, col = before.count("\n") + 1, len(before) - (before.rfind("\n") + 1) + 1
        char = exc.character if isinstance(exc.character, int) else ord(exc.character)
        raise YamlProblems([Problem(line, col, f"control character U+{char:04X} is not allowed", "encoding")]) from None
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line, col = (mark.line + 1, mark.column + 1) if mark else (1, 1)
        message = " ".join(p for p in (exc.context, exc.problem) if p) or "YAML syntax error"
        if "\t" in text and "cannot start any token" in message:
            message += " (tabs are not allowed for indentation)"
        # PyYAML 6.0.4 and later bound nesting in the scanner itself, before our own check sees it.
        code = "yaml-depth" if "nesting depth" in message else "yaml-syntax"
        raise YamlProblems([Problem(line, col, message, code)]) from None
    except yaml.YAMLError as exc:
        raise YamlProblems([Problem(1, 1, f"YAML error: {exc}", "yaml-syntax")]) from None
    except (RecursionError, MemoryError):
        raise YamlProblems([Problem(1, 1, "file is nested too deeply to read", "yaml-depth")]) from None
    if root is None:
        raise YamlProblems([Problem(1, 1, "file is empty", "empty")])
    doc = Document(data=None, root=root, digest=digest)
    problems: list[Problem] = []
    builder = _Builder(doc, problems)
    doc.data = builder.build(root)
    if problems:
        raise YamlProblems(problems)
    return doc


def _scan(text: str) -> list[Problem]:
    """Check the parser's events before any node is built.

    libyaml's composer recurses in C, so a deeply nested file (`[[[[...`) would crash the process
    instead of raising: depth is bounded here first. Anchors and aliases are refused here too, so
    an alias bomb is never composed, and each problem points at the `&` or `*` itself.
    """
    found: list[Problem] = []
    depth = 0
    for event in yaml.parse(text, Loader=_Loader):
        mark = event.start_mark
        line, col = (mark.line + 1, mark.column + 1) if mark else (1, 1)
        if isinstance(event, yaml.CollectionStartEvent):
            depth += 1
            if depth > MAX_DEPTH:
                return [Problem(line, col, f"nested more than {MAX_DEPTH} levels deep", "yaml-depth")]
        elif isinstance(event, yaml.CollectionEndEvent):
            depth -= 1
        if (isinstance(event, yaml.AliasEvent) or getattr(event, "anchor", None)) and len(found) < 10:
            found.append(Problem(line, col, "anchors and aliases (&name, *name) are not allowed in story files", "yaml-alias"))
    return found


class _Builder:
    """Turns nodes into data, refusing duplicate keys and odd tags (`_scan` has refused aliases and depth)."""

    def __init__(self, doc: Document, problems: list[Problem]) -> None:
        self.doc = doc
        self.problems = problems

    def fail(self, node: yaml.Node, message: str, code: str) -> None:
        line, col = mark_of(node)
        self.problems.append(Problem(line, col, message, code))

    def build(self, node: yaml.Node) -> Any:
        if isinstance(node, yaml.ScalarNode):
            if node.tag == _STR:
                control = _CONTROL.search(node.value)
                if control:
                    # Written as an escape ("\e", "\x07"): it would reach the player's terminal as is.
                    self.fail(node, f"control character U+{ord(control.group()):04X} is not allowed in text", "encoding")
                return node.value
            if node.tag not in _SCALAR_TAGS:
                self.fail(node, f"YAML tag {node.tag!r} is not allowed", "yaml-tag")
                return None
            try:
                value = _constructor.construct_object(node)
            except (yaml.YAMLError, ValueError, OverflowError) as exc:
                self.fail(node, f"bad value {node.value!r}: {exc}", "yaml-value")
                return None
            if not node.style:
                self.doc.plain[id(node)] = node.value
            return value
        if isinstance(node, yaml.SequenceNode):
            if node.tag != _SEQ:
                self.fail(node, f"YAML tag {node.tag!r} is not allowed", "yaml-tag")
            return [self.build(item) for item in node.value]
        if isinstance(node, yaml.MappingNode):
            if node.tag != _MAP:
                self.fail(node, f"YAML tag {node.tag!r} is not allowed", "yaml-tag")
            result: dict[Any, Any] = {}
            for key_node, value_node in node.value:
                if key_node.tag == "tag:yaml.org,2002:merge":
                    self.fail(key_node, "merge keys (<<) are not allowed in story files", "yaml-alias")
                    continue
                key = self.build(key_node)
                if isinstance(key, list | dict):
                    self.fail(key_node, "a key must be a plain value", "yaml-key")
                    continue
                if key in result:
                    self.fail(key_node, f"duplicate key {key!r}", "duplicate-key")
                    continue
                result[key] = self.build(value_node)
            return result
        self.fail(node, "unsupported YAML node", "yaml-tag")  # pragma: no cover
        return None
