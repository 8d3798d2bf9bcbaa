"""`candid translate`: the files a translator fills in, for a new language or for what is still missing.

New files are skeletons (`translations.skeleton_text`). An existing file is never rewritten: the
entries it lacks are inserted as text at the end of their scene's block (or, for a scene it does
not have yet, at the end of the file), so every translated entry, comment and line stays as it was.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from . import yamlsrc
from .errors import CandidError
from .loader import read_source
from .localize import relative
from .saves import atomic_write
from .translations import STORY_KEY, TRANSLATIONS, scene_strings, skeleton_text, story_strings

LANG_PATTERN = re.compile(r"^[a-z]{2,3}(_[A-Z]{2})?$")


@dataclass(frozen=True, slots=True)
class Written:
    path: Path
    entries: int
    created: bool


def strings_by_file(folder: Path) -> dict[str, dict[str, dict[str, str]]]:
    """Source file (inside the story folder) → scene id → key → English."""
    source = read_source(folder)
    result: dict[str, dict[str, dict[str, str]]] = {relative(folder, source.meta_file): {STORY_KEY: dict(story_strings(source.meta))}}
    for item in source.scenes:
        result.setdefault(relative(folder, item.file), {})[item.scene.id] = dict(scene_strings(item.scene))
    return result


def write_translation(folder: Path, lang: str, *, missing: bool) -> list[Written]:
    """Write the skeleton of `lang` (refusing if it has files, unless `missing`), or the entries still missing."""
    if not LANG_PATTERN.match(lang):
        raise CandidError(f"--lang {lang!r}: give a language code such as de, fr or pt_BR")
    base = folder / TRANSLATIONS / lang
    if not missing and base.is_dir() and any(base.glob("**/*.yaml")):
        raise CandidError(f"{base} already has translation files; add --missing to write only the entries they lack")
    written = []
    for rel, scenes in strings_by_file(folder).items():
        path = base / rel
        if not path.exists():
            text = skeleton_text(rel, scenes, lang)
            atomic_write(path, text.encode("utf-8"))
            written.append(Written(path, sum(len(s) for s in scenes.values()), True))
            continue
        added = _add_missing(path, rel, scenes, lang)
        if added:
            written.append(Written(path, added, False))
    return written


def _add_missing(path: Path, rel: str, scenes: dict[str, dict[str, str]], lang: str) -> int:
    try:
        doc = yamlsrc.parse(path)
    except yamlsrc.YamlProblems as exc:
        problem = exc.problems[0]
        raise CandidError(f"{path}:{problem.line}:{problem.col}: {problem.message} (fix it before adding entries)") from None
    data = doc.data if isinstance(doc.data, dict) else {}
    done: dict[str, dict[str, object]] = {sid: dict(v) for sid, v in data.items() if isinstance(v, dict)}
    lines = doc.text.splitlines()
    starts = sorted(_key_line(doc, sid) for sid in data)
    inserts: list[tuple[int, list[str]]] = []
    tail: list[str] = []
    count = 0
    for scene_id, strings in scenes.items():
        todo = {k: v for k, v in strings.items() if k not in done.get(scene_id, {})}
        if not todo:
            continue
        count += len(todo)
        block = skeleton_text(rel, {scene_id: todo}, lang).splitlines()[2:]
        if scene_id not in data:
            tail += block
            continue
        start = _key_line(doc, scene_id)
        end = next((s for s in starts if s > start), len(lines))
        while end > start + 1 and not lines[end - 1].strip():
            end -= 1
        inserts.append((end, block[1:]))
    for at, block in sorted(inserts, reverse=True):
        lines[at:at] = block
    if count:
        atomic_write(path, ("\n".join(lines + tail) + "\n").encode("utf-8"))
    return count


def _key_line(doc: yamlsrc.Document, scene_id: str) -> int:
    """The 0-based line of a scene's key at the top of a translation file."""
    node = doc.key_at((), scene_id)
    return node.start_mark.line if node is not None else 0


__all__ = ["Written", "strings_by_file", "write_translation"]
