"""The log (`h`): the play-through so far, where picking a scene goes back to it (after asking).
The timeline (`t`) leads here with `r`. Going back is the controller's `rewind` (engine/play.py).

UI strings sit together at the top of the module, marked for translation and shown in the player's
language.
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

from ...engine.i18n import N_, _, ngettext, quoted
from ...engine.session import Session
from .dialogs import ConfirmScreen
from .notes import log_rows

LOG_HEADING = N_("Your play-through so far")
LOG_HINT = N_("Enter on a scene goes back to it (asks first) · Esc to close")
LOG_EMPTY_HINT = N_("Esc to close")


def rewind_question(title: str, steps: int) -> str:
    """Asked before going back to the scene `title`, `steps` choices ago."""
    text = ngettext(
        "Go back to {title}? The choice made since then is taken back; the game is autosaved there.",
        "Go back to {title}? The {count} choices made since then are taken back; the game is autosaved there.",
        steps,
    )
    return text.format(title=quoted(title), count=steps)


class LogScreen(ModalScreen[int | None]):
    """Dismissed with how many choices to take back (None: none)."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "close", N_("Close"), id="close"),
        Binding("q", "close", N_("Close"), show=False, id="close_q"),
    ]

    def __init__(self, session: Session) -> None:
        super().__init__()
        self.session = session

    def compose(self) -> ComposeResult:
        rows = log_rows(self.session)
        options: list[Option | None] = []
        for n, row in enumerate(rows):
            if options:
                options.append(None)
            # The last row is where the player is now: nothing to go back to.
            options.append(Option(row, id=f"step-{n}", disabled=n == len(rows) - 1))
        with Vertical(classes="dialog wide"):
            yield Static(Content(_(LOG_HEADING)), classes="heading")
            yield OptionList(*options, id="log", markup=False)
            yield Static(Content.styled(_(LOG_HINT if self.session.history else LOG_EMPTY_HINT), "dim"), classes="hint")

    def on_mount(self) -> None:
        log = self.query_one("#log", OptionList)
        if self.session.history:
            log.highlighted = log.get_option_index(f"step-{len(self.session.history) - 1}")
        log.focus()

    @on(OptionList.OptionSelected)
    def _selected(self, event: OptionList.OptionSelected) -> None:
        index = int(str(event.option.id).removeprefix("step-"))
        steps = len(self.session.history) - index
        title = self.session.story.scenes[self.session.history[index].scene_id].model.title

        def answered(yes: bool | None) -> None:
            if yes:
                self.dismiss(steps)

        self.app.push_screen(ConfirmScreen(rewind_question(title, steps)), answered)

    def action_close(self) -> None:
        self.dismiss(None)
