"""Find a story's files, parse them once, validate them into models, collect every error."""

from __future__ import annotations

import difflib
import os
import re
from contextlib import suppress
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ValidationError

from . import yamlsrc
from .cache import FileCache
from .errors import Diagnostic, Severity, StoryError
from .models import Scene, SceneFile, StoryFile, StoryMeta
from .storyfiles import STORY_FILE, builtin_story, display_name, file_patterns, list_files, read_files, resolve_story

MAX_FILES = 200_000
"""Scene files a story may have (`CANDID_MAX_FILES` changes it): refused before any is read."""


def max_files() -> int:
    text = os.environ.get("CANDID_MAX_FILES", "")
    return int(text) if text.isdigit() and int(text) > 0 else MAX_FILES


@dataclass(slots=True)
class SourceScene:
    scene: Scene
    file: str
    doc: yamlsrc.Document
    loc: tuple[str | int, ...]


@dataclass(slots=True)
class StorySource:
    """A story as read from disk: models plus what is needed to point at their source."""

    folder: Path
    meta: StoryMeta
    meta_doc: yamlsrc.Document
    meta_file: str
    scenes: list[SourceScene]
    files: list[str]
    diagnostics: list[Diagnostic] = field(default_factory=list)


def story_files(folder: Path, meta: StoryMeta | None) -> tuple[list[Path], list[str]]:
    """The scene files of a story, sorted, and problems (paths that escape the folder)."""
    return list_files(folder, file_patterns(meta))


def read_source(folder: Path) -> StorySource:
    """Parse and validate every file of the story; raise StoryError with all errors found."""
    diags: list[Diagnostic] = []
    story_path = folder / STORY_FILE
    meta_file = display_name(story_path)
    if not folder.is_dir():
        problem = "not a folder: give the story folder or its story.yaml" if folder.exists() else "no such story folder"
        raise StoryError([_diag(display_name(folder), 0, 0, "no-story", problem)])
    if not story_path.is_file():
        raise StoryError([_diag(meta_file, 0, 0, "no-story", f"no {STORY_FILE} in this folder")])
    meta: StoryMeta | None = None
    meta_doc: yamlsrc.Document | None = None
    try:
        meta_doc = yamlsrc.parse(story_path)
        parsed = _validate(StoryFile, meta_doc, meta_file, diags)
        meta = parsed.story if isinstance(parsed, StoryFile) else None
    except yamlsrc.YamlProblems as exc:
        diags += [_diag(meta_file, p.line, p.col, p.code, p.message) for p in exc.problems]
    limit = max_files()
    read, problems = read_files(folder, file_patterns(meta), limit)
    diags += [_diag(meta_file, 1, 1, "path", p) for p in problems]
    if len(read) > limit:
        message = f"{len(read)} scene files; the limit is {limit} (set CANDID_MAX_FILES to raise it)"
        raise StoryError([*diags, _diag(meta_file, 1, 1, "too-many-files", message)])
    files = [f.path for f in read]
    scenes: list[SourceScene] = []
    cached = FileCache.open(folder)
    for file in read:
        name = file.name
        try:
            if file.raw is None:
                raise yamlsrc.YamlProblems([yamlsrc.Problem(1, 1, file.problem, file.code)])
            hit = cached.get(name, file.raw, file.digest)
            doc, parsed = (hit[0], _trusted(SceneFile, hit[1])) if hit is not None else (None, None)
            if doc is None or parsed is None:
                doc = yamlsrc.parse_bytes(file.raw, file.digest)
                parsed = _validate(SceneFile, doc, name, diags)
                if parsed is not None:
                    cached.put(name, doc)
        except yamlsrc.YamlProblems as exc:
            diags += [_diag(name, p.line, p.col, p.code, p.message) for p in exc.problems]
            continue
        file.raw = None
        # The models hold what is needed now (for a large story this halves the peak); a later
        # error that names a scene or a choice by its id reads the text again (`path_in`).
        doc.data = None
        if isinstance(parsed, SceneFile):
            scenes += [SourceScene(s, name, doc, ("scenes", i)) for i, s in enumerate(parsed.scenes)]
    if not diags:
        cached.save()
    if not files and meta is not None:
        diags.append(_diag(meta_file, 1, 1, "no-scenes", "the story has no scene files"))
    if diags or meta is None or meta_doc is None:
        raise StoryError(diags)
    return StorySource(folder, meta, meta_doc, meta_file, scenes, files)


# For a story of 10,000 files, pathlib's resolve() and relative_to() cost more than the parsing:
# these do the same on strings, with one system call per file and one realpath per folder.


def _diag(file: str, line: int, col: int, code: str, message: str) -> Diagnostic:
    return Diagnostic(file, line, col, Severity.ERROR, code, message)


def _validate(model: type[BaseModel], doc: yamlsrc.Document, file: str, diags: list[Diagnostic]) -> BaseModel | None:
    try:
        return model.model_validate(doc.data)
    except ValidationError as exc:
        diags += _explain(exc, doc, file, model)
    except (ValueError, TypeError, RecursionError) as exc:
        diags.append(_diag(file, 1, 1, "invalid", f"cannot read this file: {exc}"))
    return None


def _trusted(model: type[BaseModel], data_json: str) -> BaseModel | None:
    """Cached data validated again (it is only a file in the user's cache folder): pydantic reads
    the JSON text itself, much faster than building Python data first. None on any doubt."""
    try:
        return model.model_validate_json(data_json)
    except (ValidationError, ValueError, TypeError, RecursionError):
        return None


