"""Modal dialogs, each typed by its result, and the screen asking for a larger terminal."""

from __future__ import annotations

from collections.abc import Sequence
from typing import ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.content import Content
from textual.events import Resize
from textual.screen import ModalScreen, Screen
from textual.widgets import Button, Input, OptionList, Static
from textual.widgets.option_list import Option

from ...engine.compiler import Story
from ...engine.i18n import N_, _, ngettext
from ..widgets.panels import Entry, TimelineColumn

CLOSE: list[BindingType] = [
    Binding("escape", "close", N_("Close"), id="close", tooltip=N_("Close this window")),
    Binding("q", "close", N_("Close"), show=False, id="close_q"),
]


def ahead_hidden(count: int) -> str:
    return ngettext(
        "{count} more event still ahead in the record, hidden so it gives nothing away (Settings can show it).",
        "{count} more events still ahead in the record, hidden so they give nothing away (Settings can show them).",
        count,
    ).format(count=count)


class InfoScreen(ModalScreen[None]):
    """A heading and a scrollable body: the log, a history note, help, endings found."""

    BINDINGS: ClassVar[list[BindingType]] = [*CLOSE, Binding("enter", "close", N_("Close"), show=False, id="close_enter")]

    def __init__(self, heading: str, body: Content, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.heading = heading
        self.body = body

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog wide"):
            yield Static(Content(self.heading), classes="heading")
            with VerticalScroll(classes="body"):
                yield Static(self.body, id="info-body")
            yield Static(Content.styled(_("Esc or Enter to close"), "dim"), classes="hint")

    def action_close(self) -> None:
        self.dismiss(None)


TIMELINE_HINT = N_("r to go back to an earlier scene · Esc to close")


class TimelineScreen(ModalScreen[str | None]):
    """The whole record beside the player's path; events still ahead in the story are dimmed.
    Dismissed with "rewind" when the player asks to go back to an earlier scene (`r`)."""

    BINDINGS: ClassVar[list[BindingType]] = [
        *CLOSE,
        Binding("r", "rewind", N_("Go back"), id="rewind", tooltip=N_("Pick an earlier scene of your path to go back to")),
    ]

    def __init__(self, past: Sequence[Entry], ahead: Sequence[Entry], path: Sequence[Entry], *, hidden: int = 0) -> None:
        """`hidden`: how many events still ahead are left out (Settings can show them)."""
        super().__init__()
        self.past, self.ahead, self.path, self.hidden = past, ahead, path, hidden

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog wide"):
            yield Static(Content(_("Timeline")), classes="heading")
            with VerticalScroll(classes="body"), Horizontal(classes="columns"):
                yield TimelineColumn(N_("The record"), self.past, empty=N_("nothing yet"), ahead=self.ahead)
                yield TimelineColumn(N_("Your path"), self.path)
            if self.hidden:
                yield Static(Content.styled(ahead_hidden(self.hidden), "italic"), id="ahead-hidden")
            yield Static(Content.styled(_(TIMELINE_HINT), "dim"), classes="hint")

    def action_close(self) -> None:
        self.dismiss(None)

    def action_rewind(self) -> None:
        self.dismiss("rewind")


class ConfirmScreen(ModalScreen[bool]):
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("y", "answer(True)", N_("Yes"), id="yes"),
        Binding("n,escape", "answer(False)", N_("No"), id="no"),
    ]

    def __init__(self, question: str) -> None:
        super().__init__()
        self.question = question

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Static(Content(self.question), classes="question")
            with Horizontal(classes="buttons"):
                yield Button(Content(_("Yes (y)")), id="yes", variant="primary")
                yield Button(Content(_("No (n)")), id="no")

    def on_mount(self) -> None:
        self.query_one("#yes", Button).focus()

    @on(Button.Pressed)
    def _pressed(self, event: Button.Pressed) -> None:
        self.dismiss(event.button.id == "yes")

    def action_answer(self, answer: bool) -> None:
        self.dismiss(answer)


class SlotNameScreen(ModalScreen[str | None]):
    """Ask for a save slot's name."""

    BINDINGS: ClassVar[list[BindingType]] = [Binding("escape", "cancel", N_("Cancel"), id="cancel")]

    def __init__(self, default: str = "") -> None:
        super().__init__()
        self.default = default

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Static(Content(_("Save as")), classes="heading")
            yield Input(value=self.default, placeholder=_("slot name"), restrict=r"[A-Za-z0-9 _\-]*", max_length=40, id="slot")
            yield Static(Content.styled(_("Letters, digits, spaces, - and _. Enter to save, Esc to cancel."), "dim"), classes="hint")

    @on(Input.Submitted)
    def _submitted(self, event: Input.Submitted) -> None:
        self.dismiss(event.value.strip() or None)

    def action_cancel(self) -> None:
        self.dismiss(None)


class RoleScreen(ModalScreen[str | None]):
    """Choose the role for a new game: each role's name and description."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "cancel", N_("Back"), id="cancel"),
        *[Binding(str(n), f"pick({n})", show=False, id=f"role_{n}") for n in range(1, 10)],
    ]

    def __init__(self, story: Story) -> None:
        super().__init__()
        self.story = story

    def compose(self) -> ComposeResult:
        roles = self.story.meta.roles
        options: list[Option | None] = []
        for n, (role_id, role) in enumerate(roles.items(), 1):
            if options:
                options.append(None)
            options.append(Option(Content.assemble((f"{n}. {role.name}", "bold"), "\n", (role.description, "italic")), id=role_id))
        with Vertical(classes="dialog"):
            yield Static(Content(_("Choose your role")), classes="heading")
            yield OptionList(*options, id="roles", markup=False)
            yield Static(Content.styled(_("1–9 or arrows and Enter; Esc to go back"), "dim"), classes="hint")

    @on(OptionList.OptionSelected)
    def _selected(self, event: OptionList.OptionSelected) -> None:
        self.dismiss(event.option.id)

    def action_pick(self, number: int) -> None:
        roles = list(self.story.meta.roles)
        if 1 <= number <= len(roles):
            self.dismiss(roles[number - 1])

    def action_cancel(self) -> None:
        self.dismiss(None)


class TooSmallScreen(Screen[None]):
    """Shown instead of everything else while the terminal is below the smallest usable size."""

    BINDINGS: ClassVar[list[BindingType]] = [Binding("ctrl+q", "app.quit", N_("Quit"), id="quit_small")]

    def __init__(self, min_width: int, min_height: int) -> None:
        super().__init__()
        self.min_width, self.min_height = min_width, min_height

    def compose(self) -> ComposeResult:
        yield Static(id="too-small", markup=False)

    def on_mount(self) -> None:
        self._describe()

    def on_resize(self, event: Resize) -> None:
        self._describe()

    def _describe(self) -> None:
        width, height = self.app.size
        self.query_one("#too-small", Static).update(
            Content(
                _("Please make the terminal at least {min_width}×{min_height} (it is {width}×{height}). The game is autosaved.").format(
                    min_width=self.min_width, min_height=self.min_height, width=width, height=height
                )
            )
        )
