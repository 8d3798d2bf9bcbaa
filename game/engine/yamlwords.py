"""YAML's syntax errors in plain words: most of them are an indentation slip or text that needs quotes.

The parser's own wording ("while parsing a block collection did not find expected '-' indicator")
is kept at the end, in brackets, for anyone who wants to search for it.
"""

from __future__ import annotations


def _indent(line: str) -> int:
    return len(line) - len(line.lstrip(" "))


def _above(lines: list[str], at: int) -> str | None:
    """The nearest line above `at` (0-based) with something on it other than a comment."""
    for line in reversed(lines[:at]):
        if line.strip() and not line.lstrip().startswith("#"):
            return line
    return None


def _key_column(line: str) -> int:
    """Where the key of a line starts: after a list item's `- `, if it is one."""
    col = _indent(line)
    rest = line[col:]
    while rest.startswith("- "):
        col += 2 + _indent(rest[2:])
        rest = line[col:]
    return col


def explain(message: str, text: str, line: int, col: int) -> str:
    """A plain-words account of a YAML syntax error at 1-based `line`, `col` of `text`."""
    lines = text.splitlines()
    if not 1 <= line <= len(lines):
        return message
    here = lines[line - 1]
    above = _above(lines, line - 1)
    indent = _indent(here)
    plain = None
    if "mapping values are not allowed" in message:
        start = _key_column(here)
        first = here.find(": ", start)
        if first != -1 and first + 1 < col - 1:
            plain = 'a second `: ` on this line: YAML takes it for a new key. Put the text in quotes ("…")'
        elif above is not None and indent > _key_column(above):
            plain = (
                f"this line is indented further than the line above (column {indent + 1}, not {_key_column(above) + 1}), "
                "so YAML reads it as part of that line's value: line it up with the keys it belongs with"
            )
    elif "expected '-' indicator" in message or "expected <block end>" in message or "did not find expected key" in message:
        dashes = [row for row in lines[: line - 1] if _indent(row) == indent and row.lstrip().startswith("- ")]
        if above is not None and dashes and not here.lstrip().startswith("- "):
            plain = (
                f"this key starts in column {indent + 1}, where the list's items (`- `) start, not under the other keys "
                f"of its item (column {_key_column(above) + 1}): indent it like them"
            )
        elif above is not None and indent != _key_column(above):
            plain = (
                f"this line starts in column {indent + 1}, which lines up with no key above it "
                f"(the line above starts its key in column {_key_column(above) + 1}): the keys of one scene or "
                "choice must start in the same column, and so must the items (`- `) of one list"
            )
        elif here.lstrip().startswith("- "):
            plain = "a list item (`- `) where a key was expected: is the key that starts the list (`choices:`) missing above?"
    elif "could not find expected ':'" in message:
        plain = "a line that is neither `key: value` nor the continuation of a text: check its indentation, or quote the text above"
    if plain is None:
        return message
    return f"{plain} (YAML: {message})"


__all__ = ["explain"]
