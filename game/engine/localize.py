"""A story in another language: its translation files applied to the source, and what they lack.

A translation only ever replaces words. The models read from the English files get their
player-facing strings swapped (by the keys of `translations.py`); ids, conditions, effects and the
story's fingerprint stay the source's, so saves and recorded paths are the same in every language.
An entry that is missing, empty or stale (its `hash` is not the hash of the English any more)
falls back to the English, and is reported. A translated text that breaks the text language, or
whose `{if}`/`{var}` tags differ from the English, is an error at its place in the translation file.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

from pydantic import BaseModel

from . import yamlsrc
from .errors import ConditionError, Diagnostic, Severity, StoryError
from .loader import StorySource, read_source
from .models import Scene, StoryMeta
from .storyfiles import display_name, resolve_story
from .textlang import compile_template, tag_shape
from .translations import STORY_KEY, TRANSLATIONS, scene_strings, source_hash, story_strings

if TYPE_CHECKING:
    from .compiler import Story

M = TypeVar("M", bound=BaseModel)


def is_template(key: str) -> bool:
    """Whether a key's text is in the text language (tags and emphasis): passages, choices, locks, replies, epilogues."""
    if key.startswith("choice.") and key.endswith(".note"):
        return False
    return key == "ending.epilogue" or key.split(".")[0] in ("text", "choice")


@dataclass(frozen=True, slots=True)
class Entry:
    """One translated string as read, with where it is written."""

    text: str
    hash: str
    file: str
    line: int
    col: int


@dataclass(slots=True)
class Audit:
    """How complete one language's translation is."""

    lang: str
    total: int = 0
    translated: int = 0
    missing: list[Diagnostic] = field(default_factory=list)
    stale: list[Diagnostic] = field(default_factory=list)
    problems: list[Diagnostic] = field(default_factory=list)
    """Errors (unreadable files, broken templates) and warnings (entries for strings that do not exist)."""

    @property
    def fallbacks(self) -> int:
        """Strings shown in the source language instead."""
        return self.total - self.translated

    @property
    def diagnostics(self) -> list[Diagnostic]:
        return sorted([*self.problems, *self.missing, *self.stale], key=lambda d: (d.file, d.line, d.col))

    @property
    def errors(self) -> list[Diagnostic]:
        return [d for d in self.problems if d.severity is Severity.ERROR]


def languages(folder: Path) -> list[str]:
    """The languages a story has translation files for (folder names under `translations/`)."""
    root = folder / TRANSLATIONS
    if not root.is_dir():
        return []
    return sorted(p.name for p in root.iterdir() if p.is_dir() and not p.name.startswith(".") and any(p.glob("**/*.yaml")))


def relative(folder: Path, file: str) -> str:
    """A scene file's path inside the story folder: the path of its translation file under `translations/<lang>/`."""
    path = Path(file)
    try:
        return path.resolve().relative_to(folder.resolve()).as_posix()
    except ValueError:
        return path.name


def read_entries(folder: Path, lang: str, audit: Audit) -> dict[str, dict[str, dict[str, Entry]]]:
    """Source file → scene id → key → entry, for every translation file of `lang`."""
    base = folder / TRANSLATIONS / lang
    result: dict[str, dict[str, dict[str, Entry]]] = {}
    for path in sorted(base.glob("**/*.yaml")):
        name = display_name(path)
        try:
            doc = yamlsrc.parse(path)
        except yamlsrc.YamlProblems as exc:
            audit.problems += [Diagnostic(name, p.line, p.col, Severity.ERROR, p.code, p.message) for p in exc.problems]
            continue
        result[path.relative_to(base).as_posix()] = _entries(doc, name, audit)
    return result


