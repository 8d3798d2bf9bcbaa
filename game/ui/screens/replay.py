"""Replay: walk a role's historical path scene by scene, with what really happened and its sources.

History's choice is marked; Enter, Space or `n` follows it, `u` goes back, `a` advances by itself
at the pace set in Settings. `b` branches off ("what if?") before choosing, and taking any other
choice branches off too: the session goes on as a normal, autosaved play-through from that point,
with the state history had up to there.
"""

from __future__ import annotations

from typing import ClassVar

from textual.binding import Binding, BindingType
from textual.content import Content
from textual.timer import Timer
from textual.widgets import Static

from ...engine import ChoiceError
from ...engine.i18n import N_, _
from ...engine.present import act_heading, citation, record
from ...engine.session import Session
from ..settings import pace_name
from ..text import blocks, prose
from ..widgets import SceneText
from .ending import EndingScreen
from .play import PlayScreen


def record_content(session: Session) -> Content | None:
    """The scene's record: what really happened, why history's choice matters, the sources."""
    found = record(session)
    if found is None:
        return None
    parts: list[Content | str | tuple[str, str]] = []
    if found.summary is not None:
        parts += [(_("WHAT REALLY HAPPENED"), "reverse"), "\n\n", Content("\n\n").join(prose(b) for b in blocks(found.summary))]
    if found.note:
        parts += ["\n\n", (_("Why it matters:") + " ", "bold"), (found.note, "italic")]
    if found.summary is not None:
        parts += ["\n\n", (_("Sources"), "bold")]
        for src in found.sources:
            parts += ["\n• ", citation(src)]
    return Content.assemble(*parts)


AUTO_ON = N_("Auto-advance on: each scene stays as long as it takes to read ({pace} in Settings). a stops it.")
AUTO_OFF = N_("Auto-advance off.")
WELCOME = N_("Replay: Enter or Space follows history, u goes back, a advances by itself, b branches off into your own game.")
NO_HISTORY_CHOICE = N_("History has no choice here.")
ENDED = N_("History has ended here; there is nothing left to branch.")
BRANCHED = N_("What if? From “{title}” on, the choices are yours (autosaved).")
LEFT = N_("What if? You left history at “{title}”; this game is now yours (autosaved).")


class ReplayScreen(PlayScreen):
    mark_history = True
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("n,space", "follow", N_("Follow history"), id="follow", tooltip=N_("Take history's choice and go on")),
        Binding("b", "branch", N_("Branch"), id="branch", tooltip=N_("What if? Play on from here as your own game")),
        Binding("a", "auto", N_("Auto"), id="auto", tooltip=N_("Advance by itself, giving each scene its reading time (pace in Settings)")),
    ]

    auto = False
    auto_timer: Timer | None = None

    def on_mount(self) -> None:
        self.notify(_(WELCOME), markup=False)

    def action_auto(self) -> None:
        if self.auto:
            self.stop_auto(_(AUTO_OFF))
            return
        self.auto = True
        self.notify(_(AUTO_ON).format(pace=pace_name(self.game.settings.replay_pace)), markup=False)
        self.schedule_auto()
        self.show_title()

    def schedule_auto(self) -> None:
        """Give the scene on screen the time its words take to read, then follow history."""
        if self.auto_timer is not None:
            self.auto_timer.stop()
            self.auto_timer = None
        if not self.auto:
            return
        text = self.query_one(SceneText).text
        seconds = self.game.settings.reading_seconds(len(text.split()), len(text))
        self.auto_timer = self.set_timer(seconds, self._auto_step)

    def _auto_step(self) -> None:
        self.auto_timer = None
        if not self.is_current:  # a dialog on top (help, log, settings) holds the replay where it is
            self.auto_timer = self.set_timer(1.0, self._auto_step)
            return
        text = self.query_one(SceneText)
        text.finish()
        while text.next_beat():
            text.finish()
        self.set_reading(False)
        self.action_follow()

    def stop_auto(self, message: str | None = None) -> None:
        was_on = self.auto
        self.auto = False
        if self.auto_timer is not None:
            self.auto_timer.stop()
            self.auto_timer = None
        if was_on:
            self.show_title()
            if message:
                self.notify(message, markup=False)

    def action_branch(self) -> None:
        self.stop_auto()
        if self.session.ending is not None:
            self.notify(_(ENDED), markup=False)
            return
        title = self.session.scene.model.title

        def branch() -> None:
            self.notify(_(BRANCHED).format(title=title), markup=False)
            self.controller.branch()
            self.game.play(self.controller)

        self.game.confirm_replace("branch", branch)

    def show_scene(self, *, seen: bool = False) -> None:
        super().show_scene(seen=seen)
        self.show_title()
        self.schedule_auto()

    def show_title(self) -> None:
        model = self.session.scene.model
        self.query_one("#scene-title", Static).update(
            Content.assemble(
                (_("Replay") + " · ", "bold $accent"),
                ("▶ " + _("auto") + " · ", "bold $success") if self.auto else "",
                (act_heading(model.act, None) + " · ", "dim"),
                model.title,
            )
        )

    def scene_extra(self) -> Content | None:
        return record_content(self.session)

    def settle(self) -> None:
        if self.session.ending is not None:
            self.app.push_screen(EndingScreen(self.session), self._after_ending)

    def take(self, choice_id: str) -> None:
        scene = self.session.scene
        hist = scene.historical_choice
        if hist is not None and hist.id == choice_id:
            super().take(choice_id)
            return
        self.stop_auto()

        def branch() -> None:
            try:
                self.controller.choose(choice_id)
            except ChoiceError as exc:
                self.game.show_error(exc)
                return
            self.notify(_(LEFT).format(title=scene.model.title), markup=False)
            self.controller.branch()
            self.game.play(self.controller)

        self.game.confirm_replace("branch", branch)

    def action_follow(self) -> None:
        if not self.ready:
            self.action_read_on()
            return
        hist = self.session.scene.historical_choice
        if hist is None:
            self.stop_auto()
            if self.session.ending is None:
                self.notify(_(NO_HISTORY_CHOICE), markup=False)
            return
        super().take(hist.id)
        if self.session.ending is not None:
            self.stop_auto()
