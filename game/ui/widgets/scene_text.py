"""The scene's prose: scrollable, with emphasis, dramatised passages marked, optionally typed out.

A scene may pause at `* * *` (see `present.beats`): the text shows one beat at a time and the
reader asks for the next. The widget tells its screen when everything has been shown and read
(`Read`), so the choices can wait for the reader.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from textual.app import ComposeResult
from textual.containers import VerticalScroll
from textual.content import Content
from textual.message import Message
from textual.timer import Timer
from textual.widgets import Static

from ...engine.present import BEAT_BREAK, beats, label_text
from ...engine.record import Label
from ...engine.session import Paragraph
from ...engine.textlang import Run, blocks
from ..text import runs_content

TICKS_PER_SECOND = 30


def paragraph_content(paragraph: Paragraph) -> Content:
    """One paragraph; a dramatised passage is labelled in words, not only styled."""
    parts = []
    for block in blocks(paragraph.runs):
        if paragraph.dramatised:
            parts.append(
                Content.assemble((f" {label_text(Label.DRAMATISED).upper()} ", "reverse"), " ", runs_content(block).stylize("italic"))
            )
        else:
            parts.append(runs_content(block))
    return Content("\n\n").join(parts)


def reply_content(reply: Sequence[Run]) -> list[Content]:
    return [runs_content(block).stylize("italic") for block in blocks(reply)]


def scene_content(paragraphs: Sequence[Paragraph], reply: Sequence[Run] = ()) -> Content:
    """All paragraphs as one Content (beats joined by their break), after the reply in italic."""
    parts = reply_content(reply) + [beat_content(beat) for beat in beats(paragraphs)]
    return Content("\n\n").join(parts)


def beat_content(beat: Sequence[Paragraph]) -> Content:
    return Content("\n\n").join(paragraph_content(p) for p in beat)


BREAK_LINE = Content.styled(f"{BEAT_BREAK:^20}", "dim")
CARD_WIDTH = 36


def title_card(line: str) -> Content:
    """`Act 2: Alignment` as a framed card, the way a chapter opens."""
    number, _, title = line.partition(": ")
    rule = "─" * CARD_WIDTH
    rows = [Content.styled(rule, "$accent"), Content.styled(f"{number.upper():^{CARD_WIDTH}}", "bold $accent")]
    if title:
        rows.append(Content.styled(f"{title:^{CARD_WIDTH}}", "bold"))
    rows.append(Content.styled(rule, "$accent"))
    return Content("\n").join(rows)


class SceneText(VerticalScroll):
    """Scene text that can be revealed a few characters at a time and a beat at a time."""

    DEFAULT_CSS = """
    SceneText { height: 1fr; padding: 0 1; scrollbar-gutter: stable; }
    SceneText > #prose { width: 1fr; max-width: 100; }
    """

    @dataclass
    class Read(Message):
        """Every beat is shown, typed out and scrolled to its end."""

        scene_text: SceneText

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self._beats: list[Content] = []
        self._upto = 0
        self._content = Content("")
        self._shown = 0
        self._progress = 0.0
        """Characters typed so far, fractional: slow speeds type less than one a tick."""
        self._speed = 0
        self._timer: Timer | None = None
        self._shows = 0
        """Counts the texts shown, so a scroll asked for one text never moves the next."""
        self.read = False
        """Everything has been shown and scrolled to: the choices may show."""

    def compose(self) -> ComposeResult:
        yield Static(id="prose", markup=False)

    @property
    def text(self) -> str:
        """The full plain text of every beat, whether or not it is shown yet."""
        return Content("\n\n").join(self._beats).plain

    @property
    def shown_text(self) -> str:
        """The plain text on screen now."""
        return self._content[: self._shown].plain

    @property
    def revealing(self) -> bool:
        return self._timer is not None

    @property
    def more_beats(self) -> bool:
        return self._upto + 1 < len(self._beats)

    @property
    def at_end(self) -> bool:
        return self.scroll_y >= self.max_scroll_y

    def show(
        self,
        paragraphs: Sequence[Paragraph],
        speed: int = 0,
        after: Content | None = None,
        reply: Sequence[Run] = (),
        *,
        read: bool = False,
        card: str | None = None,
    ) -> None:
        """Show the reply and the first beat, `after` following the last beat; `speed` in characters
        per second, 0 for all at once. `read` shows every beat at once (a scene seen before, on undo);
        `card` opens the text with a title card (a new act's)."""
        self._stop()
        parts = [beat_content(beat) for beat in beats(paragraphs)]
        parts[0] = Content("\n\n").join([*reply_content(reply), *([title_card(card)] if card else []), parts[0]])
        if after is not None:
            parts[-1] = Content.assemble(parts[-1], "\n\n", after)
        self._beats = parts
        self._shows += 1
        self._upto = len(parts) - 1 if read else 0
        self._speed = 0 if read else speed
        self.read = False
        self._content = self._joined()
        # At once: a deferred scroll would leave the old position to be measured against the new text.
        self.scroll_home(animate=False, immediate=True)
        self._reveal_from(0)

    def _joined(self) -> Content:
        shown = self._beats[: self._upto + 1]
        return Content.assemble("\n\n", BREAK_LINE, "\n\n").join(shown)

    def _reveal_from(self, start: int) -> None:
        if self._speed <= 0:
            self._shown = len(self._content)
        else:
            self._shown = start
            self._progress = float(start)
            self._timer = self.set_interval(1 / TICKS_PER_SECOND, self._tick)
        self._render_text()

    def next_beat(self) -> bool:
        """Show the next beat (its start at the top); False when there is none."""
        if not self.more_beats:
            return False
        self.finish()
        height = self.virtual_size.height
        self._upto += 1
        start = len(self._content)
        self._content = self._joined()
        self._reveal_from(start)
        # The new beat starts where the old text ended; its first lines go to the top.
        shows = self._shows

        def scroll() -> None:
            if shows == self._shows:
                self.scroll_to(y=max(0, height - 1), animate=False, immediate=True)

        self.call_after_refresh(scroll)
        return True

    def finish(self) -> None:
        """Type out the rest of what is shown now at once."""
        self._stop()
        self._shown = len(self._content)
        self._render_text()

    def read_on(self) -> None:
        """Where the reader wants to get on: the rest typed out, the next beat, or the end of the text."""
        if self.revealing:
            self.finish()
        elif self.more_beats:
            self.next_beat()
        else:
            self.scroll_end(animate=False, immediate=True)
            self.call_after_refresh(self._check_read)

    def keep_end_in_view(self) -> None:
        """After the next layout (the choices taking room below), scroll back to the end of this text."""
        shows = self._shows

        def scroll() -> None:
            if shows == self._shows:
                self.scroll_end(animate=False, immediate=True)

        self.call_after_refresh(scroll)

    def _tick(self) -> None:
        self._progress += self._speed / TICKS_PER_SECOND
        self._shown = int(self._progress)
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
        if not self.revealing:
            self.call_after_refresh(self._check_read)

    def watch_scroll_y(self, old_value: float, new_value: float) -> None:
        super().watch_scroll_y(old_value, new_value)
        self._check_read()

    def on_resize(self) -> None:
        self.call_after_refresh(self._check_read)

    def _check_read(self) -> None:
        self.check_read()

    def check_read(self) -> bool:
        """Whether everything is shown and scrolled to (measured as laid out now); `Read` is posted
        the first time it is."""
        if self.read or self.revealing or self.more_beats or not self.at_end:
            return self.read
        self.read = True
        self.post_message(self.Read(self))
        return True


class ReadOnLine(Static):
    """The line under the text that says there is more: a click (a tap, on a phone) reads on, as
    Space does, so a touch screen without a keyboard can get through a scene."""

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id, markup=False)

    async def on_click(self) -> None:
        await self.run_action("screen.read_on")