def _entries(doc: yamlsrc.Document, name: str, audit: Audit) -> dict[str, dict[str, Entry]]:
    def bad(loc: tuple[str | int, ...], message: str) -> None:
        line, col = doc.position(loc)
        audit.problems.append(Diagnostic(name, line, col, Severity.ERROR, "translation-format", message))

    found: dict[str, dict[str, Entry]] = {}
    data = doc.data
    if data is None:
        return found
    if not isinstance(data, dict):
        bad((), "a translation file maps scene ids to their entries")
        return found
    for scene_id, entries in data.items():
        if not isinstance(entries, dict):
            bad((scene_id,), f"{scene_id}: expected its entries, key → {{hash, text}}")
            continue
        for key, entry in entries.items():
            loc = (scene_id, key)
            if not isinstance(entry, dict) or set(entry) - {"hash", "text"} or not all(isinstance(v, str) for v in entry.values()):
                bad(loc, f"{scene_id}.{key}: expected `hash` and `text`, both quoted text")
                continue
            node = doc.key_at((scene_id,), key)
            line, col = yamlsrc.mark_of(node) if node is not None else doc.position(loc)
            found.setdefault(scene_id, {})[key] = Entry(entry.get("text", ""), entry.get("hash", ""), name, line, col)
    return found


def audit_source(source: StorySource, lang: str) -> tuple[Audit, dict[str, dict[str, str]]]:
    """Compare a language's files with the story: the audit, and the usable texts (scene id → key → text)."""
    folder = source.folder
    audit = Audit(lang)
    written = read_entries(folder, lang, audit)
    meta = source.meta
    var_types = {n: _TYPE_OF[v.type.value] for n, v in meta.variables.items()}
    enums = {n: v.values for n, v in meta.variables.items() if v.values is not None}
    ids = {s.scene.id for s in source.scenes}
    choice_keys = {f"{s.scene.id}.{c.id}" for s in source.scenes for c in s.scene.choices}
    usable: dict[str, dict[str, str]] = {}
    known: set[tuple[str, str, str]] = set()
    for rel, scene_id, strings in _sources(source):
        entries = written.get(rel, {}).get(scene_id, {})
        where = folder / TRANSLATIONS / lang / rel
        for key, english in strings.items():
            known.add((rel, scene_id, key))
            audit.total += 1
            entry = entries.get(key)
            label = f"{scene_id}.{key}"
            if entry is None or not entry.text.strip():
                file, line, col = (entry.file, entry.line, entry.col) if entry else (display_name(where), 0, 0)
                audit.missing.append(
                    Diagnostic(file, line, col, Severity.WARNING, "translation-missing", f"{lang}: {label} is not translated")
                )
                continue
            if entry.hash != source_hash(english):
                message = (
                    f"{lang}: {label} is stale: the English changed since it was translated (hash {entry.hash}, now {source_hash(english)})"
                )
                audit.stale.append(Diagnostic(entry.file, entry.line, entry.col, Severity.WARNING, "translation-stale", message))
                continue
            if is_template(key):
                problem = _template_problem(english, entry.text, var_types, ids, enums, choice_keys)
                if problem:
                    audit.problems.append(
                        Diagnostic(entry.file, entry.line, entry.col, Severity.ERROR, "translation-template", f"{label}: {problem}")
                    )
                    continue
            usable.setdefault(scene_id, {})[key] = entry.text
            audit.translated += 1
    for rel, scenes in written.items():
        for scene_id, entries in scenes.items():
            for key, entry in entries.items():
                if (rel, scene_id, key) not in known:
                    message = f"{lang}: {scene_id}.{key} translates nothing in {rel} (renamed or removed?)"
                    audit.problems.append(Diagnostic(entry.file, entry.line, entry.col, Severity.WARNING, "translation-unused", message))
    return audit, usable


_TYPE_OF: dict[str, type] = {"int": int, "bool": bool, "str": str, "enum": str}


def _sources(source: StorySource) -> Iterator[tuple[str, str, dict[str, str]]]:
    yield relative(source.folder, source.meta_file), STORY_KEY, dict(story_strings(source.meta))
    for item in source.scenes:
        yield relative(source.folder, item.file), item.scene.id, dict(scene_strings(item.scene))


def _template_problem(english: str, text: str, var_types: dict[str, type], ids: set[str], enums: Any, choice_keys: set[str]) -> str | None:
    try:
        compile_template(text, var_types, ids, enums=enums, choice_keys=choice_keys)
    except ConditionError as exc:
        return f"{exc.message} (at character {exc.offset + 1} of the translation)"
    if tag_shape(text) != tag_shape(english):
        return "its {if …}, {else}, {end} and {value} tags must be the English's (values may move within their stretch of text)"
    return None


