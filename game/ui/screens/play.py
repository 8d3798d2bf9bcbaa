"""The play screen: where, when and how true; the prose; the choices; the panels beside them.

Replay mode reuses this screen (see replay.py): it overrides the hooks `scene_extra()`,
`settle()` and `take()`. Moves go through the game controller (engine/play.py), which autosaves
and records endings; everything shown comes from the presentation model (engine/present.py).

Reading comes first: the choices show once the scene's text is typed out, every beat shown and
scrolled to its end; until then a line says there is more, and a choice key reads on instead.
A text shown at once in one beat is first laid out with the choices' room kept but nothing drawn
there (`first_look`): most scenes fit, and then the choices simply appear, with no second layout
and no move of the focus; a text that does not fit turns to reading as before.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar, cast

from textual import on
from textual.app import ComposeResult
from textual.binding import BindingType
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.content import Content
from textual.events import Key, Resize
from textual.screen import Screen
from textual.widgets import Static

from ...engine import CandidError, ChoiceError, SaveError
from ...engine.i18n import N_, _
from ...engine.play import Game
from ...engine.present import (
    changes_line,
    heading,
    label_text,
    meter,
    no_departure,
    path_rows,
    record_rows,
    shown_choices,
    standing,
)
from ...engine.session import Session
from ..text import update_shown
from ..widgets import ChoiceList, Footer, ReadOnLine, SceneText, TimelinePanel, VarPanel
from .dialogs import ConfirmScreen, InfoScreen, SlotNameScreen, TimelineScreen
from .ending import EndingScreen
from .glance import may_fit
from .map import MapScreen
from .menus import MenuScreen
from .notes import divergence_line, help_content, history_note, scene_title, stats_content, timeline_rows
from .play_keys import PLAY_KEYS
from .rewind import LogScreen

if TYPE_CHECKING:
    from ..app import CandidApp

MORE_BELOW = N_("▼ More below · Space, Enter or PgDn to read on")
MORE_BEAT = N_("▼ Continue · Space or Enter")
SAVED = N_("Saved as “{slot}”.")
ASK_OVERWRITE = N_("A save named “{slot}” exists. Save over it?")
ASK_QUIT = N_("Quit now? Your game is autosaved: Continue on the title screen picks it up.")
ASK_RESTART = N_("Restart from the first scene? Your choices are forgotten.")
NOTHING_TO_UNDO = N_("Nothing to undo: this is the start.")
NOTES_HEADINGS = {"what": N_("What really happened"), "help": N_("Keys"), "stats": N_("Stats")}
FOOTER_WIDE = 100


class PlayScreen(Screen[None]):
    AUTO_FOCUS = "#text"
    BINDINGS: ClassVar[list[BindingType]] = PLAY_KEYS

    mark_history = False
    """Point out history's choice in the list (replay does)."""

    def __init__(self, controller: Game) -> None:
        super().__init__()
        self.controller = controller
        self.shown_act: int | None = None
        """The act of the scene last shown, so a new act gets its title card."""
        self._looking = False
        """The text is laid out for a first look (see `first_look`), not yet known to fit."""

    @property
    def session(self) -> Session:
        return self.controller.session

    @property
    def game(self) -> CandidApp:
        return cast("CandidApp", self.app)

    @property
    def ready(self) -> bool:
        """Choosing may happen: the scene is read, or the player has turned reading-first off."""
        return self.query_one(SceneText).read or not self.game.settings.read_first

    def compose(self) -> ComposeResult:
        with Horizontal(id="topbar"):
            yield Static(id="where", markup=False)
            yield Static(id="label", markup=False)
        with Horizontal(id="body"):
            with Vertical(id="main"):
                yield Static(id="scene-title", markup=False)
                yield Static(id="vars-line", markup=False)
                yield Static(id="changes", markup=False)
                yield SceneText(id="text")
                yield ReadOnLine(id="more")
                yield Static(id="divergence", markup=False)
                yield ChoiceList(id="choices")
            with VerticalScroll(id="side"):
                yield VarPanel(id="vars")
                yield TimelinePanel(id="timeline")
        yield Footer()

    def on_mount(self) -> None:
        # Fiction has no record to set a path against: no timeline, no divergence.
        if heading(self.session).fiction:
            self.query_one(TimelinePanel).display = False
            self.query_one("#divergence", Static).display = False
        self.fit_footer(self.app.size.width)
        self.show_scene()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """In fiction the record's keys (timeline, what happened) are neither shown nor bound;
        "read on" is there only while there is something left to read."""
        if action == "read_on":
            return not self.query_one(SceneText).read
        return not (action in ("timeline", "what_happened") and heading(self.session).fiction)

    def on_resize(self, event: Resize) -> None:
        self.fit_footer(event.size.width)

    def on_screen_resume(self) -> None:
        # A resize while another screen was on top (the too-small plea, a dialog) reached only that screen.
        self.fit_footer(self.app.size.width)

    def fit_footer(self, width: int) -> None:
        # Below 100 columns every key in the footer counts more than the palette's hint (see `?`).
        footer = self.query_one(Footer)
        footer.compact = width < FOOTER_WIDE
        footer.show_command_palette = width >= FOOTER_WIDE

    # --- showing --------------------------------------------------------------------------------
    def show_scene(self, *, seen: bool = False) -> None:
        """Show the current scene; `seen` (after undo) shows it whole, read, without a title card."""
        # One layout and one repaint for the whole change, however many widgets it touches.
        with self.app.batch_update():
            self._show_scene(seen)

    def _show_scene(self, seen: bool) -> None:
        s = self.session
        head = heading(s)
        update_shown(self.query_one("#where", Static), head.moment or "—")
        label = self.query_one("#label", Static)
        label.display = head.label is not None
        if head.label is not None:
            update_shown(label, label_text(head.label).upper())
            label.set_classes(head.label.value)
        update_shown(self.query_one("#scene-title", Static), scene_title(head.act_title, head.act, head.title))
        changes = changes_line(s)
        cue = self.query_one("#changes", Static)
        cue.display = bool(changes) and not seen
        update_shown(cue, Content.assemble((_("Your choice:") + " ", "dim"), (changes, "bold")))
        self.fit_text_width()
        text = self.query_one(SceneText)
        speed = 0 if seen else self.game.settings.reveal_speed
        # A new act opens with its title card at the head of the text (not on undo, nor at an ending).
        card = head.act_line if head.act != self.shown_act and not seen and s.ending is None else None
        self.shown_act = head.act
        text.show(s.paragraphs(), speed, self.scene_extra(), s.reply, read=seen, card=card)
        choices = self.query_one(ChoiceList)
        choices.show(shown_choices(s), self.mark_history)
        self.first_look()
        self.query_one(VarPanel).show(s.visible_vars())
        update_shown(self.query_one("#vars-line", Static), Content(meter(s)))
        self.query_one(TimelinePanel).show(record_rows(s.story, s.role, s.moment), path_rows(s))
        update_shown(self.query_one("#divergence", Static), self.divergence_text())
        self.settle()

    def apply_settings(self) -> None:
        self.fit_text_width()
        self.set_reading(not self.query_one(SceneText).read)  # reading-first may have been switched

    def fit_text_width(self) -> None:
        self.query_one(SceneText).query_one("#prose").styles.max_width = self.game.settings.text_columns

    def first_look(self) -> None:
        """A new text: read at a glance if it fits beside the choices. When it is shown at once and in
        one beat, the choices keep their room, undrawn, and the focus stays where it is; after the
        layout, `_looked` shows them (the text is read) or turns to reading. Otherwise reading at once."""
        text = self.query_one(SceneText)
        choices = self.query_one(ChoiceList)
        glance = self.game.settings.read_first and not text.revealing and not text.more_beats
        if not (glance and choices.option_count and self.session.ending is None and may_fit(self)):
            self.set_reading(True)
            return
        self._looking = True
        choices.display = True
        choices.veil(True)
        self.query_one("#more", Static).display = False
        self.refresh_bindings()
        self.call_after_refresh(self._looked)

    def _looked(self) -> None:
        if not self._looking:
            return
        text = self.query_one(SceneText)
        already = text.read
        if not text.check_read():
            self.set_reading(True)  # too long to read at a glance (`Read` comes otherwise)
        elif already:
            self.set_reading(False)  # read before this look (a resize, say): no `Read` comes to show the choices

    def set_reading(self, reading: bool) -> None:
        """While reading, the choices wait and a line says how to read on; then they take the focus."""
        glanced, self._looking = self._looking, False
        text = self.query_one(SceneText)
        choices = self.query_one(ChoiceList)
        more = self.query_one("#more", Static)
        open_choices = bool(choices.option_count) and self.session.ending is None
        choices.veil(False)
        choices.display = open_choices and (self.ready or not reading)
        more.display = reading and self.session.ending is None
        update_shown(more, Content.styled(_(MORE_BEAT if text.more_beats else MORE_BELOW), "bold $accent"))
        if reading:
            text.focus()
        elif open_choices:
            choices.focus()
            if not glanced:  # at a first look, their room was kept
                # The choices take room from the text: keep its last lines, the set-up of the choice, in view.
                text.keep_end_in_view()
        self.refresh_bindings()

    @on(SceneText.Read)
    def _read(self, event: SceneText.Read) -> None:
        choices = self.query_one(ChoiceList)
        if not self._looking and choices.display and not choices.veiled and not self.query_one("#more", Static).display:
            return  # the choices are already shown (a first look found the text read)
        self.set_reading(False)

    def scene_extra(self) -> Content | None:
        """Text shown after the scene's own (replay adds what really happened)."""
        return None

    def settle(self) -> None:
        """After a scene is shown: at an ending, the ending screen (the controller has saved and recorded)."""
        if self.session.ending is not None:
            self.app.push_screen(EndingScreen(self.session), self._after_ending)

    def divergence_text(self) -> Content:
        return divergence_line(standing(self.session))

    def _after_ending(self, result: str | None) -> None:
        if result == "undo":
            self.action_undo()

    # --- moving ---------------------------------------------------------------------------------
    def on_key(self, event: Key) -> None:
        # Only choosing waits for the text; a key bound to nothing completes what is being typed out.
        text = self.query_one(SceneText)
        if text.revealing and event.key not in self.active_bindings:
            text.finish()
            event.stop()
            event.prevent_default()

    def action_read_on(self) -> None:
        self.query_one(SceneText).read_on()
        self.set_reading(not self.query_one(SceneText).read)

    @on(ChoiceList.Chosen)
    def _chosen(self, event: ChoiceList.Chosen) -> None:
        if not self.ready:
            self.action_read_on()
            return
        self.take(event.choice_id)

    def take(self, choice_id: str) -> None:
        try:
            self.controller.choose(choice_id)
        except ChoiceError as exc:
            self.game.show_error(exc)
            return
        self.show_scene()

    def action_choose(self, number: int) -> None:
        if not self.ready:
            self.action_read_on()
            return
        self.query_one(ChoiceList).choose_number(number)

    def action_undo(self) -> None:
        if self.controller.undo():
            self.show_scene(seen=True)
        else:
            self.notify(_(NOTHING_TO_UNDO), markup=False)

    def action_restart(self) -> None:
        def answered(yes: bool | None) -> None:
            if yes:
                self.controller.restart()
                self.show_scene()

        self.app.push_screen(ConfirmScreen(_(ASK_RESTART)), answered)

    def jump(self, scene_id: str) -> None:
        """Author warp: start afresh at another scene with the same starting values."""
        try:
            self.controller.jump(scene_id)
        except CandidError as exc:
            self.game.show_error(exc)
            return
        # From the ending screen (or the map over it), the warp lands on this screen, not behind them.
        if self.app.screen is not self:
            self.pop_until_active()
        self.show_scene()

    def open_map(self) -> None:
        """Author map: the scene picked there is jumped to."""

        def picked(scene_id: str | None) -> None:
            if scene_id is not None:
                self.jump(scene_id)

        self.app.push_screen(MapScreen(self.session.story, self.session.role, self.session.scene_id), picked)

    def action_save(self) -> None:
        def named(slot: str | None) -> None:
            if not slot:
                return
            store = self.controller.keeper.store
            if store is not None and store.exists(slot):
                self.app.push_screen(ConfirmScreen(_(ASK_OVERWRITE).format(slot=slot)), lambda yes: self.save_to(slot) if yes else None)
                return
            self.save_to(slot)

        self.app.push_screen(SlotNameScreen("quicksave"), named)

    def save_to(self, slot: str) -> None:
        try:
            self.controller.save(slot)
        except (SaveError, OSError) as exc:
            self.game.show_error(exc if isinstance(exc, SaveError) else SaveError(_("cannot save: {reason}").format(reason=exc)))
            return
        self.notify(_(SAVED).format(slot=slot), markup=False)

    def action_load(self) -> None:
        self.game.action_load_game()

    def action_quit(self) -> None:
        def answered(yes: bool | None) -> None:
            if yes:
                self.app.exit(0)

        self.app.push_screen(ConfirmScreen(_(ASK_QUIT)), answered)

    def action_menu(self) -> None:
        game = self.game
        picks = {"save": self.action_save, "load": self.action_load, "settings": game.open_settings, "title": game.back_to_title}
        picks["quit"] = self.action_quit
        self.app.push_screen(MenuScreen(), lambda key: picks[key]() if key in picks else None)

    def action_scroll_text(self, direction: int) -> None:
        text = self.query_one(SceneText)
        if direction < 0:
            text.scroll_page_up()
        elif text.revealing or text.at_end:
            self.action_read_on()
        else:
            text.scroll_page_down()

    def action_toggle_panel(self) -> None:
        self.toggle_class("-toggled")

    # --- reading --------------------------------------------------------------------------------
    def action_log(self) -> None:
        self.app.push_screen(LogScreen(self.session), self.rewind)

    def rewind(self, steps: int | None) -> None:
        """Back to an earlier scene picked in the log: as many undos at once, one autosave."""
        if steps and self.controller.rewind(steps):
            self.show_scene(seen=True)

    def action_timeline(self) -> None:
        past, ahead, hidden = timeline_rows(self.session, self.game.settings.show_ahead)
        path = path_rows(self.session, year=True, choices=True)
        self.app.push_screen(TimelineScreen(past, ahead, path, hidden=hidden), lambda r: self.action_log() if r == "rewind" else None)

    def action_what_happened(self) -> None:
        note = history_note(self.session)
        if note is None:
            self.notify(no_departure(self.session), markup=False)
            return
        self.app.push_screen(InfoScreen(_(NOTES_HEADINGS["what"]), note))

    def action_stats(self) -> None:
        self.app.push_screen(InfoScreen(_(NOTES_HEADINGS["stats"]), stats_content(self.session)))

    def action_help(self) -> None:
        self.app.push_screen(InfoScreen(_(NOTES_HEADINGS["help"]), help_content(self, self.game.author)))


__all__ = ["PlayScreen"]
