"""The side panel's parts: the visible variables as bars, and the record beside the player's path."""

from __future__ import annotations

from collections.abc import Sequence

from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.geometry import Size
from textual.strip import Strip
from textual.visual import Visual
from textual.widget import Widget
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


Entry = tuple[str, str]
"""A timeline row: a date (or "") and what happened."""

Item = tuple[str, str]
"""One drawn part of a column: its kind (a key of `ITEM_LOOKS`) and its text."""

ITEM_LOOKS: dict[str, tuple[str, int, int]] = {
    "when": ("dim bold", 0, 0),
    "what": ("", 2, 0),
    "ahead": ("dim", 2, 0),
    "empty": ("dim italic", 0, 0),
    "ahead-heading": ("italic", 0, 1),
}
"""Per kind of item: its style, its indent (a wrapped text keeps it) and the blank lines above it."""
KEPT_WIDTHS = 4


def entry_items(rows: Sequence[Entry], empty: str, *, dim: bool = False) -> list[Item]:
    """A date line and an indented paragraph per row; the text for no rows when there are none."""
    if not rows:
        return [("empty", _(empty) if empty else "")]
    items: list[Item] = []
    for when, text in rows:
        items += [("when", when or "—"), ("ahead" if dim else "what", text)]
    return items


class RowLines(Widget):
    """A column's rows, drawn an item at a time and only where they are seen.

    Textual draws a widget's whole content whenever it changes, and measures it at every layout;
    a column of a long play-through grew by a row each scene, so each scene change cost more.
    Here each item is wrapped once per width and style and kept, the column's lines are those
    items' lines end to end, and only the lines on screen are handed over (`render_line`)."""

    DEFAULT_CSS = "RowLines { height: auto; }"
    ALLOW_SELECT = False

    def __init__(self, items: Sequence[Item] = (), *, classes: str | None = None) -> None:
        super().__init__(classes=classes)
        self.items: list[Item] = list(items)
        self._style: object = None
        """The style the kept lines were drawn in: another (a new theme) draws them all again."""
        self._drawn: dict[int, dict[Item, list[Strip]]] = {}
        """Per width, each item's lines. Textual may measure at a width or two besides the one it
        draws at (1fr columns share an odd width), so a few widths are kept."""
        self._lines: dict[int, list[Strip]] = {}

    def set_items(self, items: Sequence[Item]) -> None:
        items = list(items)
        if items != self.items:
            self.items = items
            self._lines = {}
            self.refresh(layout=True)

    def lines(self, width: int) -> list[Strip]:
        """Every line of the column at `width`, from the items drawn before where they are the same."""
        if self.visual_style != self._style:
            self._style, self._drawn, self._lines = self.visual_style, {}, {}
        lines = self._lines.get(width)
        if lines is None:
            before = self._drawn.pop(width, {})
            drawn = {item: before.get(item) or self._draw(item, width) for item in dict.fromkeys(self.items)}
            self._drawn[width] = drawn  # items no longer shown are let go
            while len(self._drawn) > KEPT_WIDTHS:
                oldest = next(iter(self._drawn))  # the width used least lately
                del self._drawn[oldest]
                self._lines.pop(oldest, None)
            lines = self._lines[width] = [line for item in self.items for line in drawn[item]]
        return lines

    def _draw(self, item: Item, width: int) -> list[Strip]:
        style, indent, above = ITEM_LOOKS[item[0]]
        base = self.visual_style
        strips = Visual.to_strips(self, Content.styled(item[1], style), max(1, width - indent), None, base)
        strips = strips or [Strip.blank(0, base.rich_style)]  # an empty text still takes its line
        if indent:
            margin = Strip.blank(indent, base.rich_style)
            strips = [Strip.join([margin, strip]) for strip in strips]
        return [Strip.blank(width, base.rich_style)] * above + strips

    def get_content_height(self, container: Size, viewport: Size, width: int) -> int:
        return len(self.lines(width))

    def render_line(self, y: int) -> Strip:
        lines = self.lines(self.size.width)
        return lines[y] if 0 <= y < len(lines) else Strip.blank(self.size.width, self.visual_style.rich_style)

    @property
    def text(self) -> str:
        """The column as drawn, one line of text per line (for tests and screen readers)."""
        return "\n".join(line.text.rstrip() for line in self.lines(self.size.width or 80))


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
        self.body = RowLines(self._items(), classes="rows")

    def compose(self) -> ComposeResult:
        yield Static(Content(_(self.heading)), classes="heading")
        yield self.body

    def shown(self) -> list[str]:
        """The rows' texts as shown (for tests and screen readers alike: no dates)."""
        return [text for _when, text in self.rows]

    def _items(self) -> list[Item]:
        items = entry_items(self.rows, self.empty)
        if self.ahead:
            items.append(("ahead-heading", _("still ahead in the record:")))
            items += entry_items(self.ahead, "", dim=True)
        return items

    def show(self, rows: Sequence[Entry]) -> None:
        """The rows now (the heading and the text for no rows in the language now in force)."""
        self.rows = list(rows)
        update_shown(self.query_one(".heading", Static), Content(_(self.heading)))
        self.body.set_items(self._items())


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