# --- applying ---------------------------------------------------------------------------------


def apply(source: StorySource, usable: dict[str, dict[str, str]]) -> StorySource:
    """The story with every usable translation in place of the English."""
    meta = _meta(source.meta, usable.get(STORY_KEY, {}))
    scenes = [replace(item, scene=_scene(item.scene, usable[item.scene.id])) if item.scene.id in usable else item for item in source.scenes]
    return replace(source, meta=meta, scenes=scenes)


def _meta(meta: StoryMeta, texts: dict[str, str]) -> StoryMeta:
    if not texts:
        return meta
    acts = {n: texts.get(f"act.{n}", name) for n, name in meta.acts.items()}
    roles = {
        rid: role.model_copy(
            update={"name": texts.get(f"role.{rid}.name", role.name), "description": texts.get(f"role.{rid}.description", role.description)}
        )
        for rid, role in meta.roles.items()
    }
    variables = {
        name: var.model_copy(
            update={
                "label": texts.get(f"var.{name}.label", var.label),
                "description": texts.get(f"var.{name}.description", var.description),
            }
        )
        for name, var in meta.variables.items()
    }
    update = {"title": texts.get("title", meta.title), "premise": texts.get("premise", meta.premise), "acts": acts, "roles": roles}
    return meta.model_copy(update={**update, "variables": variables})


def _swap(model: M, texts: dict[str, str], prefix: str, names: tuple[str, ...]) -> M:
    return model.model_copy(update={name: texts.get(f"{prefix}.{name}", getattr(model, name)) for name in names})


def _scene(scene: Scene, texts: dict[str, str]) -> Scene:
    update: dict[str, object] = {"title": texts.get("title", scene.title), "place": texts.get("place", scene.place)}
    if isinstance(scene.text, str):
        update["text"] = texts.get("text", scene.text)
    else:
        items: list[object] = []
        for i, item in enumerate(scene.text):
            if isinstance(item, str):
                items.append(texts.get(f"text.{i}", item))
            else:
                other = texts.get(f"text.{i}.else", item.else_) if item.else_ else None
                items.append(item.model_copy(update={"text": texts.get(f"text.{i}", item.text), "else_": other}))
        update["text"] = items
    if scene.history:
        update["history"] = scene.history.model_copy(update={"summary": texts.get("history.summary", scene.history.summary)})
    choices = []
    for choice in scene.choices:
        key = f"choice.{choice.id}"
        changes = {"text": texts.get(key, choice.text)}
        for part, name in (("locked", "locked_reason"), ("reply", "reply"), ("note", "note")):
            if getattr(choice, name):
                changes[name] = texts.get(f"{key}.{part}", getattr(choice, name))
        choices.append(choice.model_copy(update=changes))
    update["choices"] = choices
    if scene.ending:
        update["ending"] = scene.ending.model_copy(
            update={"title": texts.get("ending.title", scene.ending.title), "epilogue": texts.get("ending.epilogue", scene.ending.epilogue)}
        )
    return scene.model_copy(update=update)


def localize(source: StorySource, lang: str) -> tuple[StorySource, Audit]:
    """The story in `lang`; raises StoryError when a translation file has errors."""
    audit, usable = audit_source(source, lang)
    if audit.errors:
        raise StoryError(audit.errors)
    return apply(source, usable), audit


def load_localized(story: str | Path | None, lang: str | None) -> tuple[Story, Audit | None]:
    """`load_story` in a language: the compiled story and the audit (None for the source language)."""
    from .compiler import compile_story, load_story

    if not lang or lang not in languages(resolve_story(story)):
        return load_story(story), None
    localized, audit = localize(read_source(resolve_story(story)), lang)
    return compile_story(localized), audit


def check_translations(folder: Path) -> list[Audit]:
    """The audit of every language the story has files for (empty when it has none)."""
    langs = languages(folder)
    if not langs:
        return []
    try:
        source = read_source(folder)
    except StoryError:
        return []  # the story's own errors are reported by the checker
    return [audit_source(source, lang)[0] for lang in langs]


__all__ = ["Audit", "Entry", "apply", "audit_source", "check_translations", "languages", "load_localized", "localize"]
