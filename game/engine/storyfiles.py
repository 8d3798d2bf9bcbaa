"""Where a story's files are: the story folder, its scene files, and their names in messages.

Kept apart from the loader so that `check` on an unchanged story (answered from the cache) can
list and hash the files without importing pydantic or the models.
"""

from __future__ import annotations

import importlib.resources
import os
import stat
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from .models import StoryMeta

STORY_FILE = "story.yaml"


def bundled(name: str) -> Path:
    """A top-level folder of the product (`scenes`, `assets`): at the top of the repository in a
    checkout, `game/<name>` when installed (pyproject.toml maps one to the other). The one place
    either is looked for."""
    checkout = Path(__file__).resolve().parents[2] / name
    if checkout.is_dir():
        return checkout
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


def list_files(folder: Path, patterns: list[str]) -> tuple[list[Path], list[str]]:
    root = str(folder.resolve())
    # Translation files sit beside the scenes (`translations/<lang>/…`) but are not scenes.
    translations = ("" if str(folder) == "." else str(folder) + os.sep) + "translations" + os.sep
    found: dict[str, Path] = {}
    problems: list[str] = []
    folders: dict[str, str] = {}
    for pattern in patterns:
        if Path(pattern).is_absolute() or ".." in Path(pattern).parts:
            problems.append(f"`files` entry {pattern!r} points outside the story folder")
            continue
        try:
            matches = list(folder.glob(pattern)) if Path(pattern).parts else None
        except (ValueError, IndexError, AttributeError, NotImplementedError):
            matches = None  # the standard library's glob rejects some patterns in odd ways
        if matches is None:
            problems.append(f"`files` entry {pattern!r} is not a file pattern (try 'scenes/*.yaml' or '**/*.yaml')")
            continue
        for path in matches:
            text = str(path)
            if text.startswith(translations):
                continue
            resolved, is_file = _resolve(text, folders)
            if _relative(resolved, root) is None:
                problems.append(f"{path} points outside the story folder")
                continue
            name = path.name
            if is_file and name != STORY_FILE and not name.startswith("."):
                found[text] = path
    return sorted(found.values(), key=lambda p: p.parts), problems


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
