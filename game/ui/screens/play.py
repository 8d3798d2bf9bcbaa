"""The play screen: where, when and how true; the prose; the choices; the panels beside them.

Replay mode reuses this screen (see replay.py): it overrides the hooks `scene_extra()`,
`settle()` and `take()`. Moves go through the game controller (engine/play.py), which autosaves
and records endings; everything shown comes from the presentation model (engine/present.py).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, ClassVar, cast

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.content import Content
from textual.events import Key, Resize
from textual.screen import Screen
from textual.widgets import Footer, Static

from ...engine import CandidError, ChoiceError, SaveError
from ...engine.models import Label
from ...engine.play import Game
from ...engine.present import Entry, act_heading, citation, departure, heading, meter, path_rows, record_rows, shown_choices, standing
from ...engine.session import Session
from ..text import blocks, prose
from ..widgets import ChoiceList, SceneText, TimelinePanel, VarPanel
from .dialogs import ConfirmScreen, InfoScreen, SlotNameScreen, TimelineScreen
from .ending import EndingScreen
from .map import MapScreen

if TYPE_CHECKING:
    from ..app import CandidApp

LABEL_WORDS = {
    Label.HISTORICAL: "HISTORICAL",
    Label.DRAMATISED: "DRAMATISED",
    Label.COUNTERFACTUAL: "COUNTERFACTUAL",
}


class PlayScreen(Screen[None]):
    AUTO_FOCUS = "#choices"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("u", "undo", "Undo", id="undo", tooltip="Take back the last choice (as many times as you like)"),
        Binding("s", "save", "Save", id="save", tooltip="Save to a named slot"),
        Binding("l", "load", "Load", show=False, id="load", tooltip="Load a saved game"),
        Binding("h", "log", "Log", id="log", tooltip="The play-through so far"),
        Binding("t", "timeline", "Timeline", id="timeline", tooltip="The record beside your path"),
        Binding("w", "what_happened", "What happened", id="what_happened", tooltip="What really happened where you left history"),
        Binding("p", "toggle_panel", "Panel", show=False, id="panel", tooltip="Show or hide the side panel"),
        Binding("question_mark", "help", "Help", id="help", tooltip="Every key"),
        Binding("q", "quit", "Quit", id="quit", tooltip="Quit (the game is autosaved)"),
        Binding("pageup", "scroll_text(-1)", "Text up", show=False, priority=True, id="text_up", tooltip="Scroll the scene text up"),
        Binding("pagedown", "scroll_text(1)", "Text down", show=False, priority=True, id="text_down", tooltip="Scroll the scene text down"),
        *[Binding(str(n), f"choose({n})", f"Choice {n}", show=False, id=f"choose_{n}") for n in range(1, 10)],
    ]

    mark_history = False
    """Point out history's choice in the list (replay does)."""

    def __init__(self, controller: Game) -> None:
        super().__init__()
        self.controller = controller

    @property
    def session(self) -> Session:
        return self.controller.session

    @property
    def game(self) -> CandidApp:
        return cast("CandidApp", self.app)

    def compose(self) -> ComposeResult:
        with Horizontal(id="topbar"):
            yield Static(id="where", markup=False)
            yield Static(id="label", markup=False)
        with Horizontal(id="body"):
            with Vertical(id="main"):
                yield Static(id="scene-title", markup=False)
                yield Static(id="vars-line", markup=False)
                yield SceneText(id="text")
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
        self.show_scene()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """In fiction the record's keys (timeline, what happened) are neither shown nor bound."""
        return not (action in ("timeline", "what_happened") and heading(self.session).fiction)

    def on_resize(self, event: Resize) -> None:
        # Below 100 columns every key in the footer counts more than the palette's hint (see `?`).
        footer = self.query_one(Footer)
        footer.compact = event.size.width < 100
        footer.show_command_palette = event.size.width >= 100

    # --- showing --------------------------------------------------------------------------------
    def show_scene(self) -> None:
        # One layout and one repaint for the whole change, however many widgets it touches.
        with self.app.batch_update():
            self._show_scene()

    def _show_scene(self) -> None:
        s = self.session
        head = heading(s)
        self.query_one("#where", Static).update(head.moment or "—")
        label = self.query_one("#label", Static)
        label.display = head.label is not None
        if head.label is not None:
            label.update(LABEL_WORDS[head.label])
            label.set_classes(head.label.value)
        self.query_one("#scene-title", Static).update(scene_title(head.act_title, head.act, head.title))
        self.query_one(SceneText).show(s.paragraphs(), self.game.settings.reveal_speed, self.scene_extra(), s.reply)
        choices = self.query_one(ChoiceList)
        choices.show(shown_choices(s), self.mark_history)
        self.query_one(VarPanel).show(s.visible_vars())
        self.query_one("#vars-line", Static).update(Content(meter(s)))
        self.query_one(TimelinePanel).show(record_rows(s.story, s.role, s.moment), path_rows(s))
        self.query_one("#divergence", Static).update(self.divergence_text())
        self.settle()
        if s.ending is None:
            choices.focus()

    def scene_extra(self) -> Content | None:
        """Text shown after the scene's own (replay adds what really happened)."""
        return None

    def settle(self) -> None:
        """After a scene is shown: at an ending, the ending screen (the controller has saved and recorded)."""
        if self.session.ending is not None:
            self.app.push_screen(EndingScreen(self.session), self._after_ending)

    def divergence_text(self) -> Content:
        where = standing(self.session)
        if where.kind == "start":
            return Content("")
        if where.kind == "on-path":
            return Content.assemble(("● ", "$success"), "On the historical path")
        if where.kind == "left-here":
            return Content.assemble(
                ("○ ", "$warning"),
                f"You left history here ({where.percent}% diverged). ",
                ("w", "bold"),
                ": what really happened",
            )
        since = f" since “{where.since}”" if where.since else ""
        return Content.assemble(("○ ", "$warning"), f"Off the historical path{since} ({where.percent}% diverged)")

    def _after_ending(self, result: str | None) -> None:
        if result == "undo":
            self.action_undo()

    # --- moving ---------------------------------------------------------------------------------
    def on_key(self, event: Key) -> None:
        text = self.query_one(SceneText)
        if text.revealing:
            text.finish()
            event.stop()
            event.prevent_default()

    @on(ChoiceList.Chosen)
    def _chosen(self, event: ChoiceList.Chosen) -> None:
        self.take(event.choice_id)

    def take(self, choice_id: str) -> None:
        try:
            self.controller.choose(choice_id)
        except ChoiceError as exc:
            self.game.show_error(exc)
            return
        self.show_scene()

    def action_choose(self, number: int) -> None:
        self.query_one(ChoiceList).choose_number(number)

    def action_undo(self) -> None:
        if self.controller.undo():
            self.show_scene()
        else:
            self.notify("Nothing to undo: this is the start.", markup=False)

    def action_restart(self) -> None:
        def answered(yes: bool | None) -> None:
            if yes:
                self.controller.restart()
                self.show_scene()

        self.app.push_screen(ConfirmScreen("Restart from the first scene? Your choices are forgotten."), answered)

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
            try:
                self.controller.save(slot)
            except (SaveError, OSError) as exc:
                self.game.show_error(exc if isinstance(exc, SaveError) else SaveError(f"cannot save: {exc}"))
                return
            self.notify(f"Saved as “{slot}”.", markup=False)

        self.app.push_screen(SlotNameScreen("quicksave"), named)

    def action_load(self) -> None:
        self.game.action_load_game()

    def action_quit(self) -> None:
        def answered(yes: bool | None) -> None:
            if yes:
                self.app.exit(0)

        self.app.push_screen(ConfirmScreen("Quit now? Your game is autosaved: Continue on the title screen picks it up."), answered)

    def action_scroll_text(self, direction: int) -> None:
        text = self.query_one(SceneText)
        if direction < 0:
            text.scroll_page_up()
        else:
            text.scroll_page_down()

    def action_toggle_panel(self) -> None:
        self.toggle_class("-toggled")

    # --- reading --------------------------------------------------------------------------------
    def action_log(self) -> None:
        self.app.push_screen(InfoScreen("Your play-through so far", log_content(self.session)))

    def action_timeline(self) -> None:
        s = self.session
        past = record_rows(s.story, s.role, s.moment, year=True, choices=True)
        everything = record_rows(s.story, s.role, year=True, choices=True)
        self.app.push_screen(TimelineScreen(past, everything[len(past) :], path_rows(s, year=True, choices=True)))

    def action_what_happened(self) -> None:
        note = history_note(self.session)
        if note is None:
            self.notify("Your last choice did not leave history; there is nothing to set against it.", markup=False)
            return
        self.app.push_screen(InfoScreen("What really happened", note))

    def action_help(self) -> None:
        self.app.push_screen(InfoScreen("Keys", help_content(self)))


