"""The side panel's parts: the visible variables as bars, and the record beside the player's path."""

from __future__ import annotations

from collections.abc import Sequence

from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.widgets import Static

from ...engine.i18n import N_, _
from ...engine.present import value_text
from ...engine.session import VarView

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
        self.update(Content("\n").join(var_line(v) for v in variables))


Entry = tuple[str, str]
"""A timeline row: a date (or "") and what happened."""


def entry_widgets(rows: Sequence[Entry], empty: str, dim: bool = False) -> list[Static]:
    """A date line and an indented line of text per row, so wrapped text keeps its indent."""
    if not rows:
        return [Static(Content.styled(_(empty) if empty else "", "dim italic"), classes="what")]
    widgets = []
    for when, text in rows:
        widgets.append(Static(Content.styled(when or "—", "dim bold"), classes="when"))
        widgets.append(Static(Content.styled(text, "dim") if dim else Content(text), classes="what"))
    return widgets


class TimelineColumn(Vertical):
    """A heading and dated rows; `show()` replaces the rows. The heading and the text for no rows
    are messages (marked with `N_`), translated each time they are drawn."""

    DEFAULT_CSS = """
    TimelineColumn { height: auto; width: 1fr; padding: 0 1; }
    TimelineColumn > .heading { text-style: bold underline; }
    TimelineColumn > .what { padding-left: 2; }
    TimelineColumn > .ahead { text-style: italic; padding-top: 1; }
    """

    def __init__(self, heading: str, rows: Sequence[Entry] = (), *, empty: str = "", ahead: Sequence[Entry] = ()) -> None:
        super().__init__()
        self.heading = heading
        self.rows, self.empty, self.ahead = list(rows), empty, list(ahead)

    def compose(self) -> ComposeResult:
        yield Static(Content(_(self.heading)), classes="heading")
        yield from self._rows()

    def _rows(self) -> list[Static]:
        widgets = entry_widgets(self.rows, self.empty)
        if self.ahead:
            widgets.append(Static(Content(_("still ahead in the record:")), classes="ahead"))
            widgets += entry_widgets(self.ahead, "", dim=True)
        return widgets

    def show(self, rows: Sequence[Entry]) -> None:
        rows = list(rows)
        self.query_one(".heading", Static).update(Content(_(self.heading)))
        if rows == self.rows:
            if not rows and self.empty:  # the text for no rows, in the language now in force
                self.query(".what").first(Static).update(Content.styled(_(self.empty), "dim italic"))
            return
        old, self.rows = self.rows, rows
        with self.app.batch_update():
            if not old or not rows or self.ahead:
                self.query(".when, .what, .ahead").remove()
                self.mount_all(self._rows())
                return
            # A scene change adds a row (or undo drops some): touch only the rows that differ, so a
            # long play-through does not rebuild its whole path on every key press.
            same = next((i for i, (a, b) in enumerate(zip(old, rows, strict=False)) if a != b), min(len(old), len(rows)))
            for widget in list(self.children)[1 + 2 * same :]:
                widget.remove()
            if rows[same:]:
                self.mount_all(entry_widgets(rows[same:], self.empty))


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
