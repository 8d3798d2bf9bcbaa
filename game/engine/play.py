"""The game controller: what every front end (full-screen, plain, replay, `serve`) does to play.

A `Game` wraps the session being played and is the only thing that moves it on the player's
behalf, so the policies are the same everywhere:

- **Autosave**: one write after each change the player makes (a choice, undo, restart, jump, a
  loaded save, a branch off the replay, a story reload), unless it leaves no choice taken: starting
  a new game, or undoing back to the start, writes nothing, so the last play-through's autosave can
  still be resumed.
- **Nothing lost**: the first autosave of a play-through that replaces the one in the autosave (a
  new game, `--from`, a restart or jump, a branch off the replay, another slot loaded, a story edit
  that cut the path) first files the old autosave as the "previous game" slot (`SaveStore.keep_previous`).
- **Endings**: whenever such a change lands on an ending, the profile records it.
- **Start**: a role's start scene unless an author warp (`--from`, `--set`) says otherwise.
- **Moving on by itself**: a scene whose only open choice is marked `auto` is not a stop. After
  every change (and when a game begins) the controller takes such choices (`rules.auto_move`)
  until the player has something to decide; undo goes back past them to the player's last choice.

Following history in replay is not the player's game: it neither autosaves nor records, until the
player branches off (`saving` turns on).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path

from . import rules
from .compiler import Story
from .conditions import Value
from .errors import SaveError
from .i18n import _
from .saves import AUTOSAVE, Loaded, Profile, SaveStore
from .session import Session

Warn = Callable[[str], None]
MAX_AUTO = 1000
"""Moves the story may make by itself in a row."""


def _ignore(message: str) -> None:
    pass


@dataclass(slots=True)
class Keeper:
    """Where a play-through's records go: its saves and the profile of endings found."""

    store: SaveStore | None
    profile: Profile | None
    warn: Warn = _ignore
    """How a failed write is reported: the game goes on either way."""
    kept: Warn = _ignore
    """How the player hears that a replaced game was filed away, with the slot it went to."""

    def autosave(self, session: Session, *, replacing: bool = False) -> bool:
        """Autosave; with `replacing`, the autosave there is kept as the previous game first (and
        if that fails, nothing is written). Returns whether the autosave was written."""
        if self.store is None:
            return True
        kept = None
        try:
            if replacing:
                kept = self.store.keep_previous(AUTOSAVE)
            self.store.save(session, AUTOSAVE)
        except (OSError, SaveError) as exc:
            if replacing:
                self.warn(
                    _("Autosave failed (the previous game could not be kept, so it was left in place): {problem}").format(problem=exc)
                )
            else:
                self.warn(_("Autosave failed: {problem}").format(problem=exc))
            return False
        if kept is not None:
            self.kept(kept)
        return True

    def record_ending(self, session: Session) -> None:
        if self.profile is None or session.ending is None:
            return
        try:
            self.profile.record_ending(session.story, session.scene_id)
        except OSError as exc:
            self.warn(_("Could not record the ending: {problem}").format(problem=exc.strerror or exc))
        except SaveError as exc:
            self.warn(_("Could not record the ending: {problem}").format(problem=exc.message))
        damaged, self.profile.damaged = self.profile.damaged, None
        if damaged is not None:
            where = _("; the old one was moved to {path}").format(path=damaged.moved_to) if damaged.moved_to else ""
            self.warn(f"{damaged.message[:1].upper()}{damaged.message[1:]}{where}")


def started(story: Story, role: str | None = None, *, start: str | None = None, overrides: Mapping[str, Value] | None = None) -> Session:
    """The start policy: the role's start scene and the story's defaults, unless warped."""
    return Session.new(story, role, start=start, overrides=overrides)


def jumped(session: Session, scene_id: str) -> Session:
    """Author warp: a fresh play-through at another scene, with the same role and starting values."""
    return Session.new(session.story, session.role, start=scene_id, overrides=session.initial, seed=session.seed)


