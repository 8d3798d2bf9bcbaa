"""The play cache: a story compiled before, loaded again in one read without reading its files.

After a clean load from source (`compiler.load_story`), the story's compact form is written to the
user cache folder (`cache.cache_home()`: `play/<story key>.bin`): the kernel's graph as plain data
(each choice's move, conditions and effect blocks written once each), each scene's data as JSON for
its model, the positions, and the stamps (size, times, inode: `storyfiles.stamp`) of story.yaml,
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
from .conditions import Condition, compile_condition
from .errors import ConditionError
from .rules import Effect, Move
from .story import Basics, CompiledChoice, Facts, Graph, SceneTable, Story, Where
from .storyfiles import STORY_FILE, file_patterns, last_read

if TYPE_CHECKING:
    from .compiling import SceneCompiler
    from .models import Scene, StoryMeta

FORMAT = 4
SETTLED_NS = 2_000_000_000
"""A file changed this close to the moment it was read may change again within the same
timestamp: such a story is not cached (its next load writes the cache)."""
_KINDS: dict[str, type] = {"int": int, "bool": bool, "str": str}
_ONCE, _FALLBACK, _AUTO, _RETURNS = 1, 2, 4, 8


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
            meta = stamp_of(os.stat(folder / STORY_FILE))
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
        yield path, stamp_of(os.stat(path))
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
    tables = Tables([], [])
    scenes = [tables.scene(scene_id, scene.choices, story.facts[scene_id], scene.model) for scene_id, scene in story.scenes.items()]
    enter = {scene_id: tuple(tables.block(b) for b in found) for scene_id, found in story.enter.items()}
    files = [(path, name, digest, stamped) for path, (name, digest, stamped) in zip(story.files, read, strict=True)]
    content = {**_basics(story), "conditions": tables.conditions, "blocks": tables.blocks, "enter": enter, "scenes": scenes}
    digest = checked_digest(content)
    story.checked_digest = lambda: digest
    write(story.folder, before, files, content)


def checked_digest(content: dict[str, Any]) -> str:
    """A digest of what `check` reads of a story in cache form: everything but the fingerprint and
    the scenes' models, which only the historical-path rule reads (so they count only in a story
    with a scene labelled historical). The same digest, the same report (`checkcache.py`): an edit
    to a title or a line of prose in a story without history is not checked again."""
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
        meta_now = stamp_of(os.stat(folder / STORY_FILE))
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


class Tables:
    """Conditions and effect blocks as the cache lists them: each once, referred to by number."""

    def __init__(self, conditions: list[str], blocks: list[tuple[Any, ...]]) -> None:
        self.conditions = conditions
        self.blocks = blocks
        self._conditions = {text: i for i, text in enumerate(conditions)}
        self._blocks = {tuple(block): i for i, block in enumerate(blocks)}

    def cond(self, condition: Condition | None) -> int:
        if condition is None:
            return -1
        found = self._conditions.get(condition.text)
        if found is None:
            found = self._conditions[condition.text] = len(self.conditions)
            self.conditions.append(condition.text)
        return found

    def block(self, effect: Effect) -> int:
        key = (self.cond(effect.guard), effect.adds, effect.sets, effect.rolls)
        found = self._blocks.get(key)
        if found is None:
            found = self._blocks[key] = len(self.blocks)
            self.blocks.append(key)
        return found

    def scene(self, scene_id: str, choices: tuple[CompiledChoice, ...], facts: Facts, model: Scene) -> tuple[Any, ...]:
        """One scene in cache form: its position, whether it ends, its model as JSON, its choices'
        positions and moves, and its facts."""
        moves = []
        for choice in choices:
            m = choice.move
            flags = m.once * _ONCE | m.fallback * _FALLBACK | m.auto * _AUTO | m.returns * _RETURNS
            more = tuple(self.block(b) for b in m.more)
            moves.append((choice.id, m.dest, self.cond(m.guard), m.adds, m.sets, m.locked_reason, more, flags, m.push))
        places = tuple((w.line, w.col) for w in facts.places)
        where = facts.where
        known = (
            facts.roles,
            facts.label,
            facts.when,
            facts.docudrama,
            tuple(self.cond(g) for g in facts.passage_guards),
            tuple(sorted(facts.text_reads)),
            facts.words,
            facts.sources,
            facts.play,
        )
        json_model = model.model_dump_json(by_alias=True, exclude_defaults=True).encode()
        return (scene_id, where.file, where.line, where.col, model.ending is not None, json_model, places, tuple(moves), known)


def _basics(story: Story) -> dict[str, Any]:
    """What the cache keeps of story.yaml and of the story as a whole."""
    basics = story.basics
    return {
        "meta": story.meta.model_dump_json(by_alias=True),
        "basics": (basics.story_id, basics.title, basics.premise, basics.starts, basics.defaults, basics.ranges, basics.shown_to),
        "var_types": {name: kind.__name__ for name, kind in story.var_types.items()},
        "enums": {name: list(var.values) for name, var in story.meta.variables.items() if var.values is not None},
        "fingerprint": story.fingerprint,
        "story_files": story.files,
        "fiction": story.fiction,
        "meta_where": {key: (w.file, w.line, w.col) for key, w in story.meta_where.items()},
    }


def load(folder: Path) -> Story | None:
    """The story from the play cache, or None when the cache cannot vouch for it."""
    data = read_data(folder)
    return None if data is None else load_unchanged(folder, data)


def load_unchanged(folder: Path, data: dict[str, Any]) -> Story | None:
    """The story from cached `data` (`read_data`) if no file, folder or story.yaml changed since."""
    try:
        if not _unchanged(folder, data):
            return None
        return story_from(folder, data)
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
    if stamp_of(os.stat(folder / STORY_FILE)) != data["meta_stamp"]:
        return False
    stat = os.stat
    return all(stamped is not None and stamp_of(stat(name)) == stamped for name, stamped in (*data["dirs"], *data["files"]))


def stamp_of(info: os.stat_result) -> tuple[int, int, int, int]:
    """`storyfiles.stamp` as a tuple: size, modification and change times, inode."""
    return (info.st_size, info.st_mtime_ns, info.st_ctime_ns, info.st_ino)


class _Presentation:
    """What makes scenes from the cached data when play first shows them: the metadata model and
    the scene compiler, each made once (their imports are pydantic's, paid only then)."""

    def __init__(self, data: dict[str, Any], ids: dict[str, int], graph: Graph) -> None:
        self.data = data
        self.ids = ids
        self.graph = graph
        self._meta: StoryMeta | None = None
        self._compiler: SceneCompiler | None = None

    def meta(self) -> StoryMeta:
        if self._meta is None:
            from .models import StoryMeta

            self._meta = StoryMeta.model_validate_json(self.data["meta"])
        return self._meta

    def scene(self, scene_id: str) -> Any:
        from .models import Scene

        if self._compiler is None:
            from .compiling import SceneCompiler

            self._compiler = SceneCompiler(self.meta(), self.ids, _ChoiceKeys(self.data["scenes"], self.ids))
        _, file, line, col, _, model, places, _, _ = self.data["scenes"][self.ids[scene_id]]
        return self._compiler.scene(Scene.model_validate_json(model), Where(file, line, col), list(places), self.graph.moves(scene_id))


class _ChoiceKeys:
    """Every `scene.choice` key of the cached story, for `taken()` in a text (a Collection)."""

    def __init__(self, scenes: list[Any], ids: dict[str, int]) -> None:
        self.scenes = scenes
        self.ids = ids

    def __contains__(self, key: object) -> bool:
        scene_id, _, choice_id = str(key).partition(".")
        number = self.ids.get(scene_id)
        return number is not None and any(m[0] == choice_id for m in self.scenes[number][7])

    def __iter__(self) -> Iterator[str]:
        return (f"{s[0]}.{m[0]}" for s in self.scenes for m in s[7])

    def __len__(self) -> int:
        return sum(len(s[7]) for s in self.scenes)


def _facts(scenes: list[Any], conditions: list[Condition]) -> dict[str, Facts]:
    """`story.facts` for a story from the play cache (made the first time `check` asks: play never does)."""
    made = {}
    for scene_id, file, line, col, _, _, places, _, known in scenes:
        roles, label, when, docudrama, guards, reads, words, sources, play = known
        made[scene_id] = Facts(
            Where(file, line, col),
            tuple(Where(file, *place) for place in places),
            tuple(roles),
            label,
            when,
            bool(docudrama),
            tuple(conditions[i] for i in guards),
            frozenset(reads),
            words,
            sources,
            play,
        )
    return made


def story_from(folder: Path, data: dict[str, Any]) -> Story:
    """The story that cached `data` describes (raises one of DOUBTS on a shape we did not write)."""
    scenes = data["scenes"]
    ids = {s[0]: i for i, s in enumerate(scenes)}
    var_types = {name: _KINDS[kind] for name, kind in data["var_types"].items()}
    enums = data["enums"]
    keys = _ChoiceKeys(scenes, ids)
    conditions = [compile_condition(text, var_types, ids, enums=enums, choice_keys=keys) for text in data["conditions"]]

    def cond(number: int) -> Condition | None:
        return None if number < 0 else conditions[number]

    blocks = [Effect(cond(guard), adds, sets, rolls) for guard, adds, sets, rolls in data["blocks"]]
    enter = {scene_id: tuple(blocks[i] for i in found) for scene_id, found in data["enter"].items()}

    def moves(scene_id: str) -> tuple[Move, ...]:
        # Positional: a move is made for each choice play reaches (randomtest: every choice).
        return tuple(
            Move(
                f"{scene_id}.{choice_id}",
                scene_id,
                dest,
                None if guard < 0 else conditions[guard],
                adds,
                sets,
                reason,
                tuple([blocks[i] for i in more]) if more else (),
                bool(flags & _ONCE),
                bool(flags & _FALLBACK),
                bool(flags & _AUTO),
                push,
                bool(flags & _RETURNS),
                enter,
            )
            for choice_id, dest, guard, adds, sets, reason, more, flags, push in scenes[ids[scene_id]][7]
        )

    graph = Graph(list(ids), {}, moves)
    shown = _Presentation(data, ids, graph)
    story_id, title, premise, starts, defaults, ranges, shown_to = data["basics"]
    return Story(
        folder=folder,
        scenes=SceneTable(graph.ids, shown.scene),
        graph=graph,
        basics=Basics(story_id, title, premise, starts, defaults, ranges, shown_to),
        var_types=var_types,
        endings=frozenset(s[0] for s in scenes if s[4]),
        fingerprint=data["fingerprint"],
        files=data["story_files"],
        facts_source=lambda: _facts(scenes, conditions),
        meta_source=shown.meta,
        meta_where={key: Where(*where) for key, where in data["meta_where"].items()},
        enter=enter,
        fiction=bool(data["fiction"]),
        checked_digest=lambda: checked_digest(data),
    )
