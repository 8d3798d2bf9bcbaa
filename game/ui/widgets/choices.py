"""The choices of a scene: numbered, chosen with 1–9, arrows and Enter, or a click.

Which choices show and their numbers come from the presentation model (`present.shown_choices`).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from textual import on
from textual.content import Content
from textual.geometry import Region
from textual.message import Message
from textual.strip import Strip
from textual.widget import Widget
from textual.widgets import OptionList
from textual.widgets.option_list import Option

from ...engine.i18n import _
from ...engine.present import ShownChoice
from ..text import runs_content


def choice_prompt(choice: ShownChoice, mark_history: bool = False) -> Content:
    if choice.number is not None:
        mark = ("  " + _("← what happened"), "italic $success") if mark_history and choice.historical else ""
        return Content.assemble((f"{choice.number}. ", "bold"), runs_content(choice.runs), mark)
    return Content.assemble(
        ("×  ", "dim"), (choice.text, "dim"), ("  " + _("(locked: {reason})").format(reason=choice.locked_reason), "dim italic")
    )


class ChoiceList(OptionList):
    """Available choices numbered in order; locked ones (with a reason) dimmed and not selectable."""

    DEFAULT_CSS = """
    ChoiceList { height: auto; max-height: 12; border: tall $border-blurred; padding: 0 1; }
    ChoiceList:focus { border: tall $border; }
    """

    @dataclass
    class Chosen(Message):
        """The player picked a choice."""

        choice_id: str

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id, markup=False)
        self.available: list[ShownChoice] = []
        self.veiled = False
        """Laid out but drawn as blank background (see `veil`)."""

    def veil(self, veiled: bool) -> None:
        """Keep the list's room but draw nothing there (True), or draw it again: a repaint, where
        hiding it (`display`, `visibility`) would lay the screen out again."""
        if veiled != self.veiled:
            self.veiled = veiled
            self.refresh()

    def render_lines(self, crop: Region) -> list[Strip]:
        if self.veiled:
            behind = self.parent if isinstance(self.parent, Widget) else self
            return [Strip.blank(crop.width, behind.visual_style.rich_style)] * crop.height
        return super().render_lines(crop)

    def show(self, choices: Sequence[ShownChoice], mark_history: bool = False) -> None:
        """List the choices; `mark_history` (replay) points out the one history took."""
        self.available = [c for c in choices if c.number is not None]
        options = [Option(choice_prompt(c, mark_history), id=c.id, disabled=c.number is None) for c in choices]
        self.clear_options()
        self.add_options(options)
        historical = next((i for i, c in enumerate(self.available) if c.historical), 0)
        self.highlighted = (historical if mark_history else 0) if self.available else None
        self.display = bool(options)

    def choose_number(self, number: int) -> bool:
        """Pick the n-th available choice (1-based); False when there is no such choice."""
        if 1 <= number <= len(self.available):
            self.post_message(self.Chosen(self.available[number - 1].id))
            return True
        return False

    @on(OptionList.OptionSelected)
    def _selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        if event.option.id is not None:
            self.post_message(self.Chosen(event.option.id))
