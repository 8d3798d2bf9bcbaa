"""Safe YAML with source positions.

Each file's parser events are checked first (nesting depth, anchors and aliases), then it is
composed once into PyYAML's node tree (C parser when available) and turned into plain Python data
by our own small constructor, which rejects what a story file has no use for: duplicate keys,
non-standard tags. A later error gets its `line:col` by walking the node tree along the same path
the data was read along (see `Document` for when that tree exists). Plain files take faster roads
to the same data: line by line (`lines_load`), else from the parser's events (`_fast_load`).
"""

from __future__ import annotations

import datetime as _dt
import hashlib
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from .yamlfast import _CONTROL, _MAP, _SCALAR_TAGS, _SEQ, _STR, MAX_DEPTH, MAX_FILE_BYTES, Marks, _construct, _Loader
from .yamlfast import fast_load as _fast_load
from .yamllines import lines_load
from .yamlwords import explain


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
    """A parsed file: its data, and what is needed to point at a place in it.

    The node tree is not kept: for a large story it costs more memory than everything else
    together. `marks` holds the start of every mapping that is a list item (each scene, each
    choice), which is all a story without errors asks for; any other position is found by parsing
    the text again, which only happens on the way to reporting an error.
    """

    data: Any
    text: str
    digest: str = ""
    """SHA-256 of the file's bytes: part of the story's fingerprint."""
    marks: dict[tuple[str | int, ...], tuple[int, int]] = field(default_factory=dict)
    """1-based (line, col) of each mapping that is a list item, by its data path."""
    _tree: yaml.Node | None = None
    _plain: dict[int, str] = field(default_factory=dict)
    """Plain (unquoted) scalars of `_tree` that YAML read as something other than a string, by node id."""

    @property
    def root(self) -> yaml.Node:
        if self._tree is None:
            root = yaml.compose(self.text, Loader=_Loader)
            assert root is not None  # the same text composed without error before
            self._plain = {}
            _Builder(self, []).build(root)
            self._tree = root
        return self._tree

    @property
    def plain(self) -> dict[int, str]:
        self.root  # noqa: B018 - node ids only mean something for the tree they were taken from
        return self._plain

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
                if k.value == key or (id(k) in self.plain and _construct(k) == key):
                    return k
        return None

    def position(self, loc: Sequence[str | int]) -> tuple[int, int]:
        known = self.marks.get(tuple(loc))
        return known if known is not None else mark_of(self.node_at(loc))

    def surprise(self, loc: Sequence[str | int]) -> str | None:
        """If the value at `loc` was an unquoted scalar YAML read as a non-string, explain it."""
        return self.surprise_of(self.node_at(loc))

    def surprise_of(self, node: yaml.Node) -> str | None:
        text = self.plain.get(id(node))
        if text is None:
            return None
        value = _construct(node)
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
    return parse_bytes(read(path))


def read(path: Path) -> bytes:
    """A file's bytes, refusing files over MAX_FILE_BYTES; raise YamlProblems on failure."""
    try:
        size = path.stat().st_size
        if size > MAX_FILE_BYTES:
            raise YamlProblems([Problem(1, 1, f"file is {size} bytes; the limit is {MAX_FILE_BYTES}", "too-large")])
        return path.read_bytes()
    except OSError as exc:
        raise YamlProblems([Problem(1, 1, f"cannot read file: {exc.strerror or exc}", "io")]) from None


def parse_bytes(raw: bytes, digest: str = "") -> Document:
    """Parse a file's bytes (`digest`: their SHA-256, when the caller has it already)."""
    digest = digest or hashlib.sha256(raw).hexdigest()
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
        data, marks = lines_load(text)
    except Exception:  # anything outside the plain subset takes the event road
        try:
            data, marks = _fast_load(text)
        except Exception:  # anything unusual is left to the full parser, which accepts it or explains it
            data, marks = _full_load(text)
    return Document(data=data, text=text, digest=digest, marks=marks)


def _full_load(text: str) -> tuple[Any, Marks]:
    """Compose the node tree and build data from it, with every check and exact problem positions."""
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
        message = explain(message, text, line, col)
        # PyYAML 6.0.4 and later bound nesting in the scanner itself, before our own check sees it.
        code = "yaml-depth" if "nesting depth" in message else "yaml-syntax"
        raise YamlProblems([Problem(line, col, message, code)]) from None
    except yaml.YAMLError as exc:
        raise YamlProblems([Problem(1, 1, f"YAML error: {exc}", "yaml-syntax")]) from None
    except (RecursionError, MemoryError):
        raise YamlProblems([Problem(1, 1, "file is nested too deeply to read", "yaml-depth")]) from None
    if root is None:
        raise YamlProblems([Problem(1, 1, "file is empty", "empty")])
    problems: list[Problem] = []
    data = _Builder(Document(data=None, text=text), problems).build(root)
    if problems:
        raise YamlProblems(problems)
    marks: Marks = {}
    _collect_marks(root, (), marks)
    return data, marks


def _collect_marks(node: yaml.Node, loc: tuple[str | int, ...], into: dict[tuple[str | int, ...], tuple[int, int]]) -> None:
    if isinstance(node, yaml.MappingNode):
        for key, value in node.value:
            if isinstance(value, yaml.CollectionNode) and isinstance(key, yaml.ScalarNode):
                _collect_marks(value, (*loc, key.value), into)
    elif isinstance(node, yaml.SequenceNode):
        for i, item in enumerate(node.value):
            if isinstance(item, yaml.MappingNode):
                into[(*loc, i)] = mark_of(item)
            if isinstance(item, yaml.CollectionNode):
                _collect_marks(item, (*loc, i), into)


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
                value = _construct(node)
            except (yaml.YAMLError, ValueError, OverflowError) as exc:
                self.fail(node, f"bad value {node.value!r}: {exc}", "yaml-value")
                return None
            if not node.style:
                self.doc._plain[id(node)] = node.value
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