def rebased(session: Session, story: Story) -> tuple[Session, list[str]]:
    """The play-through rebuilt on an edited story, as far as its path still fits.

    Starting values the story no longer declares (or whose type changed) fall back to the
    defaults; a start scene that is gone falls back to the role's. Returns the steps that no longer
    fit, described (empty when all did). Raises ChoiceError if the role itself is gone.
    """
    return Session.remade(story, session.role, session.start, session.initial, session.path, seed=session.seed, start_may_move=True)


@dataclass(slots=True)
class Game:
    """One play-through as a front end drives it."""

    session: Session
    keeper: Keeper = field(default_factory=lambda: Keeper(None, None))
    saving: bool = True
    replacing: bool = True
    """This play-through is not (yet) the one in the autosave: its first autosave keeps the old one."""

    def __post_init__(self) -> None:
        self.settle()

    def settle(self) -> None:
        """Take the choices the story takes by itself (`rules.auto_move`), up to a bound so that a
        ring of such scenes cannot hang the game: `check` reports such a ring as a loop."""
        for _step in range(MAX_AUTO):
            session = self.session
            move = rules.auto_move(session.state, [c.move for c in session.scene.choices])
            if move is None:
                return
            session.choose(move.key.partition(".")[2])

    def stepped(self) -> None:
        """After each change the player made: the moves the story makes by itself, one autosave,
        and the ending recorded if one was reached.

        A play-through undone back to its start is not autosaved: it would put "0 choices" over the
        longer game the player may still want to continue. One that replaces the autosave (a restart,
        a warp, a loaded slot) is, since the game it replaces is kept as the previous game first."""
        self.settle()
        if not self.saving:
            return
        if (self.session.history or self.replacing) and self.keeper.autosave(self.session, replacing=self.replacing):
            self.replacing = False
        self.keeper.record_ending(self.session)

    def choose(self, choice_id: str) -> None:
        """Take a choice; raises ChoiceError (and changes nothing) if it is missing or locked."""
        self.session.choose(choice_id)
        self.stepped()

    def undo(self) -> bool:
        """Back to before the player's last choice, past the moves the story then made by itself."""
        history = self.session.history
        if not any(not step.auto for step in history):
            return False
        while history[-1].auto:
            self.session.undo()
        self.session.undo()
        self.stepped()
        return True

    def rewind(self, steps: int) -> int:
        """Go back `steps` choices at once (as many undos, but one autosave); returns how many
        were taken back, fewer when the start comes first."""
        taken = 0
        while taken < steps and self.session.undo():
            taken += 1
        if taken:
            self.stepped()
        return taken

    def restart(self) -> None:
        self.session.restart()
        self.replacing = True
        self.stepped()

    def jump(self, scene_id: str) -> None:
        self.session = jumped(self.session, scene_id)
        self.replacing = True
        self.stepped()

    def branch(self) -> None:
        """Replay becomes the player's own game from here."""
        self.saving = True
        self.stepped()

    def save(self, slot: str) -> Path:
        if self.keeper.store is None:
            raise SaveError("saving is off")
        return self.keeper.store.save(self.session, slot)

    def load(self, slot: str, generation: int = 0) -> Loaded:
        """Play a saved game instead; raises SaveError (and changes nothing) if it cannot be read.
        Only the autosave itself, fully restored, goes on in place; anything else replaces it."""
        if self.keeper.store is None:
            raise SaveError("saving is off")
        loaded = self.keeper.store.load(slot, generation)
        self.session = loaded.session
        self.saving = True
        self.replacing = slot != AUTOSAVE or generation != 0 or bool(loaded.lost)
        self.stepped()
        return loaded

    def rebase(self, story: Story, store: SaveStore | None = None) -> list[str]:
        """Go on with an edited story (live reload), saving to `store` from now on; returns the
        steps that no longer fit. Raises ChoiceError (and changes nothing) if the role is gone."""
        self.session, lost = rebased(self.session, story)
        if store is not None:
            self.keeper.store = store
        self.replacing = self.replacing or bool(lost)
        self.stepped()
        return lost


__all__ = ["Game", "Keeper", "jumped", "rebased", "started"]
