"""Loading saves for the app: the Load dialog's answer, an older generation, and the notice that a
replaced game was kept. A mixin of `CandidApp` (app.py), which owns the store and the keeper.

UI strings sit together at the top of the module, so they can be translated in one place.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from textual.app import App

from ..engine import CandidError, SaveError
from ..engine.compiler import Story
from ..engine.play import Game, Keeper
from ..engine.saves import AUTOSAVE, SaveStore
from ..engine.session import Session
from .screens import LoadScreen, TitleScreen
from .screens.load import Picked

KEPT = "Your previous game was kept: Load → “{slot}” brings it back."
PARTLY = "The story has changed since this save; {count} step(s) could not be replayed: {first}"
PARTLY_TITLE = "Save partly restored"


class Loading(App[int]):
    story: Story
    store: SaveStore
    keeper: Keeper

    if TYPE_CHECKING:
        # Defined by CandidApp (app.py).
        def show_error(self, error: CandidError) -> None: ...
        def play(self, game: Game) -> None: ...
        def confirm_replace(self, what: str, then: Callable[[], None]) -> None: ...

    def previous_kept(self, slot: str) -> None:
        """The keeper's word that the game just replaced went to `slot` (the previous game)."""
        # Beside the note of the move that replaced the game (a branch says where it left history),
        # not instead of it: App's own notify, which clears nothing.
        super().notify(KEPT.format(slot=slot), markup=False, timeout=8)

    def load_slot(self, slot: str, generation: int = 0) -> None:
        game = Game(Session.new(self.story), self.keeper)
        try:
            loaded = game.load(slot, generation)
        except SaveError as exc:
            self.show_error(exc)
            if isinstance(self.screen, TitleScreen):
                self.screen.refresh_menu()
            return
        self.play(game)
        if loaded.lost:
            self.notify(
                PARTLY.format(count=len(loaded.lost), first=loaded.lost[0]),
                title=PARTLY_TITLE,
                severity="warning",
                markup=False,
                timeout=10,
            )

    def action_load_game(self) -> None:
        def chosen(picked: Picked | None) -> None:
            if picked is None:
                return
            slot, generation = picked
            if (slot, generation) == (AUTOSAVE, 0):
                self.load_slot(slot)
            else:
                self.confirm_replace("load", lambda: self.load_slot(slot, generation))

        self.push_screen(LoadScreen(self.store, self.story), chosen)
