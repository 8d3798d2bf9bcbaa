"""The scene's prose: scrollable, with emphasis, dramatised passages marked, optionally typed out."""

from __future__ import annotations

from collections.abc import Sequence

from textual.app import ComposeResult
from textual.containers import VerticalScroll
from textual.content import Content
from textual.timer import Timer
from textual.widgets import Static

from ...engine.session import Paragraph
from ...engine.textlang import Run, blocks
from ..text import runs_content

TICKS_PER_SECOND = 30
DRAMATISED = "DRAMATISED"


def scene_content(paragraphs: Sequence[Paragraph], reply: Sequence[Run] = ()) -> Content:
    """All paragraphs as one Content, after the reply to the choice that led here (in italic); a
    dramatised passage is labelled in words, not only styled."""
    parts: list[Content] = [runs_content(block).stylize("italic") for block in blocks(reply)]
    for paragraph in paragraphs:
        for block in blocks(paragraph.runs):
            if paragraph.dramatised:
                parts.append(Content.assemble((f" {DRAMATISED} ", "reverse"), " ", runs_content(block).stylize("italic")))
            else:
                parts.append(runs_content(block))
    return Content("\n\n").join(parts)


class SceneText(VerticalScroll):
    """Scene text that can be revealed a few characters at a time; `finish()` shows it all."""

    DEFAULT_CSS = """
    SceneText { height: 1fr; padding: 0 1; }
    SceneText > #prose { width: 1fr; max-width: 100; }
    """

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self._content = Content("")
        self._shown = 0
        self._step = 0
        self._timer: Timer | None = None

    def compose(self) -> ComposeResult:
        yield Static(id="prose", markup=False)

    @property
    def text(self) -> str:
        """The full plain text, whether or not it is revealed yet."""
        return self._content.plain

    @property
    def revealing(self) -> bool:
        return self._timer is not None

    def show(self, paragraphs: Sequence[Paragraph], speed: int = 0, after: Content | None = None, reply: Sequence[Run] = ()) -> None:
        """Show the reply and new text, then `after` if given; `speed` in characters per second, 0 for all at once."""
        self._stop()
        self._content = scene_content(paragraphs, reply)
        if after is not None:
            self._content = Content.assemble(self._content, "\n\n", after)
        self.scroll_home(animate=False)
        if speed <= 0:
            self._shown = len(self._content)
        else:
            self._shown = 0
            self._step = max(1, speed // TICKS_PER_SECOND)
            self._timer = self.set_interval(1 / TICKS_PER_SECOND, self._tick)
        self._render_text()

    def finish(self) -> None:
        self._stop()
        self._shown = len(self._content)
        self._render_text()

    def _tick(self) -> None:
        self._shown += self._step
        if self._shown >= len(self._content):
            self.finish()
        else:
            self._render_text()

    def _stop(self) -> None:
        if self._timer is not None:
            self._timer.stop()
            self._timer = None

    def _render_text(self) -> None:
        self.query_one("#prose", Static).update(self._content[: self._shown])
