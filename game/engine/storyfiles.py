"""Where a story's files are: the story folder, its scene files, and their names in messages.

Kept apart from the loader so that `check` on an unchanged story (answered from the cache) can
list and hash the files without importing pydantic or the models.
"""

from __future__ import annotations

import fnmatch
import hashlib
import os
import re
import stat
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from .models import StoryMeta

STORY_FILE = "story.yaml"

MAX_FILE_BYTES = 1024 * 1024
"""Scene files bigger than this are refused: no story needs one, and it bounds parse time. Here
rather than beside the parser so that `check` on an unchanged story never imports YAML."""


def bundled(name: str) -> Path:
    """A top-level folder of the product (`scenes`, `assets`): at the top of the repository in a
    checkout, `game/<name>` when installed (pyproject.toml maps one to the other). The one place
    either is looked for."""
    checkout = Path(__file__).resolve().parents[2] / name
    if checkout.is_dir():
        return checkout
    import importlib.resources  # only when installed, not in a checkout

    return Path(str(importlib.resources.files("game") / name))


def builtin_story() -> Path:
    """The built-in story, `scenes/`."""
    return bundled("scenes")


def resolve_story(arg: str | Path | None) -> Path:
    """A story argument: nothing (built-in), a folder with story.yaml, or the story.yaml itself."""
    if arg is None:
        return builtin_story()
    path = Path(arg)
    if path.is_file() and path.name == STORY_FILE:
        return path.parent
    return path


def display_name(path: Path) -> str:
    """Paths in messages: relative to the working folder when inside it, so they stay short."""
    try:
        return str(path.resolve().relative_to(Path.cwd().resolve()))
    except ValueError:
        return str(path)


def file_patterns(meta: StoryMeta | None) -> list[str]:
    return meta.files if meta and meta.files else ["**/*.yaml", "**/*.yml"]


@dataclass(slots=True)
class SourceFile:
    """One scene file as read for this load: read once and hashed once, whoever asks."""

    path: str
    name: str
    """Its name in messages (see `display_name`)."""
    raw: bytes | None = None
    digest: str = ""
    """SHA-256 of `raw`."""
    problem: str = ""
    """Why it could not be read ("" when it was)."""
    code: str = ""
    stamp: str = ""
    """Size, modification and change times and inode when it was read (see `stamp`)."""


def fingerprint(meta_digest: str, files: Iterable[tuple[str, str]]) -> str:
    """A story's fingerprint (`Story.fingerprint`): a digest of story.yaml's SHA-256 and of each
    scene file's name in messages and SHA-256. Every load makes it here, whichever way it reads."""
    digest = hashlib.sha256(meta_digest.encode())
    for name, file_digest in sorted(set(files)):
        digest.update(f"{name}\0{file_digest}\0".encode())
    return digest.hexdigest()[:16]


def list_files(folder: Path, patterns: list[str]) -> tuple[list[Path], list[str]]:
    """The story's scene files, sorted, and problems (paths that escape the folder)."""
    found, problems = _listing(folder, patterns)
    return [folder / rel for rel, _ in found], problems


def read_files(folder: Path, patterns: list[str], limit: int | None = None) -> tuple[list[SourceFile], list[str]]:
    """Every scene file named by `patterns`, with its name in messages, bytes and digest: one
    directory listing per folder, one open and one read per file. Over `limit` files, none is read."""
    key = (str(folder), tuple(patterns))
    ready = _read_all(folder, patterns, limit)
    _LAST[key] = [(f.name, f.digest, f.stamp) for f in ready[0] if f.digest]
    return ready


def last_read(folder: Path, patterns: list[str]) -> list[tuple[str, str, str]]:
    """(name, digest, stamp) of each file the last `read_files` of this folder and patterns read: what a
    report made from that load describes."""
    return _LAST.get((str(folder), tuple(patterns)), [])


def remember(folder: Path, patterns: list[str], read: list[tuple[str, str, str]]) -> None:
    """Record (name, digest, stamp) of each file a load that did not go through `read_files` used
    (`increment.py`): what `last_read` then gives."""
    _LAST[(str(folder), tuple(patterns))] = read


