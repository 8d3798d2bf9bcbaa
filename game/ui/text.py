"""Story and player text as Textual `Content`: never parsed as markup.

Emphasis (`*italic*`, `**bold**`) is read by the engine's text language, once, into runs of
(text, style); here runs only become styled Content. A `[bold]` or `[@click=app.quit]` in a scene
file is shown as written and does nothing.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from textual.content import Content

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
