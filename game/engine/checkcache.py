"""`check` remembered: the checker's layer of the cache (see `cache.py` for where caches live).

An unchanged story (same files, same bytes, same engine) gets its last report back without being
loaded, so the checker itself (and the engine beneath it) is imported only when there is work.
"""

from __future__ import annotations

import hashlib
import json
import stat
import time
from contextlib import suppress
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .cache import FORMAT, cache_home, engine_key, read_envelope, story_key, write_atomic
from .errors import Diagnostic, Severity
from .report import Report
from .storyfiles import MAX_FILE_BYTES, STORY_FILE, SourceFile, file_patterns, fingerprint, hand_on, last_read, listed, read, resolve_story

if TYPE_CHECKING:
    from .story import Story

SETTLED_NS = 2_000_000_000
"""A file changed this close to the moment it was read may change again within the same
timestamp: its stamp is not trusted, and it is read and hashed again."""


def check_story(folder: Path, *, exhaustive: bool, max_states: int | None = None) -> Report:
    from .checks import check_story as check
    from .explore import MAX_STATES

    return check(folder, exhaustive=exhaustive, max_states=max_states or MAX_STATES)


def _digest(path: Path) -> str:
    """The SHA-256 of a regular file within the loader's size limit; OSError for anything else
    (a FIFO would hang the read, a link to /dev/zero would never end), which the loader then reports."""
    info = path.stat()
    if not stat.S_ISREG(info.st_mode) or info.st_size > MAX_FILE_BYTES:
        raise OSError(f"{path} is not a regular file within the size limit")
    with path.open("rb") as handle:
        data = handle.read(MAX_FILE_BYTES + 1)
    if len(data) > MAX_FILE_BYTES:
        raise OSError(f"{path} grew past the size limit")
    return hashlib.sha256(data).hexdigest()


def check_with_cache(story: str | Path | None, *, exhaustive: bool = True, max_states: int | None = None) -> Report:
    """`check_story`, remembered: an unchanged story (same files, same bytes, same engine) gets
    its last report back without being loaded. A report from the cache has no `story`."""
    folder = resolve_story(story)
    home = cache_home()
    try:
        meta_digest = _digest(folder / STORY_FILE)
    except OSError:
        home = None
    if home is None:
        return check_story(folder, exhaustive=exhaustive, max_states=max_states)
    variant = ("" if exhaustive else "-quick") + (f"-{max_states}" if max_states and exhaustive else "")
    path = home / "checks" / f"{story_key(folder)}{variant}.json"
    where = str(Path.cwd().resolve())

    started = time.time_ns()
    envelope = read_envelope(path)
    usable = envelope is not None and envelope.get("meta") == meta_digest and envelope.get("cwd") == where
    if envelope and usable:
        try:
            patterns = envelope["patterns"]
            files, problems = listed(folder, patterns)
            if not problems and _same(files, envelope["files"], envelope["read_at"]):
                return _saved(envelope["report"])
            # The load after an edit reads only the files that changed (`increment.py`), from this listing.
            hand_on(folder, patterns, (files, problems))
        except (OSError, KeyError, TypeError, ValueError):
            pass  # not a report we can vouch for: check for real

    try:
        report = _check(folder, exhaustive, max_states, envelope if usable else None)
    finally:
        hand_on(folder, [], None)
    if report.story is None:
        return report

    patterns = file_patterns(report.story.meta)
    # A file changed within SETTLED_NS of this check may change again within the same timestamp:
    # its stamp is not remembered, so the next check reads and hashes it.
    remembered = [[name, digest, stamped if _settled(stamped, started) else ""] for name, digest, stamped in last_read(folder, patterns)]
    if fingerprint(meta_digest, ((name, digest) for name, digest, _ in remembered)) != report.story.fingerprint:
        return report  # the files changed while being checked
    envelope = {"format": FORMAT, "engine": engine_key(), "meta": meta_digest, "cwd": where, "patterns": patterns, "files": remembered}
    envelope["read_at"] = started
    envelope["checked"] = report.story.checked_digest()
    envelope["report"] = report.as_dict()
    with suppress(OSError):
        write_atomic(path, json.dumps(envelope))
    return report


def _check(folder: Path, exhaustive: bool, max_states: int | None, envelope: dict[str, Any] | None) -> Report:
    """The story loaded (after an edit, only what changed: `increment.py`) and checked, unless what
    `check` reads of it is what the remembered report was made from (`Story.checked_digest`)."""
    from .checks import check_loaded
    from .compiler import load_story
    from .errors import StoryError
    from .explore import MAX_STATES

    try:
        story = load_story(folder)
    except StoryError as exc:
        return Report(exc.diagnostics)
    digest = story.checked_digest()
    if envelope is not None and digest is not None and envelope.get("checked") == digest:
        with suppress(KeyError, TypeError, ValueError):
            return _saved(envelope["report"], story)
    return check_loaded(story, exhaustive=exhaustive, max_states=max_states or MAX_STATES)


def _saved(saved: dict[str, Any], story: Story | None = None) -> Report:
    """A report as `check_with_cache` wrote it; KeyError, TypeError or ValueError on anything else."""
    # Severity() and the field names raise on anything we did not write.
    diags = [Diagnostic(d["file"], d["line"], d["col"], Severity(d["severity"]), d["code"], d["message"]) for d in saved["diagnostics"]]
    stats = saved["stats"]
    if not (isinstance(stats, dict) and all(isinstance(k, str) and isinstance(v, int) for k, v in stats.items())):
        raise TypeError("not a report we wrote")
    return Report(diags, dict(stats), story)


def _same(files: list[SourceFile], known: list[list[str]], read_at: int) -> bool:
    """Whether `files` (listed, not read) are those of the remembered check, byte for byte. A file
    whose stamp is unchanged (and was settled when it was read: see where `remembered` is made)
    keeps its remembered digest; any other is read and hashed, up to the first that differs."""
    if len(files) != len(known):
        return False
    if [f.stamp for f in files] == [k[2] for k in known] and all(k[2] for k in known):
        # The usual answer, decided in one comparison: every file as it was.
        return [f.name for f in files] == [k[0] for k in known]
    for file, (name, digest, stamped) in zip(files, known, strict=True):
        if file.name != name:
            return False
        if not (file.stamp and file.stamp == stamped and _settled(stamped, read_at)) and read(file).digest != digest:
            return False
    return True


def _settled(stamped: str, read_at: int) -> bool:
    """Whether a file with this stamp had not changed for SETTLED_NS when it was read at `read_at`."""
    return bool(stamped) and int(stamped.split(":")[1]) < read_at - SETTLED_NS