def listed(folder: Path, patterns: list[str]) -> tuple[list[SourceFile], list[str]]:
    """The story's files named and stamped but not read (a file that cannot be stamped has no stamp)."""
    files, problems = _read_all(folder, patterns, None, read=False)
    for file in files:
        try:
            info = os.stat(file.path)
        except OSError:
            continue
        file.stamp = f"{info.st_size}:{info.st_mtime_ns}:{info.st_ctime_ns}:{info.st_ino}"  # `stamp`, written out
    return files, problems


def hand_on(folder: Path, patterns: list[str], listing: tuple[list[SourceFile], list[str]] | None) -> None:
    """Hand a listing just made (`listed`) to the next `relisted` of the same folder and patterns,
    so that a `check` whose remembered report no longer matches does not list the story twice;
    None withdraws it."""
    _HANDED.clear()
    if listing is not None:
        _HANDED[(str(folder), tuple(patterns))] = listing


def relisted(folder: Path, patterns: list[str]) -> tuple[list[SourceFile], list[str]]:
    """`listed`, or the listing handed on (`hand_on`) a moment ago."""
    return _HANDED.pop((str(folder), tuple(patterns)), None) or listed(folder, patterns)


def read(file: SourceFile) -> SourceFile:
    """Read and hash a file `listed` gave."""
    return _read(file)


def stamp(info: os.stat_result) -> str:
    """What changes whenever a file's contents do, short of deliberate forgery: its size, its
    modification and change times (the change time cannot be set back by any tool) and its inode."""
    return f"{info.st_size}:{info.st_mtime_ns}:{info.st_ctime_ns}:{info.st_ino}"


def _read_all(folder: Path, patterns: list[str], limit: int | None, read: bool = True) -> tuple[list[SourceFile], list[str]]:
    found, problems = _listing(folder, patterns)
    over = not read or (limit is not None and len(found) > limit)
    cwd = os.path.realpath(os.getcwd())
    root = os.path.realpath(folder)
    inside = _relative(root, cwd)
    prefix = str(folder) if inside is None else ("" if inside == "." else inside)
    prefix = prefix + os.sep if prefix else ""
    base = os.path.join(str(folder), "")
    files = []
    for rel, real in found:
        # A link is named by where it leads, as `display_name` names it.
        name = (_relative(real, cwd) or real) if real is not None else prefix + rel
        file = SourceFile(base + rel, name)
        files.append(file if over else _read(file))
    return files, problems


_TRANSLATIONS = "translations" + os.sep
_LAST: dict[tuple[str, tuple[str, ...]], list[tuple[str, str, str]]] = {}
_HANDED: dict[tuple[str, tuple[str, ...]], tuple[list[SourceFile], list[str]]] = {}


def _read(file: SourceFile) -> SourceFile:
    try:
        with open(file.path, "rb") as handle:
            file.stamp = stamp(os.fstat(handle.fileno()))
            raw = handle.read(MAX_FILE_BYTES + 1)
    except OSError as exc:
        file.problem, file.code = f"cannot read file: {exc.strerror or exc}", "io"
        return file
    if len(raw) > MAX_FILE_BYTES:
        file.problem, file.code = f"file is over {MAX_FILE_BYTES} bytes; the limit is {MAX_FILE_BYTES}", "too-large"
        return file
    file.raw, file.digest = raw, hashlib.sha256(raw).hexdigest()
    return file