def scene_title(act_title: str | None, act: int, title: str) -> Content:
    """The line above the text, "Act 1: One · The decision"; a scene named like its act says it once."""
    if act_title == title:
        return Content.assemble((f"Act {act}: ", "dim"), title)
    return Content.assemble((act_heading(act, act_title) + " · ", "dim"), title)


def history_note(session: Session) -> Content | None:
    """Where the player's last choice left history: history's choice, what happened, the sources."""
    gone = departure(session)
    if gone is None:
        return None
    parts: list[Content | str | tuple[str, str]] = [
        ("You chose: ", "bold"),
        gone.chose,
        "\n",
        ("History chose: ", "bold"),
        gone.history_chose or "—",
        "\n\n",
    ]
    record = gone.record
    if record is not None and record.summary:
        parts += [Content("\n\n").join(prose(b) for b in blocks(record.summary)), "\n\n", ("Sources", "bold underline")]
        for src in record.sources:
            parts += ["\n• ", citation(src)]
    if record is not None and record.note:
        parts += ["\n\n", (record.note, "italic")]
    return Content.assemble(*parts)


def log_content(session: Session) -> Content:
    rows: list[Content] = []
    for step in session.history:
        scene = session.story.scenes[step.scene_id]
        mark = "history's choice" if step.historical else ("you left history" if step.departed else "")
        rows.append(
            Content.assemble(
                (scene.model.title, "bold"),
                ("\n" + session.story.header(scene), "dim") if scene.model.when or scene.model.place else "",
                "\n→ ",
                step.choice_text,
                (f" ({mark})", "italic") if mark else "",
            )
        )
    rows.append(Content.assemble(("Now: ", "bold"), session.scene.model.title))
    return Content("\n\n").join(rows)


def help_content(screen: Screen[Any]) -> Content:
    """The game's keys as currently bound (a remapped key shows as remapped), then a few general ones."""
    rows: list[Entry] = [("1–9", "Choose a numbered choice (or arrows and Enter, or a click)")]
    seen: set[str] = set()
    for active in screen.active_bindings.values():
        binding = active.binding
        # Our own bindings carry ids; widget and system keys are summarised below instead.
        if not binding.id or binding.id.startswith("choose_") or binding.id in seen:
            continue
        seen.add(binding.id)
        key = screen.app.get_key_display(binding)
        rows.append((key, f"{binding.description}" + (f" — {binding.tooltip}" if binding.tooltip else "")))
    rows += [
        ("tab", "Move between the choices and the text"),
        ("ctrl+p", "Commands: save, load, restart, undo (and, for authors, the scene map and jump to a scene)"),
        ("ctrl+q", "Quit at once (the game is autosaved)"),
        ("", "Any key completes text that is still being typed out."),
    ]
    return Content("\n").join(Content.assemble((f"{key:<10}", "bold"), text) for key, text in rows)


__all__ = ["PlayScreen"]
