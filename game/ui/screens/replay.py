"""Replay: walk a role's historical path scene by scene, with what really happened and its sources.

History's choice is marked; Enter (or `n`) follows it. Taking any other choice branches off
("what if?"): the session goes on as a normal, autosaved play-through from that point.
"""

from __future__ import annotations

from typing import ClassVar

from textual.binding import Binding, BindingType
from textual.content import Content
from textual.widgets import Static

from ...engine import ChoiceError, Session
from ..text import blocks, prose
from .ending import EndingScreen
from .play import PlayScreen


def record_content(session: Session) -> Content | None:
    """The scene's record: what really happened, why history's choice matters, the sources."""
    scene = session.scene
    history = scene.model.history
    hist = scene.historical_choice
    parts: list[Content | str | tuple[str, str]] = []
    if history is not None:
        parts += [("WHAT REALLY HAPPENED", "reverse"), "\n\n", Content("\n\n").join(prose(b) for b in blocks(history.summary))]
    if hist is not None and hist.model.note:
        parts += ["\n\n", ("Why it matters: ", "bold"), (hist.model.note, "italic")]
    if history is not None:
        parts += ["\n\n", ("Sources", "bold")]
        for src in history.sources:
            parts += ["\n• ", f"{src.outlet}, “{src.title}”, {src.date}" + (f", {src.url}" if src.url else "")]
    return Content.assemble(*parts) if parts else None


class ReplayScreen(PlayScreen):
    mark_history = True
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("n", "follow", "Follow history", id="follow", tooltip="Take history's choice and go on"),
    ]

    def on_mount(self) -> None:
        self.notify("Replay: Enter follows history; any other choice branches off into your own game.", markup=False)

    def show_scene(self) -> None:
        super().show_scene()
        model = self.session.scene.model
        self.query_one("#scene-title", Static).update(
            Content.assemble(("Replay · ", "bold $accent"), (f"Act {model.act} · ", "dim"), model.title)
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
        try:
            self.session.choose(choice_id)
        except ChoiceError as exc:
            self.game.show_error(exc)
            return
        self.notify(f"What if? You left history at “{scene.model.title}”; this game is now yours (autosaved).", markup=False)
        self.game.play(self.session)

    def action_follow(self) -> None:
        hist = self.session.scene.historical_choice
        if hist is None:
            self.notify("History has no choice here.", markup=False)
            return
        super().take(hist.id)
