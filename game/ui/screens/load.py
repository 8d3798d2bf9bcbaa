"""The Load dialog: every slot, the older generations under each, and deleting a save.

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

from ...engine import SaveError
from ...engine.compiler import Story
from ...engine.i18n import N_, _, clock_text, ngettext, quoted
from ...engine.saves import AUTOSAVE, PREVIOUS, SaveStore, SlotInfo
from .dialogs import ConfirmScreen

LOAD_HEADING = N_("Load a saved game")
LOAD_EMPTY = N_("No saved games yet.")
LOAD_HINT = N_("Enter to load · d to delete · Esc to cancel")
SLOT_NAMES = {AUTOSAVE: N_("autosave (your game in progress)"), PREVIOUS: N_("previous game (the one last replaced)")}
OLDER = {1: N_("one save before"), 2: N_("two saves before")}
SLOT_WHO = N_("{role} · saved {saved}")
DELETED = N_("Deleted {slot}.")

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


def slot_name(slot: str) -> str:
    """How the list names a slot: the autosave and the previous game by what they are, others by name."""
    return _(SLOT_NAMES[slot]) if slot in SLOT_NAMES else slot


def delete_question(slot: str, older: int) -> str:
    """Asked before `slot` (and the `older` versions kept with it) is deleted."""
    if not older:
        return _("Delete the save {slot}? This cannot be undone.").format(slot=quoted(slot_name(slot)))
    text = ngettext(
        "Delete the save {slot} and the {count} older version kept with it? This cannot be undone.",
        "Delete the save {slot} and the {count} older versions kept with it? This cannot be undone.",
        older,
    )
    return text.format(slot=quoted(slot_name(slot)), count=older)


def slot_line(info: SlotInfo, story: Story) -> Content:
    scene = story.scenes.get(info.scene)
    where = scene.model.title if scene else info.scene
    saved = clock_text(info.saved_at)
    steps = ngettext("{count} choice", "{count} choices", info.steps).format(count=info.steps)
    role = story.meta.roles[info.role].name if info.role in story.meta.roles else info.role
    place, who = f"{where} · {steps}", _(SLOT_WHO).format(role=role, saved=saved)
    if info.generation:
        older = _(OLDER[info.generation]) if info.generation in OLDER else ""
        # An older version is indented: its details on two short lines, so neither wraps to the margin.
        return Content.assemble(("   ↳ ", "dim"), (older, "italic"), "\n", (f"   {place}\n   {who}", "dim"))
    return Content.assemble((slot_name(info.slot), "bold"), "\n", (f"{place} · {who}", "dim"))


class LoadScreen(ModalScreen[Picked | None]):
    """Pick a save (a slot, or an older generation of one) to load; `d` deletes a slot."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "cancel", N_("Cancel"), id="cancel"),
        Binding("d,delete", "delete", N_("Delete"), id="delete_save", tooltip=N_("Delete the highlighted save and its older versions")),
    ]

    def __init__(self, store: SaveStore, story: Story) -> None:
        super().__init__()
        self.store = store
        self.story = story
        self.slots = listing(store)

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Static(Content(_(LOAD_HEADING)), classes="heading")
            yield OptionList(id="slots", markup=False)
            yield Static(Content(_(LOAD_EMPTY)), id="no-saves", classes="question")
            yield Static(Content.styled(_(LOAD_HINT), "dim"), classes="hint")

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
        question = delete_question(slot, older)

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
        self.notify(_(DELETED).format(slot=quoted(slot_name(slot))), markup=False)
        self.slots = listing(self.store)
        self.fill()

    def action_cancel(self) -> None:
        self.dismiss(None)