def _explain(exc: ValidationError, doc: yamlsrc.Document, file: str, model: type[BaseModel]) -> list[Diagnostic]:
    """Turn pydantic's errors into positioned diagnostics, dropping the noise of union branches."""
    errors = exc.errors(include_url=False)
    result: list[Diagnostic] = []
    seen: set[tuple[int, int, str]] = set()
    # Deeper errors explain shallower ones (a bad passage also fails the "text is a string" branch).
    deepest = _drop_shallow(errors)
    # Where text was acceptable, an unquoted value that YAML read as something else is the whole story.
    wants_text = {_clean_loc(tuple(e["loc"])) for e in deepest if e["type"] == "string_type"}
    # A misspelt key also leaves its field missing; the did-you-mean on the key says both.
    misspelt: set[tuple[Any, ...]] = set()
    for err in deepest:
        loc = tuple(err["loc"])
        if err["type"] == "extra_forbidden":
            close = difflib.get_close_matches(str(loc[-1]), _known_keys(model, loc[:-1]), n=1)
            if close:
                misspelt.add(_clean_loc((*loc[:-1], close[0])))
    for err in deepest:
        loc = tuple(err["loc"])
        path = _path_text(loc, doc.data)
        if err["type"] == "missing" and _clean_loc(loc) in misspelt:
            continue
        if err["type"] == "extra_forbidden":
            key = str(loc[-1])
            node = doc.key_at(loc[:-1], key) or doc.node_at(loc[:-1])
            known = _known_keys(model, loc[:-1])
            close = difflib.get_close_matches(key, known, n=1)
            hint = f" (did you mean `{close[0]}`?)" if close else (f"; allowed: {', '.join(known)}" if known else "")
            message = f"{_path_text(loc[:-1], doc.data) + ': ' if loc[:-1] else ''}unknown key `{key}`{hint}"
            code = "unknown-key"
        else:
            node = doc.node_at(loc)
            if loc[-1:] == ("[key]",):
                # A key YAML read as a non-string (`no:`, `true:`): point at the key, name the mapping.
                node = doc.key_at(loc[:-2], loc[-2]) or node
                path = _path_text(loc[:-2], doc.data)
            surprise = doc.surprise_of(node) if _clean_loc(loc) in wants_text else None
            message = f"{path + ': ' if path else ''}{surprise or _clean(err['msg'])}"
            code = "yaml-surprise" if surprise else "invalid"
        line, col = yamlsrc.mark_of(node)
        if (line, col, message) in seen:
            continue
        seen.add((line, col, message))
        result.append(_diag(file, line, col, code, message))
    return result


def _clean_loc(loc: tuple[Any, ...]) -> tuple[Any, ...]:
    """A pydantic location without its union-branch parts: the path in the file."""
    return tuple(p for p in loc if isinstance(p, int) or not _is_branch_tag(p))


def _drop_shallow(errors: list[Any]) -> list[Any]:
    cleaned = [_clean_loc(tuple(e["loc"])) for e in errors]
    # A validator's own complaint about a place beats another union branch's "should be a string" there.
    judged = {loc for e, loc in zip(errors, cleaned, strict=True) if e["type"] == "value_error"}
    kept = []
    for err, loc in zip(errors, cleaned, strict=True):
        deeper = any(other != loc and other[: len(loc)] == loc for other in cleaned)
        outvoted = err["type"].endswith("_type") and loc in judged
        if not deeper and not outvoted:
            kept.append(err)
    return kept


def _is_branch_tag(part: str) -> bool:
    return any(ch in part for ch in "[]()") or part[:1].isupper() or part in {"str", "int", "bool", "constrained-str"}


_ID = re.compile(r"[a-z][a-z0-9_]*")


def path_in(doc: yamlsrc.Document, loc: tuple[Any, ...]) -> str:
    """`_path_text` for a file already loaded, whose data was let go: parsed again from its text
    (this only happens on the way to reporting an error)."""
    data = doc.data
    if data is None:
        with suppress(yamlsrc.YamlProblems):
            data = yamlsrc.parse_bytes(doc.text.encode("utf-8")).data
    return _path_text(loc, data)


def _path_text(loc: tuple[Any, ...], data: Any = None) -> str:
    """`scenes[cellar].choices[shelf].if`: a place in a file, a scene or choice named by its id
    when it has one (an author looks for `cellar`, not for the 26th scene), else by its number."""
    parts: list[str] = []
    for p in loc:
        if isinstance(p, int):
            item = data[p] if isinstance(data, list) and 0 <= p < len(data) else None
            ident = item.get("id") if isinstance(item, dict) else None
            parts.append(f"[{ident}]" if isinstance(ident, str) and _ID.fullmatch(ident) else f"[{p}]")
            data = item
        elif not _is_branch_tag(p):
            parts.append(("." if parts else "") + p)
            data = data.get(p) if isinstance(data, dict) else None
    return "".join(parts)


def _clean(msg: str) -> str:
    msg = re.sub(r" or instance of \w+", "", msg)
    return msg.replace("Value error, ", "").replace("Input should be", "should be")


def _known_keys(model: type[BaseModel], loc: tuple[Any, ...]) -> list[str]:
    """Field names allowed at `loc`, found by following the model's annotations."""
    current: Any = model
    for part in loc:
        if isinstance(part, int) or _is_branch_tag(part):
            continue
        fields = getattr(current, "model_fields", None)
        if not fields:
            return []
        match = next((f for n, f in fields.items() if (f.alias or n) == part), None)
        if match is None:
            return []
        current = _inner_model(match.annotation)
    fields = getattr(current, "model_fields", None) or {}
    return [f.alias or n for n, f in fields.items()]


def _inner_model(annotation: Any) -> Any:
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation
    for arg in getattr(annotation, "__args__", ()) or ():
        found = _inner_model(arg)
        if found is not None:
            return found
    return None


__all__ = ["StorySource", "builtin_story", "read_source", "resolve_story"]
