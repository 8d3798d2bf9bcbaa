"""The endings gallery (title screen): per role, the endings found, to read again, and the others
locked, each with a hint that gives nothing of it away. The gallery itself is computed by
engine/gallery.py.

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

from ...engine.compiler import Story
from ...engine.gallery import GalleryEntry, RoleGallery, epilogue, gallery
from ...engine.i18n import N_, _, quoted
from ...engine.present import act_heading
from ...engine.textlang import blocks
from ..text import runs_content
from .dialogs import InfoScreen

GALLERY_HEADING = N_("Endings found")
GALLERY_HINT = N_("Enter on a found ending reads it again · Esc to close")
FOUND_HISTORICAL = N_("(what really happened)")
LOCKED = N_("Locked")
HINT_VIA = N_("reached from {scenes}")
HINT_VIA_OR = N_("{one} or {other}")
HINT_GUARDED = N_("the way there opens only on some paths")
NO_ENDINGS = N_("no endings for this role")
REREAD_NOTE = N_("Read again as it reads from the start of the role; your play-through's own values may have changed its words.")


def role_line(role: RoleGallery) -> str:
    """`Staff · 2 of 5 found`."""
    return _("{name} · {found} of {total} found").format(name=role.name, found=role.found, total=len(role.entries))


def via_text(scenes: tuple[str, ...]) -> str:
    """The (at most two) scenes a locked ending is reached from, each in quotes."""
    named = [quoted(title) for title in scenes[:2]]
    return named[0] if len(named) == 1 else _(HINT_VIA_OR).format(one=named[0], other=named[1])


def locked_hint(entry: GalleryEntry) -> list[str]:
    """Where a locked ending lies, line by line, without a word of what happens there."""
    lines = [act_heading(entry.act, entry.act_title)]
    if entry.via:
        lines.append(_(HINT_VIA).format(scenes=via_text(entry.via)))
    if entry.guarded:
        lines.append(_(HINT_GUARDED))
    return lines


def entry_line(entry: GalleryEntry) -> Content:
    if entry.found:
        return Content.assemble(
            ("✓ ", "$success"), (entry.title or "", "bold"), (" " + _(FOUND_HISTORICAL) if entry.historical else "", "italic")
        )
    where, *more = locked_hint(entry)
    return Content.assemble(
        ("· ", "dim"), (_(LOCKED), "dim bold"), (" · " + where, "dim"), *[("\n  " + line, "dim italic") for line in more]
    )


def gallery_options(galleries: list[RoleGallery]) -> list[Option | None]:
    """A heading per role, then its endings: found ones can be picked (`role:scene`), locked ones not."""
    options: list[Option | None] = []
    for role in galleries:
        if options:
            options.append(None)
        options.append(Option(Content.styled(role_line(role), "bold $accent"), id=f"role:{role.role}", disabled=True))
        if not role.entries:
            options.append(Option(Content.styled(_(NO_ENDINGS), "dim"), disabled=True))
        for entry in role.entries:
            options.append(Option(entry_line(entry), id=f"{role.role}:{entry.scene_id}", disabled=not entry.found))
    return options


class GalleryScreen(ModalScreen[None]):
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "close", N_("Close"), id="close"),
        Binding("q", "close", N_("Close"), show=False, id="close_q"),
    ]

    def __init__(self, story: Story, found: set[str]) -> None:
        super().__init__()
        self.story = story
        self.galleries = gallery(story, found)

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog wide"):
            yield Static(Content(_(GALLERY_HEADING)), classes="heading")
            yield OptionList(*gallery_options(self.galleries), id="gallery", markup=False)
            yield Static(Content.styled(_(GALLERY_HINT), "dim"), classes="hint")

    @on(OptionList.OptionSelected)
    def _selected(self, event: OptionList.OptionSelected) -> None:
        role, _sep, scene_id = str(event.option.id).partition(":")
        ending = self.story.scenes[scene_id].ending
        if ending is None:
            return
        text = Content("\n\n").join(runs_content(b) for b in blocks(epilogue(self.story, role, scene_id)))
        self.app.push_screen(InfoScreen(ending.title, Content.assemble(text, "\n\n", (_(REREAD_NOTE), "dim italic"))))

    def action_close(self) -> None:
        self.dismiss(None)