def _listing(folder: Path, patterns: list[str]) -> tuple[list[tuple[str, str | None]], list[str]]:
    """(path relative to `folder`, resolved path if it is a link) of each matching file, sorted.

    Directory listings are shared by all patterns. `**` does not descend into linked folders
    (as pathlib's glob); a linked file is followed, and refused if it leads outside the folder."""
    root = os.path.realpath(folder)
    problems: list[str] = []
    listings: dict[str, list[os.DirEntry[str]]] = {}
    found: dict[str, str | None] = {}
    for pattern in patterns:
        parts = PurePosixPath(pattern).parts
        if PurePosixPath(pattern).is_absolute() or ".." in parts:
            problems.append(f"`files` entry {pattern!r} points outside the story folder")
            continue
        steps = [p for p in parts if p != "."]
        if not steps or any("**" in p and p != "**" for p in steps):
            problems.append(f"`files` entry {pattern!r} is not a file pattern (try 'scenes/*.yaml' or '**/*.yaml')")
            continue
        for rel, entry in _match(str(folder), "", steps, listings):
            name = entry.name
            # Translation files sit beside the scenes (`translations/<lang>/…`) but are not scenes.
            if name == STORY_FILE or name.startswith(".") or rel in found or rel.startswith(_TRANSLATIONS):
                continue
            if entry.is_symlink():
                real = os.path.realpath(entry.path)
                if _relative(real, root) is None:
                    problems.append(f"{os.path.join(folder, rel)} points outside the story folder")
                    continue
                if os.path.isfile(real):
                    found[rel] = real
            elif entry.is_file(follow_symlinks=False):
                found[rel] = None
    # Sorted folder by folder: no file name holds a NUL, so it sorts before any other character.
    return sorted(found.items(), key=lambda item: item[0].replace(os.sep, "\0")), problems


def _match(base: str, rel: str, parts: list[str], listings: dict[str, list[os.DirEntry[str]]]) -> Iterator[tuple[str, os.DirEntry[str]]]:
    """Entries under `base/rel` matching the glob `parts`, with their paths relative to `base`."""
    if not parts:
        return
    head, rest = parts[0], parts[1:]
    if head == "**" and len(rest) == 1 and "**" not in rest[0]:
        # The usual `**/*.yaml`: one walk down the folders, each name matched once.
        matches = re.compile(fnmatch.translate(rest[0])).match
        folders = [rel]
        while folders:
            here = folders.pop()
            for entry in _entries(base, here, listings):
                name = entry.name
                path = here + os.sep + name if here else name
                if matches(name):
                    yield path, entry
                if entry.is_dir(follow_symlinks=False):
                    folders.append(path)
        return
    if head == "**":
        yield from _match(base, rel, rest, listings)
        for entry in _entries(base, rel, listings):
            if entry.is_dir(follow_symlinks=False):
                yield from _match(base, os.path.join(rel, entry.name) if rel else entry.name, parts, listings)
        return
    for entry in _entries(base, rel, listings):
        if not fnmatch.fnmatchcase(entry.name, head):
            continue
        path = os.path.join(rel, entry.name) if rel else entry.name
        if rest:
            if entry.is_dir():
                yield from _match(base, path, rest, listings)
        else:
            yield path, entry


def _entries(base: str, rel: str, listings: dict[str, list[os.DirEntry[str]]]) -> list[os.DirEntry[str]]:
    known = listings.get(rel)
    if known is None:
        try:
            with os.scandir(os.path.join(base, rel) if rel else base) as it:
                known = listings[rel] = list(it)
        except OSError:
            known = listings[rel] = []
    return known


def display_names(files: list[Path]) -> list[str]:
    """`display_name` of each file, with each folder resolved once."""
    cwd = str(Path.cwd().resolve())
    folders: dict[str, str] = {}
    names = []
    for path in files:
        text = str(path)
        inside = _relative(_resolve(text, folders)[0], cwd)
        names.append(text if inside is None else inside)
    return names


def _resolve(path: str, folders: dict[str, str]) -> tuple[str, bool]:
    """`realpath(path)` and whether it is a regular file. Links are followed as they are."""
    try:
        mode = os.lstat(path).st_mode
    except OSError:
        return os.path.realpath(path), False
    if stat.S_ISLNK(mode):
        return os.path.realpath(path), os.path.isfile(path)
    parent, name = os.path.split(path)
    real = folders.get(parent)
    if real is None:
        real = folders[parent] = os.path.realpath(parent or ".")
    return os.path.join(real, name), stat.S_ISREG(mode)


def _relative(path: str, base: str) -> str | None:
    """`path` relative to the folder `base` (both absolute and resolved), or None if outside it."""
    if path == base:
        return "."
    prefix = base if base.endswith(os.sep) else base + os.sep
    return path[len(prefix) :] if path.startswith(prefix) else None
