"""A story as plain data and back: the form the play cache keeps (`playcache.py`).

`cache_form` turns a compiled `Story` into lists, tuples, dicts, strings and numbers: each distinct
condition text and effect block once (`Tables`), and per scene a tuple of its id, its position,
whether it ends, its model as JSON, its choices' positions and moves, and its `Facts`.
`story_from` makes a `Story` from that data again, without pydantic: conditions compiled once per
distinct text, moves made per scene when play first asks, a scene's model and templates made when
first shown (`story.SceneTable`), its facts when `check` first asks. `increment.py` edits this form
in place of compiling a whole story.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .conditions import Condition, compile_condition
from .rules import Effect, Move
from .story import Basics, CompiledChoice, Facts, Graph, SceneTable, Story, Where

if TYPE_CHECKING:
    from .compiling import SceneCompiler
    from .models import Scene, StoryMeta

FORMAT = 4
"""The layout of the cached form (and of the play cache's file): changed whenever either changes."""
_KINDS: dict[str, type] = {"int": int, "bool": bool, "str": str}
_ONCE, _FALLBACK, _AUTO, _RETURNS = 1, 2, 4, 8


def cache_form(story: Story) -> dict[str, Any]:
    """A story compiled from source, as plain data."""
    tables = Tables([], [])
    scenes = [tables.scene(scene_id, scene.choices, story.facts[scene_id], scene.model) for scene_id, scene in story.scenes.items()]
    enter = {scene_id: tuple(tables.block(b) for b in found) for scene_id, found in story.enter.items()}
    return {**_basics(story), "conditions": tables.conditions, "blocks": tables.blocks, "enter": enter, "scenes": scenes}


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
    )
