"""Loading large stories quickly: a cache of parsed scene files keyed by their contents (the
loader's layer; the checker's report cache is `checkcache.py`, the collector pause `gcpause.py`).

The cache is a convenience, never a source of truth. It lives in the user cache folder
(`$CANDID_CACHE`, else `$CANDID_HOME/cache`; `CANDID_NO_CACHE=1` turns it off), holds plain
JSON, and may be deleted at any time. An entry is used only for a file whose bytes have the same
SHA-256 as when it was written, by the same engine code; its data is then validated like freshly
parsed YAML, and anything odd (unreadable, another format, a failed validation) means the file
is parsed again from source.
"""

from __future__ import annotations

import hashlib
import json
import os
import sys
import tempfile
from contextlib import suppress
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # the report cache (`checkcache.py`) answers an unchanged story without YAML
    from . import yamlsrc

FORMAT = 2


def cache_home() -> Path | None:
    """Where caches live, or None when caching is off."""
    if os.environ.get("CANDID_NO_CACHE"):
        return None
    override = os.environ.get("CANDID_CACHE")
    if override:
        return Path(override)
    home = os.environ.get("CANDID_HOME")
    if home:
        return Path(home) / "cache"
    import platformdirs

    return Path(platformdirs.user_cache_dir("candid", appauthor=False))


@cache
def engine_key() -> str:
    """Changes whenever the engine's code does, so no cache outlives the code that wrote it."""
    digest = hashlib.sha256(f"{FORMAT}\0{sys.version}\0".encode())
    for path in sorted(Path(__file__).parent.glob("*.py")):
        digest.update(path.name.encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()


def story_key(folder: Path) -> str:
    return hashlib.sha256(str(folder.resolve()).encode()).hexdigest()[:32]


def write_atomic(path: Path, text: str | bytes, *more: bytes) -> None:
    """Write via a temporary file and a rename, so a reader never sees half a cache (`more`: parts
    written after `text`, so that a large file need not be joined in memory first)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=".tmp-", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as out:
            out.write(text.encode("utf-8") if isinstance(text, str) else text)
            for part in more:
                out.write(part)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def read_envelope(path: Path) -> dict[str, Any] | None:
    """A cache file's contents if it is ours, of this format and this engine; otherwise None."""
    try:
        data = json.loads(path.read_bytes())
    except (OSError, ValueError, RecursionError):
        return None
    if not isinstance(data, dict) or data.get("format") != FORMAT or data.get("engine") != engine_key():
        return None
    return data


class FileCache:
    """Parsed scene files of one story: file name -> (content digest, data and marks as JSON)."""

    def __init__(self, path: Path | None) -> None:
        self.path = path
        self.entries: dict[str, tuple[str, str]] = {}
        self.kept: dict[str, tuple[str, str]] = {}
        self.changed = False
        envelope = read_envelope(path) if path is not None else None
        files = envelope.get("files") if envelope else None
        if isinstance(files, dict):
            for name, entry in files.items():
                if isinstance(entry, list) and len(entry) == 2 and all(isinstance(part, str) for part in entry):
                    self.entries[name] = (entry[0], entry[1])

    @classmethod
    def open(cls, folder: Path) -> FileCache:
        home = cache_home()
        return cls(home / "stories" / f"{story_key(folder)}.json" if home is not None else None)

    def get(self, name: str, raw: bytes, digest: str) -> tuple[yamlsrc.Document, str] | None:
        """The cached parse of `raw` (the file's bytes now, whose SHA-256 is `digest`): the document
        (text and marks, no data) and the data as JSON text for the caller to validate; None if
        there is none to trust."""
        entry = self.entries.get(name)
        if entry is None or entry[0] != digest:
            return None
        from . import yamlsrc

        try:
            data, marks = entry[1].split("\n", 1)
            text = raw.removeprefix(b"\xef\xbb\xbf").decode("utf-8")
            found = {tuple(loc): (line, col) for loc, line, col in json.loads(marks)}
            doc = yamlsrc.Document(data=None, text=text, digest=digest, marks=found)
        except (ValueError, TypeError, RecursionError):
            return None
        self.kept[name] = entry
        return doc, data

    def put(self, name: str, doc: yamlsrc.Document) -> None:
        """Remember a file that parsed and validated cleanly: its data and its marks, as two lines of JSON."""
        try:
            data = json.dumps(doc.data, ensure_ascii=False, allow_nan=False)
            marks = json.dumps([[list(loc), line, col] for loc, (line, col) in doc.marks.items()])
        except (TypeError, ValueError):
            return  # not plain JSON data (a date, say): such a file is simply parsed every time
        self.kept[name] = (doc.digest, f"{data}\n{marks}")
        self.changed = True

    def save(self) -> None:
        """Write the entries used or added in this load, if anything changed. Never fails loudly."""
        if self.path is None or not (self.changed or set(self.entries) != set(self.kept)):
            return
        head = json.dumps({"format": FORMAT, "engine": engine_key()})[:-1]
        files = ",".join(f"{json.dumps(name)}:{json.dumps(list(entry))}" for name, entry in self.kept.items())
        with suppress(OSError):
            write_atomic(self.path, f'{head}, "files": {{{files}}}}}')
