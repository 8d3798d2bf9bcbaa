"""The game controller: what every front end (full-screen, plain, replay, `serve`) does to play.

A `Game` wraps the session being played and is the only thing that moves it on the player's
behalf, so the policies are the same everywhere:

- **Autosave**: one write after each change the player makes (a choice, undo, restart, jump, a
  loaded save, a branch off the replay, a story reload). Starting a new game writes nothing until
  its first choice, so the last play-through's autosave can still be resumed.
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

    def autosave(self, session: Session) -> None:
        if self.store is None:
            return
        try:
            self.store.save(session, AUTOSAVE)
        except (OSError, SaveError) as exc:
            self.warn(f"Autosave failed: {exc}")

    def record_ending(self, session: Session) -> None:
        if self.profile is None or session.ending is None:
            return
        try:
            self.profile.record_ending(session.story, session.scene_id)
        except OSError as exc:
            self.warn(f"Could not record the ending: {exc.strerror or exc}")


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

    def __post_init__(self) -> None:
        self.settle()

    def settle(self) -> None:
        """Take the choices the story takes by itself (`rules.auto_move`), up to a bound so that a
        ring of such scenes cannot hang the game: `check` reports such a ring as a loop."""
        for _ in range(MAX_AUTO):
            session = self.session
            move = rules.auto_move(session.state, [c.move for c in session.scene.choices])
            if move is None:
                return
            session.choose(move.key.partition(".")[2])

    def stepped(self) -> None:
        """After each change the player made: the moves the story makes by itself, one autosave,
        and the ending recorded if one was reached."""
        self.settle()
        if not self.saving:
            return
        self.keeper.autosave(self.session)
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

    def restart(self) -> None:
        self.session.restart()
        self.stepped()

    def jump(self, scene_id: str) -> None:
        self.session = jumped(self.session, scene_id)
        self.stepped()

    def branch(self) -> None:
        """Replay becomes the player's own game from here."""
        self.saving = True
        self.stepped()

    def save(self, slot: str) -> Path:
        if self.keeper.store is None:
            raise SaveError("saving is off")
        return self.keeper.store.save(self.session, slot)

    def load(self, slot: str) -> Loaded:
        """Play a saved game instead; raises SaveError (and changes nothing) if it cannot be read."""
        if self.keeper.store is None:
            raise SaveError("saving is off")
        loaded = self.keeper.store.load(slot)
        self.session = loaded.session
        self.saving = True
        self.stepped()
        return loaded

    def rebase(self, story: Story, store: SaveStore | None = None) -> list[str]:
        """Go on with an edited story (live reload), saving to `store` from now on; returns the
        steps that no longer fit. Raises ChoiceError (and changes nothing) if the role is gone."""
        self.session, lost = rebased(self.session, story)
        if store is not None:
            self.keeper.store = store
        self.stepped()
        return lost


__all__ = ["Game", "Keeper", "jumped", "rebased", "started"]
