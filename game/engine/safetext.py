"""Text from outside the program made safe to put on a terminal.

Story files, saves, `--set` values and file names are untrusted: a terminal obeys the control
characters in them (an OSC sequence retitles the window or writes the clipboard, a CSI sequence
clears the screen), and bidi overrides or zero-width characters make text read differently from
what it is. `visible` is the one gate: control characters become the visible Unicode control
pictures (ESC shows as ␛, so a tampered value is seen, not obeyed), format characters that can
disguise text are dropped. Everything else, including all scripts and emoji, passes unchanged.
"""

from __future__ import annotations

import re

# Bidi embeddings, overrides and isolates (U+202A-U+202E, U+2066-U+2069): they reorder what
# follows them. Zero-width space, word joiner, invisible operators, the byte-order mark and the
# Mongolian vowel separator: nothing to see, but they split or join words unseen.
_DROP = "\u202a-\u202e\u2066-\u2069\u200b\u2060-\u2064\ufeff\u180e"
# In names (slot names, file names, one-line values) the joiners go too: there they only disguise.
_DROP_IN_NAMES = _DROP + "\u200c\u200d\u200e\u200f\u061c\u00ad"

_C0_PICTURES = {code: chr(0x2400 + code) for code in range(0x20)}
_C0_PICTURES[0x7F] = "\u2421"
_C1 = {code: "\ufffd" for code in range(0x80, 0xA0)}


def _table(drop: str) -> dict[int, str | None]:
    table: dict[int, str | None] = {**_C0_PICTURES, **_C1}
    for part in re.finditer(r"(.)(?:-(.))?", drop):
        first, last = part.group(1), part.group(2) or part.group(1)
        table.update(dict.fromkeys(range(ord(first), ord(last) + 1)))
    return table


_PROSE = _table(_DROP)
_PROSE[ord("\n")] = "\n"
_PROSE[ord("\t")] = " "
_NAME = _table(_DROP_IN_NAMES)


def visible(text: str) -> str:
    """`text` safe for a terminal, keeping its line breaks (tabs become spaces)."""
    return text.translate(_PROSE)


def visible_name(text: str) -> str:
    """A one-line `text` (a name, a value, a path) safe for a terminal: line breaks show as ␊."""
    return text.translate(_NAME)


def is_clean(text: str) -> bool:
    """Whether `visible` would leave `text` as it is."""
    return visible(text) == text


__all__ = ["is_clean", "visible", "visible_name"]
