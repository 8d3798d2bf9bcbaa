"""The play cache: a story compiled before, loaded again in one read without reading its files.

After a clean load from source (`compiler.load_story`), the story's compact form is written to the
user cache folder (`cache.cache_home()`: `play/<story key>.bin`): the kernel's graph as plain data
(each choice's move, conditions and effect blocks written once each), each scene's data as JSON for
its model, the positions, and the stamps (size, times, inode: `storyfiles.stamp`) of story.yaml,
of every scene file and of every folder of the story. A later load whose stamps all match (no file
changed, none added or removed), by the same engine, from the same working folder, is answered from
it: conditions compiled once per distinct text, moves made per scene when play first asks, and a
scene's model and templates made when first shown (`story.SceneTable`).

The cache is never a source of truth. It is one header line of JSON (format, engine, checksum and
size of the rest) and a `marshal` body of plain data (never pickle, never code); anything odd about
it (unreadable, another format or engine, a wrong checksum, a stamp that differs, a shape we did not
write) means the story is loaded from source, and the cache written again. A story whose folder
holds links, or whose files changed within `SETTLED_NS` of being read, is not cached.
"""

from __future__ import annotations

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
from .story import Basics, Graph, SceneTable, Story, Where
from .storyfiles import STORY_FILE, file_patterns, last_read, stamp

if TYPE_CHECKING:
    from .compiling import SceneCompiler
    from .models import StoryMeta

FORMAT = 3
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
    """Remember a story just compiled from source, if its files were settled and did not change
    while being read. Never fails loudly."""
    path = cache_path(story.folder)
    if before is None or path is None:
        return
    read = last_read(story.folder, file_patterns(story.meta))
    if len(read) != len(story.files):
        return
    try:
        infos = [os.stat(name) for name in story.files]
        meta_now = _stamp(os.stat(story.folder / STORY_FILE))
    except OSError:
        return
    if meta_now != before.meta or any(stamp(info) != then for info, (_, _, then) in zip(infos, read, strict=True)):
        return  # changed while being read
    files = [(name, _stamp(info)) for name, info in zip(story.files, infos, strict=True)]
    settled = before.taken_at - SETTLED_NS
    if any(ctime >= settled for _, (_, _, ctime, _) in [("", before.meta), *files, *before.dirs]):
        return
    body = marshal.dumps({**_where(), "dirs": before.dirs, "meta_stamp": before.meta, "files": files, **_compact(story)})
    head = {"format": FORMAT, "engine": engine_key(), "crc": zlib.crc32(body), "size": len(body)}
    with suppress(OSError):
        write_atomic(path, json.dumps(head).encode() + b"\n" + body)


def _compact(story: Story) -> dict[str, Any]:
    """The story as plain data: conditions and effect blocks listed once, referred to by number."""
    conditions: dict[str, int] = {}
    blocks: dict[tuple[Any, ...], int] = {}

    def cond(condition: Condition | None) -> int:
        return -1 if condition is None else conditions.setdefault(condition.text, len(conditions))

    def block(effect: Effect) -> int:
        return blocks.setdefault((cond(effect.guard), effect.adds, effect.sets, effect.rolls), len(blocks))

    scenes = []
    for scene_id, scene in story.scenes.items():
        moves = []
        for choice in scene.choices:
            m = choice.move
            flags = m.once * _ONCE | m.fallback * _FALLBACK | m.auto * _AUTO | m.returns * _RETURNS
            more = tuple(block(b) for b in m.more)
            moves.append((choice.id, m.dest, cond(m.guard), m.adds, m.sets, m.locked_reason, more, flags, m.push))
        places = tuple((c.where.line, c.where.col) for c in scene.choices)
        model = scene.model.model_dump_json(by_alias=True, exclude_defaults=True).encode()
        where = scene.where
        scenes.append((scene_id, where.file, where.line, where.col, scene.ending is not None, model, places, tuple(moves)))
    enter = {scene_id: tuple(block(b) for b in found) for scene_id, found in story.enter.items()}
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
        "conditions": list(conditions),
        "blocks": list(blocks),
        "enter": enter,
        "scenes": scenes,
    }


def load(folder: Path) -> Story | None:
    """The story from the play cache, or None when the cache cannot vouch for it."""
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
        if not isinstance(data, dict) or not _unchanged(folder, data):
            return None
        return _story(folder, data)
    except (OSError, ValueError, TypeError, KeyError, IndexError, EOFError, AttributeError, RecursionError, ConditionError):
        return None  # not a cache we can vouch for


def _unchanged(folder: Path, data: dict[str, Any]) -> bool:
    """Whether the working folder, story.yaml, every folder and every scene file are as cached."""
    if any(data[key] != value for key, value in _where().items()):
        return False
    if _stamp(os.stat(folder / STORY_FILE)) != data["meta_stamp"]:
        return False
    stat = os.stat
    return all(_stamp(stat(name)) == stamped for name, stamped in (*data["dirs"], *data["files"]))


def _stamp(info: os.stat_result) -> tuple[int, int, int, int]:
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
        _, file, line, col, _, model, places, _ = self.data["scenes"][self.ids[scene_id]]
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


def _story(folder: Path, data: dict[str, Any]) -> Story:
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
        meta_source=shown.meta,
        meta_where={key: Where(*where) for key, where in data["meta_where"].items()},
        enter=enter,
        fiction=bool(data["fiction"]),
    )
