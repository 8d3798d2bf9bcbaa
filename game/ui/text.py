"""Story and player text as Textual `Content`: never parsed as markup.

Story text marks emphasis with *asterisks*; that is the one thing interpreted, and it becomes italic.
A `[bold]` or `[@click=app.quit]` in a scene file is shown as written and does nothing.
"""

from __future__ import annotations

import re

from textual.content import Content

EMPHASIS = re.compile(r"\*(?=\S)([^*\n]+?)(?<=\S)\*")
BLANK_LINE = re.compile(r"\n\s*\n")


def blocks(text: str) -> list[str]:
    """The paragraphs of a text (split at blank lines), each with its whitespace collapsed."""
    return [" ".join(block.split()) for block in BLANK_LINE.split(text.strip()) if block.strip()]


def prose(text: str) -> Content:
    """A paragraph of story text, with *emphasis* in italic and nothing else interpreted."""
    parts: list[str | tuple[str, str]] = []
    pos = 0
    for match in EMPHASIS.finditer(text):
        parts.append(text[pos : match.start()])
        parts.append((match.group(1), "italic"))
        pos = match.end()
    parts.append(text[pos:])
    return Content.assemble(*parts)


def plain(text: str, style: str = "") -> Content:
    """Author or player text taken literally, optionally in one style."""
    return Content.styled(text, style) if style else Content(text)
