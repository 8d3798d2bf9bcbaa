"""The in-game menu (Esc).

UI strings sit together at the top of the module, so they can be translated in one place.
"""

from __future__ import annotations

from typing import ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

MENU_HEADING = "Menu"
MENU_HINT = "Enter or 1–6 to pick; Esc to go back to the game"
MENU_ITEMS: list[tuple[str, str]] = [
    ("resume", "Resume"),
    ("save", "Save"),
    ("load", "Load"),
    ("settings", "Settings"),
    ("title", "Title screen"),
    ("quit", "Quit"),
]


class MenuScreen(ModalScreen[str | None]):
    """Resume, save, load, settings, title screen, quit: dismissed with the item's key (None: resume)."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "pick('resume')", "Resume", id="resume"),
        *[Binding(str(n), f"pick('{key}')", show=False, id=f"menu_{key}") for n, (key, _label) in enumerate(MENU_ITEMS, 1)],
    ]

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog narrow"):
            yield Static(MENU_HEADING, classes="heading")
            yield OptionList(
                *[Option(Content.assemble((f"{n}  ", "bold"), label), id=key) for n, (key, label) in enumerate(MENU_ITEMS, 1)],
                id="menu",
                markup=False,
            )
            yield Static(Content.styled(MENU_HINT, "dim"), classes="hint")

    @on(OptionList.OptionSelected)
    def _selected(self, event: OptionList.OptionSelected) -> None:
        self.action_pick(event.option.id or "resume")

    def action_pick(self, key: str) -> None:
        self.dismiss(None if key == "resume" else key)
