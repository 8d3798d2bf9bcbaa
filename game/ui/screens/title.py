"""The title screen: the title, the premise, and the menu."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, ClassVar, cast

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Center, Vertical
from textual.content import Content
from textual.screen import Screen
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

from ...engine.compiler import Story
from ...engine.i18n import N_, _
from ...engine.saves import AUTOSAVE
from ...engine.storyfiles import bundled
from ..widgets.footer import Footer
from .dialogs import InfoScreen, RoleScreen
from .gallery import GalleryScreen
from .settings import SettingsScreen

if TYPE_CHECKING:
    from ..app import CandidApp


def title_art(story: Story) -> str | None:
    """ASCII art for the story's title from `assets/titles/<story id>.txt`, if there is one."""
    try:
        lines = (bundled("assets") / "titles" / f"{story.id}.txt").read_text("utf-8").rstrip().splitlines()
    except OSError:
        return None
    # Equal widths keep the art's shape when each line is centred.
    width = max(len(line) for line in lines)
    return "\n".join(line.ljust(width) for line in lines)


TITLE_HELP = [
    ("1–7", N_("Pick a menu item (or arrows and Enter, or a click)")),
    ("", N_("New game: choose a role and play; every choice is autosaved, Continue picks it up.")),
    ("", N_("Replay history: walk what really happened, with sources; branch off at any decision.")),
    ("", N_("Endings found: per role, the endings you have reached (Enter reads one again), with a hint for the others.")),
    ("?", N_("This help; during play, ? lists every key")),
    ("esc", N_("During play: the menu (save, load, settings, title screen, quit)")),
    ("q", N_("Quit")),
]


class TitleScreen(Screen[None]):
    AUTO_FOCUS = "#menu"
    HORIZONTAL_BREAKPOINTS = [(0, "-narrow"), (80, "-wide")]  # noqa: RUF012 - Textual types it as an instance attribute
    BINDINGS: ClassVar[list[BindingType]] = [
        *[Binding(str(n), f"pick({n})", show=False, id=f"menu_{n}") for n in range(1, 10)],
        Binding("question_mark", "help", N_("Help"), id="help", tooltip=N_("What the menu holds and the keys")),
        Binding("q", "quit", N_("Quit"), id="quit", tooltip=N_("Quit the game")),
    ]

    @property
    def game(self) -> CandidApp:
        return cast("CandidApp", self.app)

    def compose(self) -> ComposeResult:
        story = self.game.story
        art = title_art(story)
        with Vertical(id="title-box"):
            if art:
                yield Static(Content(art), id="art")
            yield Static(Content(story.title), id="plain-title", classes="with-art" if art else "")
            if story.premise:
                yield Static(Content(story.premise), id="premise")
            with Center():
                yield OptionList(id="menu", markup=False)
        yield Footer()

    def on_mount(self) -> None:
        self.refresh_menu()

    def on_screen_resume(self) -> None:
        self.refresh_menu()

    def retranslate(self) -> None:
        """Redraw in the language just chosen: the story's title and premise change with it."""
        story = self.game.story
        self.query_one("#plain-title", Static).update(Content(story.title))
        for premise in self.query("#premise").results(Static):
            premise.update(Content(story.premise or ""))
        self.refresh_menu()
        self.refresh_bindings()

    def refresh_menu(self) -> None:
        app = self.game
        story = app.story
        autosave = next((s for s in app.store.slots() if s.slot == AUTOSAVE), None)
        where = ""
        if autosave is not None and autosave.scene in story.scenes:
            where = f" ({story.scenes[autosave.scene].model.title})"
        found = len(app.profile.endings_found(story))
        total = len(story.endings)  # from the graph: no scene compiled to count them
        items: list[tuple[str, str, bool]] = [
            ("new", _("New game"), True),
            ("continue", _("Continue") + where, app.store.exists(AUTOSAVE)),
            ("load", _("Load"), True),
            *([] if story.fiction else [("replay", _("Replay history"), True)]),
            ("endings", _("Endings found ({found} of {total})").format(found=found, total=total), True),
            ("settings", _("Settings"), True),
            ("quit", _("Quit"), True),
        ]
        menu = self.query_one("#menu", OptionList)
        highlighted = menu.highlighted
        menu.clear_options()
        menu.add_options(
            Option(Content.assemble((f"{n}  ", "bold"), label), id=key, disabled=not enabled)
            for n, (key, label, enabled) in enumerate(items, 1)
        )
        menu.highlighted = highlighted if highlighted is not None else (1 if app.store.exists(AUTOSAVE) else 0)

    @on(OptionList.OptionSelected, "#menu")
    async def _selected(self, event: OptionList.OptionSelected) -> None:
        await self.run_action(f"{event.option.id}")

    async def action_pick(self, number: int) -> None:
        menu = self.query_one("#menu", OptionList)
        if 1 <= number <= menu.option_count:
            option = menu.get_option_at_index(number - 1)
            if not option.disabled:
                await self.run_action(f"{option.id}")

    def action_new(self) -> None:
        self.with_role(self.game.ask_new_game)

    def action_replay(self) -> None:
        self.with_role(self.game.replay)

    def with_role(self, then: Callable[[str], None]) -> None:
        """Ask for a role unless the command line gave one or there is only one."""
        app = self.game
        roles = list(app.story.meta.roles)
        if app.role or len(roles) == 1:
            then(app.role or roles[0])
            return

        def chosen(role: str | None) -> None:
            if role:
                then(role)

        self.app.push_screen(RoleScreen(app.story), chosen)

    def action_continue(self) -> None:
        self.game.load_slot(AUTOSAVE)

    def action_load(self) -> None:
        self.game.action_load_game()

    def action_endings(self) -> None:
        story = self.game.story
        self.app.push_screen(GalleryScreen(story, self.game.profile.endings_found(story)))

    def action_settings(self) -> None:
        self.app.push_screen(SettingsScreen())

    def action_help(self) -> None:
        self.app.push_screen(InfoScreen(_("Help"), Content("\n").join(Content.assemble((f"{k:<10}", "bold"), _(t)) for k, t in TITLE_HELP)))

    def action_quit(self) -> None:
        self.app.exit(0)
