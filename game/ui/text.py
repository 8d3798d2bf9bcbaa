"""Story and player text as Textual `Content`: never parsed as markup.

Emphasis (`*italic*`, `**bold**`) is read by the engine's text language, once, into runs of
(text, style); here runs only become styled Content. A `[bold]` or `[@click=app.quit]` in a scene
file is shown as written and does nothing.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from textual.content import Content
from textual.widgets import Static

from ..engine.textlang import Run, emphasis

BLANK_LINE = re.compile(r"\n\s*\n")


def blocks(text: str) -> list[str]:
    """The paragraphs of a text (split at blank lines), each with its whitespace collapsed."""
    return [" ".join(block.split()) for block in BLANK_LINE.split(text.strip()) if block.strip()]


def runs_content(runs: Sequence[Run]) -> Content:
    """Rendered story text: each run's words in its style, nothing interpreted."""
    return Content.assemble(*((run.text, run.style) if run.style else run.text for run in runs))


def prose(text: str) -> Content:
    """A paragraph of fixed story text (a history summary), with its emphasis and nothing else interpreted."""
    return runs_content(emphasis(text))


def plain(text: str, style: str = "") -> Content:
    """Author or player text taken literally, optionally in one style."""
    return Content.styled(text, style) if style else Content(text)


def update_shown(widget: Static, content: Content | str) -> None:
    """`widget.update(content)` unless it shows that already: every update lays the screen out
    again and repaints the widget, and a scene change would otherwise redo it for unchanged lines."""
    old = widget.content
    same_text = isinstance(content, str) and isinstance(old, str) and old == content
    same_content = isinstance(content, Content) and isinstance(old, Content) and (old.plain, old.spans) == (content.plain, content.spans)
    if not (same_text or same_content):
        widget.update(content)
