"""The play cache: a story compiled before, loaded again in one read without reading its files.

After a clean load from source (`compiler.load_story`), the story's compact form is written to the
user cache folder (`cache.cache_home()`: `play/<story key>.bin`): the kernel's graph as plain data
(`cacheform.py`: each choice's move, conditions and effect blocks written once each, each scene's
model as JSON, its positions and facts), and the stamps (size, times, inode: `storyfiles.stamp`) of story.yaml,
of every scene file and of every folder of the story. A later load whose stamps all match (no file
changed, none added or removed), by the same engine, from the same working folder, is answered from
it: conditions compiled once per distinct text, moves made per scene when play first asks, and a
scene's model and templates made when first shown (`story.SceneTable`). After an edit to some
scene files, only those are read and compiled again, the rest taken from here (`increment.py`).

The cache is never a source of truth. It is one header line of JSON (format, engine, checksum and
size of the rest) and a `marshal` body of plain data (never pickle, never code); anything odd about
it (unreadable, another format or engine, a wrong checksum, a stamp that differs, a shape we did not
write) means the story is loaded from source, and the cache written again. A story whose folder
holds links is not cached; nor is one whose story.yaml changed within `SETTLED_NS` of being read.
A scene file changed that lately is cached without its stamp: the next load reads it again.
"""

from __future__ import annotations

import hashlib
import json
import marshal
import os
import time
import zlib
from collections.abc import Iterator
from contextlib import suppress
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .cache import cache_home, engine_key, story_key, write_atomic
from .cacheform import FORMAT, cache_form, story_from
from .errors import ConditionError
from .storyfiles import STORY_FILE, file_patterns, last_read

if TYPE_CHECKING:
    from .story import Story

SETTLED_NS = 2_000_000_000
"""A file changed this close to the moment it was read may change again within the same
timestamp: a scene file that recent is cached without its stamp (the next load reads it again), a
story.yaml that recent not at all."""


def cache_path(folder: Path) -> Path | None:
    home = cache_home()
    return home / "play" / f"{story_key(folder)}.bin" if home is not None else None


def _where() -> dict[str, Any]:
    """What the cached form depends on beyond the files: where messages are relative to, the file limit."""
    return {"cwd": os.path.realpath(os.getcwd()), "max_files": os.environ.get("CANDID_MAX_FILES", "")}


@dataclass(slots=True)
class Snapshot:
    """Stamps of a story's folders and story.yaml, taken before its files are read: a change
    after this moment shows in the stamps the next load compares."""

    folder: Path
    taken_at: int
    dirs: list[tuple[str, tuple[int, int, int, int]]]
    meta: tuple[int, int, int, int]

    @classmethod
    def take(cls, folder: Path) -> Snapshot | None:
        """None when there is no cache or the folder cannot be vouched for by its stamps (links)."""
        if cache_home() is None:
            return None
        taken_at = time.time_ns()
        try:
            meta = _stamp(os.stat(folder / STORY_FILE))
            dirs = list(_folders(str(folder)))
        except (OSError, ValueError):
            return None
        return cls(folder, taken_at, dirs, meta)


def _folders(root: str) -> Iterator[tuple[str, tuple[int, int, int, int]]]:
    """Every folder of the story with its stamp; ValueError at a link (a link's target may change
    without any stamp here changing)."""
    todo = [root]
    while todo:
        path = todo.pop()
        yield path, _stamp(os.stat(path))
        with os.scandir(path) as entries:
            for entry in entries:
                if entry.is_symlink():
                    raise ValueError(entry.path)
                if entry.is_dir(follow_symlinks=False):
                    todo.append(entry.path)


def save(story: Story, before: Snapshot | None) -> None:
    """Remember a story just compiled from source, if its files did not change while being read.
    Never fails loudly."""
    if before is None:
        return
    read = last_read(story.folder, file_patterns(story.meta))
    if len(read) != len(story.files):
        return
    files = [(path, name, digest, stamped) for path, (name, digest, stamped) in zip(story.files, read, strict=True)]
    content = cache_form(story)
    digest = checked_digest(content)
    story.checked_digest = lambda: digest
    write(story.folder, before, files, content)


