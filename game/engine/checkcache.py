"""`check` remembered: the checker's layer of the cache (see `cache.py` for where caches live).

An unchanged story (same files, same bytes, same engine) gets its last report back without being
loaded, so the checker itself (and the engine beneath it) is imported only when there is work.
"""

from __future__ import annotations

import hashlib
import json
import stat
from contextlib import suppress
from pathlib import Path

from .cache import FORMAT, cache_home, engine_key, read_envelope, story_key, write_atomic
from .errors import Diagnostic, Severity
from .report import Report
from .storyfiles import STORY_FILE, display_names, file_patterns, list_files, resolve_story
from .yamlfast import MAX_FILE_BYTES


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

    def listing(patterns: list[str]) -> list[list[str]]:
        files, problems = list_files(folder, patterns)
        if problems:
            raise OSError("files outside the story folder")
        return [[name, _digest(file)] for name, file in zip(display_names(files), files, strict=True)]

    envelope = read_envelope(path)
    if envelope and envelope.get("meta") == meta_digest and envelope.get("cwd") == where:
        try:
            patterns = envelope["patterns"]
            if envelope["files"] == listing(patterns):
                saved = envelope["report"]
                # Severity() and the field names raise on anything we did not write.
                diags = [
                    Diagnostic(d["file"], d["line"], d["col"], Severity(d["severity"]), d["code"], d["message"])
                    for d in saved["diagnostics"]
                ]
                return Report(diags, dict(saved["stats"]))
        except (OSError, KeyError, TypeError, ValueError):
            pass  # not a report we can vouch for: check for real

    report = check_story(folder, exhaustive=exhaustive, max_states=max_states)
    if report.story is None:
        return report
    patterns = file_patterns(report.story.meta)
    try:
        files = listing(patterns)
    except OSError:
        return report
    fingerprint = hashlib.sha256(meta_digest.encode())
    for name, digest in sorted({(name, digest) for name, digest in files}):
        fingerprint.update(f"{name}\0{digest}\0".encode())
    if fingerprint.hexdigest()[:16] != report.story.fingerprint:
        return report  # the files changed while being checked
    envelope = {"format": FORMAT, "engine": engine_key(), "meta": meta_digest, "cwd": where, "patterns": patterns, "files": files}
    envelope["report"] = report.as_dict()
    with suppress(OSError):
        write_atomic(path, json.dumps(envelope))
    return report
