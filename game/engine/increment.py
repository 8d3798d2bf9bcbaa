"""A story loaded after an edit: only the scene files that changed are read, parsed, validated and
compiled; every other scene comes from the play cache as it was.

`compiler.load_story` asks here when the play cache no longer matches the files (`playcache.py`).
The edit is taken in only when the result is certain to be what a whole compile would give:
story.yaml unchanged, no scene or choice removed or renamed (an unchanged scene may name it), no
duplicate id, the story still fiction or still a docudrama, and the changed files clean. Anything
else (or any doubt about the cache) answers None, and the story is read and compiled whole, which
reports what is wrong. `check` then gives its remembered report if nothing any rule reads has
changed (`playcache.checked_digest`); else its whole-story passes run over every scene's cached
facts (`story.Facts`) and the graph, and the coverage search is reused when what it reads is
unchanged (`searchcache.py`).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from . import playcache, yamlsrc
from .cacheform import Tables
from .playcache import DOUBTS, Snapshot
from .story import Story
from .storyfiles import file_patterns, fingerprint, read, relisted, remember

if TYPE_CHECKING:
    from .models import SceneFile, StoryMeta

_CONTENT = ("meta", "basics", "var_types", "enums", "fiction", "meta_where")
"""What the cache keeps of story.yaml (which an edit here never changes)."""


@dataclass(slots=True)
class _Edit:
    """The story's files now: for each, its cached scenes (unchanged) or its new scenes (changed)."""

    files: list[tuple[str, str, str, str]] = field(default_factory=list)
    """(path, name in messages, digest, stamp) of every scene file, in the story's order."""
    parts: list[tuple[str, list[Any] | None, SceneFile | None, yamlsrc.Document | None]] = field(default_factory=list)
    """(name, its cached scenes or None, its new models and document or None), in the story's order."""


def load_edited(folder: Path, before: Snapshot, data: dict[str, Any]) -> Story | None:
    """The story in `folder` from its cached `data` (`playcache.read_data`) with the scene files
    changed since compiled again, or None when only a whole compile can say (see the module's doc)."""
    try:
        return _load(folder, before, data)
    except (*DOUBTS, yamlsrc.YamlProblems):
        return None


def _load(folder: Path, before: Snapshot, data: dict[str, Any]) -> Story | None:
    from .models import StoryMeta

    if before.meta != tuple(data["meta_stamp"]):
        return None  # story.yaml changed: it bears on every scene
    meta = StoryMeta.model_validate_json(data["meta"])
    patterns = file_patterns(meta)
    edit = _edit(folder, patterns, data)
    if edit is None:
        return None
    content = _compile(meta, data, edit)
    if content is None:
        return None
    content["fingerprint"] = fingerprint(data["meta_digest"], ((name, digest) for _, name, digest, _ in edit.files))
    content["story_files"] = [path for path, _, _, _ in edit.files]
    remember(folder, patterns, [(name, digest, stamped) for _, name, digest, stamped in edit.files])
    playcache.write(folder, before, edit.files, content)
    return playcache.cached_story(folder, {**data, **content})


def _edit(folder: Path, patterns: list[str], data: dict[str, Any]) -> _Edit | None:
    """Which files changed since the cache was written: each listed once and stamped; only those
    whose stamp differs (or was not settled) are read and hashed, and those whose bytes differ
    parsed and validated."""
    from pydantic import ValidationError

    from .loader import max_files
    from .models import SceneFile

    files, problems = relisted(folder, patterns)
    if problems or len(files) > max_files():
        return None
    cached = {path: (stamped, name, digest) for (path, stamped), (name, digest) in zip(data["files"], data["file_names"], strict=True)}
    by_file: dict[str, list[Any]] = {}
    for scene in data["scenes"]:
        by_file.setdefault(scene[1], []).append(scene)
    edit = _Edit()
    for file in files:
        known = cached.get(file.path)
        if known is not None and known[1] != file.name:
            known = None  # named otherwise in messages: taken as a new file
        if known is not None and known[0] is not None and file.stamp == _text(known[0]):
            edit.files.append((file.path, file.name, known[2], file.stamp))
            edit.parts.append((file.name, by_file.get(file.name, []), None, None))
            continue
        if file.raw is None:
            read(file)
        if file.raw is None:
            return None  # unreadable: the whole load says so
        edit.files.append((file.path, file.name, file.digest, file.stamp))
        if known is not None and known[2] == file.digest:
            edit.parts.append((file.name, by_file.get(file.name, []), None, None))  # touched, not changed
            continue
        doc = yamlsrc.parse_bytes(file.raw, file.digest)
        file.raw = None
        try:
            parsed = SceneFile.model_validate(doc.data)
        except (ValidationError, ValueError, TypeError):
            return None
        doc.data = None
        edit.parts.append((file.name, None, parsed, doc))
    return edit


def _compile(meta: StoryMeta, data: dict[str, Any], edit: _Edit) -> dict[str, Any] | None:
    """The story's content in cache form, the changed files' scenes compiled against every id and
    choice of the story; None where a whole compile is needed to say what is wrong."""
    from .compiling import compile_scenes, is_docudrama, scene_facts
    from .loader import SourceScene

    ids: set[str] = set()
    keys: set[str] = set()
    fresh: list[SourceScene] = []
    docudrama = False
    for name, cached, parsed, doc in edit.parts:
        if cached is not None:
            for scene in cached:
                if scene[0] in ids:
                    return None  # a duplicate id
                ids.add(scene[0])
                keys.update(f"{scene[0]}.{move[0]}" for move in scene[7])
                docudrama = docudrama or bool(scene[8][3])
            continue
        assert parsed is not None and doc is not None
        for i, model in enumerate(parsed.scenes):
            if model.id in ids:
                return None  # a duplicate id
            ids.add(model.id)
            keys.update(f"{model.id}.{c.id}" for c in model.choices)
            docudrama = docudrama or is_docudrama(model)
            fresh.append(SourceScene(model, name, doc, ("scenes", i)))
    scenes_before = data["scenes"]
    if not {s[0] for s in scenes_before} <= ids or not {f"{s[0]}.{m[0]}" for s in scenes_before for m in s[7]} <= keys:
        return None  # a scene or a choice is gone: an unchanged scene may still name it
    fiction = not meta.historical_paths and not docudrama
    if fiction != bool(data["fiction"]) or (not fiction and any(item.scene.label is None for item in fresh)):
        return None
    made = compile_scenes(meta, ids, keys, fresh)
    if made is None:
        return None
    compiled, arrivals = made
    tables = Tables(list(data["conditions"]), list(data["blocks"]))
    scenes: list[Any] = []
    enter: dict[str, tuple[int, ...]] = {}
    was_entered = data["enter"]
    for _, cached, parsed, _ in edit.parts:
        if cached is not None:
            scenes += cached
            enter.update((s[0], was_entered[s[0]]) for s in cached if s[0] in was_entered)
            continue
        assert parsed is not None
        for model in parsed.scenes:
            scene = compiled[model.id]
            scenes.append(tables.scene(model.id, scene.choices, scene_facts(scene), model))
            if model.id in arrivals:
                enter[model.id] = tuple(tables.block(b) for b in arrivals[model.id])
    tables_now = {"conditions": tables.conditions, "blocks": tables.blocks, "enter": enter, "scenes": scenes}
    return {key: data[key] for key in _CONTENT} | tables_now


def _text(stamped: Any) -> str:
    """A cached stamp (a tuple) as `storyfiles.stamp` writes it."""
    return ":".join(str(part) for part in stamped)
