"""Command palette entries: save, load, restart, undo and, for authors, the scene map and jump to any scene."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from functools import partial
from typing import TYPE_CHECKING, cast

from textual.command import DiscoveryHit, Hit, Hits, Provider

from ..engine.i18n import _
from .screens.play import PlayScreen

if TYPE_CHECKING:
    from .app import CandidApp

Command = tuple[str, str, Callable[[], object]]


class GameCommands(Provider):
    def commands(self) -> Iterator[Command]:
        app = cast("CandidApp", self.app)
        play = app.play_screen()
        if play is not None:
            yield _("Save game"), _("Save to a named slot"), play.action_save
            yield _("Undo"), _("Take back the last choice"), play.action_undo
            yield _("Restart"), _("Start this play-through again"), play.action_restart
        yield _("Load game"), _("Load a saved game"), app.action_load_game
        if play is not None and app.author:
            yield "Scene map", "Author: every scene of this role, marked; Enter warps there", play.open_map
            for scene in app.story.scenes.values():
                yield f"Jump to scene {scene.id}", f"Author warp: {scene.model.title}", partial(play.jump, scene.id)

    async def discover(self) -> Hits:
        for name, help_text, callback in self.commands():
            yield DiscoveryHit(name, callback, help=help_text)

    async def search(self, query: str) -> Hits:
        matcher = self.matcher(query)
        for name, help_text, callback in self.commands():
            score = matcher.match(name)
            if score > 0:
                yield Hit(score, matcher.highlight(name), callback, text=name, help=help_text)


__all__ = ["GameCommands", "PlayScreen"]
