"""The Load dialog: every slot, the older generations under each, and deleting a save.

UI strings sit together at the top of the module, so they can be translated in one place.
"""

from __future__ import annotations

import time
from typing import ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

from ...engine import SaveError
from ...engine.compiler import Story
from ...engine.saves import AUTOSAVE, PREVIOUS, SaveStore, SlotInfo
from .dialogs import ConfirmScreen

LOAD_HEADING = "Load a saved game"
LOAD_EMPTY = "No saved games yet."
LOAD_HINT = "Enter to load · d to delete · Esc to cancel"
SLOT_NAMES = {AUTOSAVE: "autosave (your game in progress)", PREVIOUS: "previous game (the one last replaced)"}
OLDER = {1: "one save before", 2: "two saves before"}
ONE_CHOICE, CHOICES = "{n} choice", "{n} choices"
SLOT_LINE = "{where} · {steps} · {role} · saved {saved}"
ASK_DELETE = "Delete the save “{slot}”{older}? This cannot be undone."
ASK_DELETE_OLDER = " and the {count} older version(s) kept with it"
DELETED = "Deleted “{slot}”."

Picked = tuple[str, int]
"""What the dialog returns: a slot and a generation (0 the newest)."""


def option_id(info: SlotInfo) -> str:
    """Slot names hold no dot, so `slot.N` names an older generation without ambiguity."""
    return f"{info.slot}.{info.generation}" if info.generation else info.slot


def picked_of(option: str) -> Picked:
    slot, dot, gen = option.rpartition(".")
    return (slot, int(gen)) if dot and gen.isdigit() else (option, 0)


def listing(store: SaveStore) -> list[SlotInfo]:
    """Each slot (newest first), followed by its older generations."""
    rows: list[SlotInfo] = []
    for info in store.slots():
        rows.append(info)
        rows += [older for older in store.generations(info.slot) if older.generation > 0]
    return rows


def slot_line(info: SlotInfo, story: Story) -> Content:
    scene = story.scenes.get(info.scene)
    where = scene.model.title if scene else info.scene
    saved = time.strftime("%d %b %H:%M", time.localtime(info.saved_at))
    steps = (ONE_CHOICE if info.steps == 1 else CHOICES).format(n=info.steps)
    role = story.meta.roles[info.role].name if info.role in story.meta.roles else info.role
    detail = SLOT_LINE.format(where=where, steps=steps, role=role, saved=saved)
    if info.generation:
        older = OLDER.get(info.generation, "")
        return Content.assemble(("   ↳ ", "dim"), (older, "italic"), "\n", ("   " + detail, "dim"))
    return Content.assemble((SLOT_NAMES.get(info.slot, info.slot), "bold"), "\n", (detail, "dim"))


class LoadScreen(ModalScreen[Picked | None]):
    """Pick a save (a slot, or an older generation of one) to load; `d` deletes a slot."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "cancel", "Cancel", id="cancel"),
        Binding("d,delete", "delete", "Delete", id="delete_save", tooltip="Delete the highlighted save and its older versions"),
    ]

    def __init__(self, store: SaveStore, story: Story) -> None:
        super().__init__()
        self.store = store
        self.story = story
        self.slots = listing(store)

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Static(LOAD_HEADING, classes="heading")
            yield OptionList(id="slots", markup=False)
            yield Static(LOAD_EMPTY, id="no-saves", classes="question")
            yield Static(Content.styled(LOAD_HINT, "dim"), classes="hint")

    def on_mount(self) -> None:
        self.fill()

    def fill(self) -> None:
        options = self.query_one("#slots", OptionList)
        kept = options.highlighted
        options.clear_options()
        options.add_options(Option(slot_line(s, self.story), id=option_id(s)) for s in self.slots)
        options.display = bool(self.slots)
        self.query_one("#no-saves").display = not self.slots
        if self.slots:
            options.highlighted = min(kept or 0, len(self.slots) - 1)
            options.focus()

    @on(OptionList.OptionSelected)
    def _selected(self, event: OptionList.OptionSelected) -> None:
        self.dismiss(picked_of(str(event.option.id)))

    def action_delete(self) -> None:
        options = self.query_one("#slots", OptionList)
        if options.highlighted is None or not self.slots:
            return
        slot, _gen = picked_of(str(options.get_option_at_index(options.highlighted).id))
        older = sum(1 for s in self.slots if s.slot == slot and s.generation)
        question = ASK_DELETE.format(slot=SLOT_NAMES.get(slot, slot), older=ASK_DELETE_OLDER.format(count=older) if older else "")

        def answered(yes: bool | None) -> None:
            if yes:
                self.delete(slot)

        self.app.push_screen(ConfirmScreen(question), answered)

    def delete(self, slot: str) -> None:
        try:
            self.store.delete(slot)
        except SaveError as exc:
            self.notify(exc.message, title=exc.title, severity="error", markup=False)
            return
        self.notify(DELETED.format(slot=SLOT_NAMES.get(slot, slot)), markup=False)
        self.slots = listing(self.store)
        self.fill()

    def action_cancel(self) -> None:
        self.dismiss(None)
