"""The side panel's parts: the visible variables as bars, and the record beside the player's path."""

from __future__ import annotations

from collections.abc import Sequence

from rich.console import Console, ConsoleOptions, Group, RenderableType, RenderResult
from rich.padding import Padding
from rich.segment import Segment
from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.widgets import Static

from ...engine.i18n import N_, _
from ...engine.present import value_text
from ...engine.session import VarView
from ..text import update_shown

BAR_WIDTH = 12


def bar(value: int, low: int, high: int, width: int = BAR_WIDTH) -> str:
    """A bar of `width` cells, filled in proportion to where `value` sits in `low`..`high`."""
    span = high - low
    filled = round(width * (value - low) / span) if span > 0 else width
    filled = max(0, min(width, filled))
    return "█" * filled + "░" * (width - filled)


def var_line(var: VarView) -> Content:
    """One variable: its name, then a bar and the number (ints with a range), or its value."""
    value = var.value
    if isinstance(value, bool):
        shown: Content = Content(value_text(value))
    elif isinstance(value, int) and var.min is not None and var.max is not None:
        shown = Content.assemble((bar(value, var.min, var.max), "$accent"), f" {value:>3}")
    else:
        shown = Content(str(value))
    return Content.assemble((var.label, "bold"), "\n", shown)


class VarPanel(Static):
    """The variables the story marks visible, for this role."""

    DEFAULT_CSS = "VarPanel { height: auto; padding: 0 1; }"

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id, markup=False)

    def show(self, variables: Sequence[VarView]) -> None:
        self.display = bool(variables)
        update_shown(self, Content("\n").join(var_line(v) for v in variables))


class RememberedGroup(Group):
    """Rows drawn once per width: Textual measures and draws a widget's content several times a
    layout, and a timeline column, which grows with the play-through, cost more each time."""

    def __init__(self, *renderables: RenderableType) -> None:
        super().__init__(*renderables)
        self._drawn: dict[tuple[object, ...], list[Segment]] = {}

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        key = (options.max_width, options.min_width, options.height, options.no_wrap, options.overflow, options.justify)
        drawn = self._drawn.get(key)
        if drawn is None:
            drawn = self._drawn[key] = list(console.render(Group(*self.renderables), options))
        yield from drawn


Entry = tuple[str, str]
"""A timeline row: a date (or "") and what happened."""


def entry_lines(rows: Sequence[Entry], empty: str, dim: bool = False) -> list[RenderableType]:
    """A date line and an indented paragraph per row (wrapped text keeps its indent)."""
    if not rows:
        return [Text(_(empty) if empty else "", style="dim italic")]
    lines: list[RenderableType] = []
    for when, text in rows:
        lines.append(Text(when or "—", style="dim bold"))
        lines.append(Padding(Text(text, style="dim" if dim else ""), (0, 0, 0, 2)))
    return lines


class TimelineColumn(Vertical):
    """A heading and dated rows, in two widgets however many rows there are: `show()` replaces the
    rows without mounting anything, so a long play-through does not grow the screen's widget tree.
    The heading and the text for no rows are messages (marked with `N_`), translated each time they
    are drawn."""

    DEFAULT_CSS = """
    TimelineColumn { height: auto; width: 1fr; padding: 0 1; }
    TimelineColumn > .heading { text-style: bold underline; }
    TimelineColumn > .rows { height: auto; }
    """

    def __init__(self, heading: str, rows: Sequence[Entry] = (), *, empty: str = "", ahead: Sequence[Entry] = ()) -> None:
        super().__init__()
        self.heading = heading
        self.rows, self.empty, self.ahead = list(rows), empty, list(ahead)
        self.body = Static(self._rendered(), classes="rows")

    def compose(self) -> ComposeResult:
        yield Static(Content(_(self.heading)), classes="heading")
        yield self.body

    def shown(self) -> list[str]:
        """The rows' texts as shown (for tests and screen readers alike: no dates)."""
        return [text for _when, text in self.rows]

    def _rendered(self) -> RememberedGroup:
        lines = entry_lines(self.rows, self.empty)
        if self.ahead:
            lines.append(Padding(Text(_("still ahead in the record:"), style="italic"), (1, 0, 0, 0)))
            lines += entry_lines(self.ahead, "", dim=True)
        return RememberedGroup(*lines)

    def show(self, rows: Sequence[Entry]) -> None:
        rows = list(rows)
        update_shown(self.query_one(".heading", Static), Content(_(self.heading)))
        if rows == self.rows:
            if not rows and self.empty:  # the text for no rows, in the language now in force
                self.body.update(self._rendered())
            return
        self.rows = rows
        self.body.update(self._rendered())


class TimelinePanel(Horizontal):
    """The real events up to the in-world moment, beside the player's own path."""

    DEFAULT_CSS = "TimelinePanel { height: auto; }"

    def compose(self) -> ComposeResult:
        yield TimelineColumn(N_("The record"), empty=N_("nothing yet"))
        yield TimelineColumn(N_("Your path"), empty=N_("just begun"))

    def show(self, record: Sequence[Entry], path: Sequence[Entry]) -> None:
        first, second = self.query(TimelineColumn)
        first.show(record)
        second.show(path)
