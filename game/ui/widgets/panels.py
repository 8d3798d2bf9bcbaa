"""The side panel's parts: the visible variables as bars, and the record beside the player's path."""

from __future__ import annotations

from collections.abc import Sequence

from textual.app import ComposeResult
from textual.containers import Horizontal
from textual.content import Content
from textual.widgets import Static

from ...engine import VarView

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
        shown: Content = Content("yes" if value else "no")
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
"""A timeline row: a short date (or "") and what happened."""


def entries(rows: Sequence[Entry], empty: str) -> Content:
    if not rows:
        return Content.styled(empty, "dim italic")
    return Content("\n").join(Content.assemble((f"{when:<7}", "dim"), text) for when, text in rows)


class TimelinePanel(Horizontal):
    """The real events up to the in-world moment, beside the player's own path."""

    DEFAULT_CSS = """
    TimelinePanel { height: auto; }
    TimelinePanel > Static { width: 1fr; padding: 0 1; }
    """

    def compose(self) -> ComposeResult:
        yield Static(id="record", markup=False)
        yield Static(id="path", markup=False)

    def show(self, record: Sequence[Entry], path: Sequence[Entry]) -> None:
        heading = "bold underline"
        self.query_one("#record", Static).update(Content.assemble(("The record", heading), "\n", entries(record, "nothing yet")))
        self.query_one("#path", Static).update(Content.assemble(("Your path", heading), "\n", entries(path, "just begun")))
