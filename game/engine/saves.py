"""Saves: JSON files in the user data folder, written atomically, checked on the way back in.

A save records the path of choice ids rather than trusting its stored state: loading replays the
path on the story as it is now, so a save survives story edits up to the first step that no longer
exists. The stored variables are compared with the replayed ones when the story is unchanged.
Anything wrong with a file (corrupt, empty, foreign, too new, tampered) moves it aside into
`quarantine/` and raises SaveError; a save is never deleted.

Each slot keeps GENERATIONS files (`autosave.json`, `autosave.1.json`, ...): a new save is written
in full before the older ones move down, so a failed write (a full disk) changes nothing. When a
play-through replaces another (a new game, a loaded slot, a branch off the replay, a story edit
that cut the path), `keep_previous` first files the replaced autosave under PREVIOUS, with its own
generations, so no key press loses a game.

The checksum is a check against accidental damage (a truncated or garbled file), not a seal: it is
an unkeyed SHA-256 that anyone editing a save can recompute. Nothing in a save is trusted anyway:
every value is validated, text is made visible-safe, and the path is replayed on the story.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import time
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .compiler import Story
from .errors import ChoiceError, SaveError
from .files import atomic_write, copy_temporary, set_aside, sweep_temporaries, sync_folder, write_temporary
from .i18n import _
from .savelimits import MAX_PATH, MAX_SAVE_BYTES, SLOT_PATTERN
from .session import Session

if TYPE_CHECKING:  # the save file's model is pydantic's: imported when a save is read, not to start
    from .savefile import SaveFile

FORMAT = 1
GENERATIONS = 3
AUTOSAVE = "autosave"
PREVIOUS = "previous game"
"""Where `keep_previous` files a play-through that another one replaced."""
_GENERATION = re.compile(r"^(.*)\.(\d+)$")


def data_home() -> Path:
    """The user data folder; `CANDID_HOME` overrides it (tests, portable installs)."""
    override = os.environ.get("CANDID_HOME")
    if override:
        return Path(override)
    import platformdirs

    return Path(platformdirs.user_data_dir("candid", appauthor=False))


@dataclass(frozen=True, slots=True)
class Loaded:
    """A session restored from a save, and what could not be restored."""

    session: Session
    lost: list[str]
    slot: str


@dataclass(frozen=True, slots=True)
class SlotInfo:
    """A readable save as the Load dialog lists it. `slot` is the file's name, which the game chose
    (never the file's own `slot` field); `generation` 0 is the newest, 1 and 2 the ones before."""

    slot: str
    saved_at: float
    scene: str
    steps: int
    role: str
    generation: int = 0


def _checksum(payload: dict[str, Any]) -> str:
    body = json.dumps({k: v for k, v in payload.items() if k != "checksum"}, sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(body.encode()).hexdigest()


class SaveStore:
    """The saves of one story: `<data home>/saves/<story id>/<slot>.json`, plus generations."""

    def __init__(self, story: Story, home: Path | None = None) -> None:
        self.story = story
        self.folder = (home or data_home()) / "saves" / story.id

    def _path(self, slot: str, generation: int = 0) -> Path:
        if not SLOT_PATTERN.match(slot):
            raise SaveError(_("slot name {slot!r}: use letters, digits, spaces, - and _ (up to 40)").format(slot=slot))
        if not 0 <= generation < GENERATIONS:
            raise SaveError(f"slot {slot!r} keeps generations 0 to {GENERATIONS - 1}, not {generation}")
        suffix = f".{generation}" if generation else ""
        return self.folder / f"{slot}{suffix}.json"

    def save(self, session: Session, slot: str = AUTOSAVE) -> Path:
        """Write `session` to `slot`, the slot's older files moving down a generation. Raises
        SaveError, and then every file is as it was."""
        target = self._path(slot)
        if len(session.path) > MAX_PATH:
            raise SaveError(f"this play-through is too long to save ({len(session.path)} choices; the limit is {MAX_PATH})")
        payload: dict[str, Any] = {
            "format": FORMAT,
            "story_id": self.story.id,
            "story_version": self.story.meta.version,
            "fingerprint": self.story.fingerprint,
            "role": session.role,
            "start": session.start,
            "initial": dict(session.initial),
            "seed": session.seed,
            "path": session.path,
            "scene": session.scene_id,
            "vars": dict(session.vars),
            "saved_at": time.time(),
            "slot": slot,
        }
        payload["checksum"] = _checksum(payload)
        self._write(slot, json.dumps(payload, indent=1, sort_keys=True).encode(), target)
        return target

    def _write(self, slot: str, data: bytes | Path, target: Path) -> None:
        """Put `data` (bytes, or a file to copy) in `target`, rotating generations. Everything that
        can fail (writing, copying) happens first, into temporary files; then only renames."""
        sweep_temporaries(self.folder)
        temporaries: list[str] = []
        try:
            new = write_temporary(target, data) if isinstance(data, bytes) else copy_temporary(target, data)
            temporaries.append(new)
            kept = copy_temporary(target, target) if target.exists() else None
            if kept is not None:
                temporaries.append(kept)
            for gen in range(GENERATIONS - 1, 1, -1):
                older = self._path(slot, gen - 1)
                if older.exists():
                    os.replace(older, self._path(slot, gen))
            if kept is not None:
                os.replace(kept, self._path(slot, 1))
            os.replace(new, target)
        except OSError as exc:
            raise SaveError(_("could not save {slot!r}: {problem}").format(slot=slot, problem=exc.strerror or exc)) from None
        finally:
            for tmp in temporaries:
                Path(tmp).unlink(missing_ok=True)
        sync_folder(self.folder)

    def keep_previous(self, slot: str = AUTOSAVE) -> str | None:
        """File the play-through in `slot` under PREVIOUS (its older ones moving down a generation),
        before another play-through replaces it. Returns PREVIOUS, or None when `slot` is empty.
        Raises SaveError if it cannot be kept (the caller should then not overwrite `slot`)."""
        source = self._path(slot)
        if not source.exists():
            return None
        self._write(PREVIOUS, source, self._path(PREVIOUS))
        return PREVIOUS

    def _info(self, path: Path, slot: str, generation: int) -> SlotInfo | None:
        from pydantic import ValidationError

        from .savefile import SaveFile

        try:
            data = SaveFile.model_validate_json(path.read_bytes())
        except (OSError, ValidationError, ValueError):
            return None
        if data.story_id != self.story.id:
            return None
        return SlotInfo(slot, data.saved_at, data.scene, len(data.path), data.role, generation)

    def slots(self) -> list[SlotInfo]:
        """Readable saves (newest generation of each slot), newest first; unreadable ones are skipped
        here and reported on load."""
        found = []
        if not self.folder.is_dir():
            return []
        for path in self.folder.glob("*.json"):
            if _GENERATION.match(path.stem) or not SLOT_PATTERN.match(path.stem):
                continue
            info = self._info(path, path.stem, 0)
            if info is not None:
                found.append(info)
        return sorted(found, key=lambda s: s.saved_at, reverse=True)

    def generations(self, slot: str = AUTOSAVE) -> list[SlotInfo]:
        """The readable generations of `slot`, newest (0) first: what `load(slot, n)` restores."""
        found = []
        for gen in range(GENERATIONS):
            path = self._path(slot, gen)
            info = self._info(path, slot, gen) if path.exists() else None
            if info is not None:
                found.append(info)
        return found

    def delete(self, slot: str) -> int:
        """Delete `slot` and its older generations; returns how many files went. The oldest go
        first, so a failure part way leaves the slot with its newest files, still loadable.
        Raises SaveError (and the files not yet removed stay) if one cannot be removed."""
        removed = 0
        for gen in range(GENERATIONS - 1, -1, -1):
            path = self._path(slot, gen)
            try:
                path.unlink()
            except FileNotFoundError:
                continue
            except OSError as exc:
                raise SaveError(_("could not delete {slot!r}: {problem}").format(slot=slot, problem=exc.strerror or exc)) from None
            removed += 1
        if removed:
            sync_folder(self.folder)
        return removed

    def exists(self, slot: str = AUTOSAVE) -> bool:
        """A file is there for this slot, readable or not: loading it tells which."""
        return self._path(slot).exists()

    def load(self, slot: str = AUTOSAVE, generation: int = 0) -> Loaded:
        """The play-through saved in `slot` (an older `generation` if asked). Raises SaveError; a bad
        file is moved to quarantine and the error says where."""
        path = self._path(slot, generation)
        name = f"{slot} ({generation} back)" if generation else slot
        if not path.exists():
            raise SaveError(_("no save named {slot!r}").format(slot=name))
        try:
            raw = path.read_bytes()
        except OSError as exc:
            raise SaveError(_("cannot read save {slot!r}: {problem}").format(slot=name, problem=exc.strerror)) from None
        data = self._check(path, raw)
        try:
            session, lost = Session.remade(self.story, data.role, data.start, data.initial, data.path, seed=data.seed)
        except ChoiceError as exc:
            raise SaveError(_("save {slot!r} cannot start: {problem}").format(slot=name, problem=exc.message)) from None
        # On the very story it was saved from, every step must replay to the stored state.
        same_story = data.fingerprint == self.story.fingerprint
        if same_story and (lost or dict(session.vars) != data.vars or session.scene_id != data.scene):
            moved = self._quarantine(path)
            raise SaveError(_("save {slot!r} does not match its own path (edited by hand?)").format(slot=name), moved)
        return Loaded(session, lost, slot)

    def _check(self, path: Path, raw: bytes) -> SaveFile:
        def reject(reason: str) -> SaveError:
            return SaveError(_("save {slot!r} {reason}").format(slot=path.stem, reason=reason), self._quarantine(path))

        if not raw.strip():
            raise reject(_("is empty"))
        if len(raw) > MAX_SAVE_BYTES:
            raise reject(_("is too large to be a save"))
        try:
            payload = json.loads(raw)
        except (ValueError, RecursionError):
            raise reject(_("is not valid JSON (corrupt)")) from None
        if not isinstance(payload, dict):
            raise reject(_("is not a save file"))
        fmt = payload.get("format")
        if isinstance(fmt, int) and fmt > FORMAT:
            raise reject(_("was written by a newer version (format {found}; this program reads {known})").format(found=fmt, known=FORMAT))
        from pydantic import ValidationError

        from .savefile import SaveFile

        try:
            data = SaveFile.model_validate(payload)
        except ValidationError:
            raise reject(_("is not a save file of this game")) from None
        if data.story_id != self.story.id:
            raise reject(_("belongs to another story ({story!r})").format(story=data.story_id))
        if data.checksum != _checksum(payload):
            raise reject(_("failed its checksum (changed outside the game)"))
        return data

    def _quarantine(self, path: Path) -> str | None:
        """Move a bad save aside; None if it cannot be moved (a read-only folder): it then stays put."""
        return set_aside(path, self.folder / "quarantine")


class Profile:
    """What persists across play-throughs: the endings found, per story.

    A damaged `profile.json` is set aside into `quarantine/` (never silently replaced), and
    `damaged` says where it went, for the front end to report once.
    """

    def __init__(self, home: Path | None = None) -> None:
        self.path = (home or data_home()) / "profile.json"
        self.damaged: SaveError | None = None

    def _read(self) -> dict[str, Any]:
        try:
            raw = self.path.read_bytes()
        except FileNotFoundError:
            return {}
        except OSError as exc:
            raise SaveError(f"cannot read the profile of endings found: {exc.strerror or exc}") from None
        try:
            data = json.loads(raw) if len(raw) <= MAX_SAVE_BYTES else None
        except (ValueError, RecursionError):
            data = None
        if isinstance(data, dict):
            return data
        moved = set_aside(self.path, self.path.parent / "quarantine")
        self.damaged = SaveError("the profile of endings found was damaged; a new one is started", moved)
        return {}

    @staticmethod
    def _endings(data: dict[str, Any], story_id: str) -> set[str]:
        # The file is the player's to edit: unexpected entries inside a readable file read as nothing found.
        endings = data.get("endings")
        found = endings.get(story_id) if isinstance(endings, dict) else None
        return {e for e in found if isinstance(e, str)} if isinstance(found, list) else set()

    def endings_found(self, story: Story) -> set[str]:
        try:
            data = self._read()
        except SaveError:
            return set()
        return {e for e in self._endings(data, story.id) if e in story.scenes}

    def record_ending(self, story: Story, scene_id: str) -> None:
        """Add an ending to the profile. Raises SaveError when it cannot be read (it is then left
        alone) and OSError when it cannot be written."""
        data = self._read()
        known = self._endings(data, story.id) | {scene_id}
        endings = data.get("endings")
        if not isinstance(endings, dict):
            endings = data["endings"] = {}
        endings[story.id] = sorted(known)
        atomic_write(self.path, json.dumps(data, indent=1).encode())


__all__ = [
    "AUTOSAVE",
    "FORMAT",
    "GENERATIONS",
    "MAX_PATH",
    "MAX_SAVE_BYTES",
    "PREVIOUS",
    "Loaded",
    "Profile",
    "SaveStore",
    "SlotInfo",
    "atomic_write",
    "data_home",
]
