"""Saves: JSON files in the user data folder, written atomically, checked on the way back in.

A save records the path of choice ids rather than trusting its stored state: loading replays the
path on the story as it is now, so a save survives story edits up to the first step that no longer
exists. The stored variables are compared with the replayed ones when the story is unchanged.
Anything wrong with a file (corrupt, empty, foreign, too new, tampered) moves it aside into
`quarantine/` and raises SaveError; a save is never deleted.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Annotated, Any

from pydantic import BaseModel, ConfigDict, Field, StringConstraints, ValidationError

from .compiler import Story
from .errors import ChoiceError, SaveError
from .i18n import _
from .models import Id, Number
from .session import Session

FORMAT = 1
GENERATIONS = 3
AUTOSAVE = "autosave"
MAX_SAVE_BYTES = 4 * 1024 * 1024
SLOT_PATTERN = re.compile(r"^[A-Za-z0-9][A-Za-z0-9 _-]{0,39}$")


def data_home() -> Path:
    """The user data folder; `CANDID_HOME` overrides it (tests, portable installs)."""
    override = os.environ.get("CANDID_HOME")
    if override:
        return Path(override)
    import platformdirs

    return Path(platformdirs.user_data_dir("candid", appauthor=False))


ChoiceKey = Annotated[str, StringConstraints(pattern=r"^[a-z][a-z0-9_]*\.[a-z][a-z0-9_]*$", max_length=130)]
"""A step of a saved path, `scene.choice`: ids only, so nothing odd from a save reaches the screen."""


class SaveFile(BaseModel):
    """What a save file holds."""

    model_config = ConfigDict(extra="forbid")

    format: int
    story_id: Id
    story_version: str
    fingerprint: str
    role: Id
    start: Id
    initial: dict[Id, Number | bool | str]
    seed: int = 0
    """The random stream's state at the start; release 1 saves have none (and drew nothing)."""
    path: list[ChoiceKey] = Field(max_length=100_000)
    scene: Id
    vars: dict[Id, Number | bool | str]
    saved_at: float
    slot: str
    checksum: str


@dataclass(frozen=True, slots=True)
class Loaded:
    """A session restored from a save, and what could not be restored."""

    session: Session
    lost: list[str]
    slot: str


@dataclass(frozen=True, slots=True)
class SlotInfo:
    slot: str
    saved_at: float
    scene: str
    steps: int
    role: str


