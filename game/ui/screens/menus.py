"""The in-game menu (Esc).

UI strings sit together at the top of the module, marked for translation and translated where shown.
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

from ...engine.i18n import N_, _

MENU_HEADING = N_("Menu")
MENU_HINT = N_("Enter or 1–6 to pick; Esc to go back to the game")
MENU_ITEMS: list[tuple[str, str]] = [
    ("resume", N_("Resume")),
    ("save", N_("Save")),
    ("load", N_("Load")),
    ("settings", N_("Settings")),
    ("title", N_("Title screen")),
    ("quit", N_("Quit")),
]


class MenuScreen(ModalScreen[str | None]):
    """Resume, save, load, settings, title screen, quit: dismissed with the item's key (None: resume)."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "pick('resume')", N_("Resume"), id="resume"),
        *[Binding(str(n), f"pick('{key}')", show=False, id=f"menu_{key}") for n, (key, _label) in enumerate(MENU_ITEMS, 1)],
    ]

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog narrow"):
            yield Static(Content(_(MENU_HEADING)), classes="heading")
            yield OptionList(
                *[Option(Content.assemble((f"{n}  ", "bold"), _(label)), id=key) for n, (key, label) in enumerate(MENU_ITEMS, 1)],
                id="menu",
                markup=False,
            )
            yield Static(Content.styled(_(MENU_HINT), "dim"), classes="hint")

    @on(OptionList.OptionSelected)
    def _selected(self, event: OptionList.OptionSelected) -> None:
        self.action_pick(event.option.id or "resume")

    def action_pick(self, key: str) -> None:
        self.dismiss(None if key == "resume" else key)