def checked_digest(content: dict[str, Any]) -> str:
    """A digest of what `check` reads of a story in cache form: everything but the fingerprint and
    the scenes' models, which only the historical-path rule reads (so they count only in a story
    with a scene labelled historical). The same digest, the same report (`checkcache.py`): an edit
    to a title in a story without history is not checked again."""
    scenes = content["scenes"]
    history = any(scene[8][1] == "historical" for scene in scenes)
    read = scenes if history else [scene[:5] + scene[6:] for scene in scenes]
    parts = [content[key] for key in ("meta", "basics", "var_types", "enums", "fiction", "meta_where", "conditions", "blocks", "enter")]
    # Version 2 writes no back-references, so equal data gives equal bytes whoever made it.
    return hashlib.sha256(marshal.dumps((FORMAT, parts, read, content["story_files"]), 2)).hexdigest()


def write(folder: Path, before: Snapshot, files: list[tuple[str, str, str, str]], content: dict[str, Any]) -> None:
    """Write the cache of the story in `folder`: `files` (path, name in messages, digest and stamp
    as read) and `content`, the story in cache form. Nothing is written if story.yaml changed since
    `before`; a file changed within SETTLED_NS of `before` is written without a stamp, so that the
    next load reads it again (`increment.py`)."""
    path = cache_path(folder)
    if path is None:
        return
    try:
        meta_now = _stamp(os.stat(folder / STORY_FILE))
        meta_digest = hashlib.sha256((folder / STORY_FILE).read_bytes()).hexdigest()
    except OSError:
        return
    if meta_now != before.meta:
        return  # changed while being read
    settled = before.taken_at - SETTLED_NS
    if before.meta[2] >= settled:
        return
    # Each file's stamp as it was read: a file changed since then has another stamp, so the next
    # load reads it again; one changed too lately to be told apart by its stamp is kept without one.
    stamps: list[tuple[str, tuple[int, ...] | None]] = []
    for name, _, _, stamped in files:
        then = tuple(int(part) for part in stamped.split(":")) if stamped else ()
        stamps.append((name, then if len(then) == 4 and then[2] < settled else None))
    dirs = [(name, stamped if stamped[2] < settled else None) for name, stamped in before.dirs]
    body = marshal.dumps(
        {
            **_where(),
            "dirs": dirs,
            "meta_stamp": before.meta,
            "meta_digest": meta_digest,
            "files": stamps,
            "file_names": [(name, digest) for _, name, digest, _ in files],
            **content,
        }
    )
    head = {"format": FORMAT, "engine": engine_key(), "crc": zlib.crc32(body), "size": len(body)}
    with suppress(OSError):
        write_atomic(path, json.dumps(head).encode() + b"\n", body)


def cached_story(folder: Path, data: dict[str, Any]) -> Story:
    """The story cached `data` describes (`cacheform.story_from`), with the digest `check` compares."""
    story = story_from(folder, data)
    story.checked_digest = lambda: checked_digest(data)
    return story


def load_unchanged(folder: Path, data: dict[str, Any]) -> Story | None:
    """The story from cached `data` (`read_data`) if no file, folder or story.yaml changed since."""
    try:
        if not _unchanged(folder, data):
            return None
        return cached_story(folder, data)
    except DOUBTS:
        return None  # not a cache we can vouch for


DOUBTS = (OSError, ValueError, TypeError, KeyError, IndexError, EOFError, AttributeError, RecursionError, ConditionError)
"""What a cache we did not write (or a file changed under it) may raise as it is read."""


def read_data(folder: Path) -> dict[str, Any] | None:
    """The cached data of the story in `folder`, written by this engine for this working folder,
    whatever its stamps say; None when there is none we can vouch for."""
    path = cache_path(folder)
    if path is None:
        return None
    try:
        raw = path.read_bytes()
        end = raw.index(b"\n")
        head, body = json.loads(raw[:end]), memoryview(raw)[end + 1 :]
        if head.get("format") != FORMAT or head.get("engine") != engine_key():
            return None
        if head.get("size") != len(body) or head.get("crc") != zlib.crc32(body):
            return None
        data = marshal.loads(body)
        if not isinstance(data, dict) or any(data[key] != value for key, value in _where().items()):
            return None
        return data
    except DOUBTS:
        return None


def _unchanged(folder: Path, data: dict[str, Any]) -> bool:
    """Whether story.yaml, every folder and every scene file are as cached."""
    if _stamp(os.stat(folder / STORY_FILE)) != data["meta_stamp"]:
        return False
    stat = os.stat
    return all(stamped is not None and _stamp(stat(name)) == stamped for name, stamped in (*data["dirs"], *data["files"]))


def _stamp(info: os.stat_result) -> tuple[int, int, int, int]:
    """`storyfiles.stamp` as a tuple: size, modification and change times, inode."""
    return (info.st_size, info.st_mtime_ns, info.st_ctime_ns, info.st_ino)