def _checksum(payload: dict[str, Any]) -> str:
    body = json.dumps({k: v for k, v in payload.items() if k != "checksum"}, sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(body.encode()).hexdigest()


def atomic_write(path: Path, data: bytes, keep: Path | None = None) -> None:
    """Write via a temp file in the same folder, fsync, then rename over: never a half file.

    With `keep`, the file being replaced stays readable under that name (a hard link, so its
    bytes are not written again; a copy where links are not possible)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        if keep is not None and path.exists():
            _keep(path, keep)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    try:
        dir_fd = os.open(path.parent, os.O_RDONLY)
    except OSError:  # pragma: no cover - some platforms cannot open folders
        return
    try:
        os.fsync(dir_fd)
    except OSError:  # pragma: no cover
        pass
    finally:
        os.close(dir_fd)


def _keep(path: Path, keep: Path) -> None:
    """`keep` becomes the current contents of `path`, atomically, while `path` stays where it is."""
    linked = keep.with_name(f".{keep.name}.link")
    linked.unlink(missing_ok=True)
    try:
        os.link(path, linked)
    except OSError:
        linked.write_bytes(path.read_bytes())
    os.replace(linked, keep)


class SaveStore:
    """The saves of one story: `<data home>/saves/<story id>/<slot>.json`, plus generations."""

    def __init__(self, story: Story, home: Path | None = None) -> None:
        self.story = story
        self.folder = (home or data_home()) / "saves" / story.id

    def _path(self, slot: str, generation: int = 0) -> Path:
        if not SLOT_PATTERN.match(slot):
            raise SaveError(_("slot name {slot!r}: use letters, digits, spaces, - and _ (up to 40)").format(slot=slot))
        suffix = f".{generation}" if generation else ""
        return self.folder / f"{slot}{suffix}.json"

    def save(self, session: Session, slot: str = AUTOSAVE) -> Path:
        target = self._path(slot)
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
        data = json.dumps(payload, indent=1, sort_keys=True).encode()
        try:
            for gen in range(GENERATIONS - 1, 1, -1):
                older = self._path(slot, gen - 1)
                if older.exists():
                    os.replace(older, self._path(slot, gen))
            # The current save is kept (linked, not moved), so a crash before the new one is in
            # place still leaves it where `load` looks; one write per save.
            atomic_write(target, data, keep=self._path(slot, 1))
        except OSError as exc:
            raise SaveError(_("could not save {slot!r}: {problem}").format(slot=slot, problem=exc.strerror or exc)) from None
        return target

    def slots(self) -> list[SlotInfo]:
        """Readable saves, newest first; unreadable ones are skipped here and reported on load."""
        found = []
        if not self.folder.is_dir():
            return []
        for path in self.folder.glob("*.json"):
            if re.search(r"\.\d+\.json$", path.name):
                continue
            try:
                data = SaveFile.model_validate_json(path.read_bytes())
            except (OSError, ValidationError, ValueError):
                continue
            found.append(SlotInfo(data.slot, data.saved_at, data.scene, len(data.path), data.role))
        return sorted(found, key=lambda s: s.saved_at, reverse=True)

    def exists(self, slot: str = AUTOSAVE) -> bool:
        """A file is there for this slot, readable or not: loading it tells which."""
        return self._path(slot).exists()

    def load(self, slot: str = AUTOSAVE) -> Loaded:
        path = self._path(slot)
        if not path.exists():
            raise SaveError(_("no save named {slot!r}").format(slot=slot))
        try:
            raw = path.read_bytes()
        except OSError as exc:
            raise SaveError(_("cannot read save {slot!r}: {problem}").format(slot=slot, problem=exc.strerror)) from None
        data = self._check(path, raw)
        try:
            session, lost = Session.remade(self.story, data.role, data.start, data.initial, data.path, seed=data.seed)
        except ChoiceError as exc:
            raise SaveError(_("save {slot!r} cannot start: {problem}").format(slot=slot, problem=exc.message)) from None
        # On the very story it was saved from, every step must replay to the stored state.
        same_story = data.fingerprint == self.story.fingerprint
        if same_story and (lost or dict(session.vars) != data.vars or session.scene_id != data.scene):
            moved = self._quarantine(path)
            raise SaveError(_("save {slot!r} does not match its own path (edited by hand?)").format(slot=slot), moved)
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
        folder = self.folder / "quarantine"
        try:
            folder.mkdir(parents=True, exist_ok=True)
            target = folder / f"{path.stem}-{time.strftime('%Y%m%d-%H%M%S')}-{os.getpid()}{path.suffix}"
            n = 1
            while target.exists():
                target = target.with_name(f"{target.stem}-{n}{target.suffix}")
                n += 1
            os.replace(path, target)
        except OSError:
            return None
        return str(target)


class Profile:
    """What persists across play-throughs: the endings found, per story."""

    def __init__(self, home: Path | None = None) -> None:
        self.path = (home or data_home()) / "profile.json"

    def _read(self) -> dict[str, Any]:
        try:
            data = json.loads(self.path.read_text("utf-8"))
        except (OSError, ValueError):
            return {}
        return data if isinstance(data, dict) else {}

    @staticmethod
    def _endings(data: dict[str, Any], story_id: str) -> set[str]:
        # The file is the player's to edit or break: anything unexpected reads as nothing found.
        endings = data.get("endings")
        found = endings.get(story_id) if isinstance(endings, dict) else None
        return {e for e in found if isinstance(e, str)} if isinstance(found, list) else set()

    def endings_found(self, story: Story) -> set[str]:
        return {e for e in self._endings(self._read(), story.id) if e in story.scenes}

    def record_ending(self, story: Story, scene_id: str) -> None:
        data = self._read()
        known = self._endings(data, story.id) | {scene_id}
        endings = data.get("endings")
        if not isinstance(endings, dict):
            endings = data["endings"] = {}
        endings[story.id] = sorted(known)
        atomic_write(self.path, json.dumps(data, indent=1).encode())
