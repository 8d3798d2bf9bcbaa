"""Loading saves for the app: the Load dialog's answer, an older generation, and the notice that a
replaced game was kept. A mixin of `CandidApp` (app.py), which owns the store and the keeper.

Its notes are worded in notices.py, in the player's language.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from textual.app import App

from ..engine import CandidError, SaveError
from ..engine.compiler import Story
from ..engine.i18n import _
from ..engine.play import Game, Keeper
from ..engine.saves import AUTOSAVE, SaveStore
from ..engine.session import Session
from .notices import previous_kept_note, save_lost
from .screens import LoadScreen, TitleScreen
from .screens.load import Picked


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
        super().notify(previous_kept_note(slot), markup=False, timeout=8)

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
                save_lost(loaded.lost),
                title=_("Save partly restored"),
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
