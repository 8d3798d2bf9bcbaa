"""What a story's structure says without playing it: reachability and what conditions read.

Every answer about reads comes from the compiled conditions themselves (`Condition.reads`,
`Condition.visited`, worked out once from the syntax tree), never from the condition text.

A compiled story does not change, and `check` asks the same questions of it many times (each
rule, the search, the sample): the answers are worked out once per story object (`_known`) and
handed out as copies.
"""

from __future__ import annotations

import weakref
from collections import deque
from collections.abc import Callable, Hashable, Iterator, Sequence
from typing import TYPE_CHECKING, Any, TypeVar

if TYPE_CHECKING:
    from .compiler import Story
    from .conditions import Condition
    from .rules import Effect

T = TypeVar("T")
_KNOWN: dict[int, tuple[weakref.ref[Story], dict[Hashable, Any]]] = {}
"""Answers already worked out, by story object (its id, checked against a weak reference)."""


def _known(story: Story, question: Hashable, work: Callable[[], T]) -> T:
    """The answer to `question` about `story`, worked out by `work` the first time it is asked.
    Callers hand out copies: an answer is never changed in place."""
    entry = _KNOWN.get(id(story))
    if entry is None or entry[0]() is not story:
        key = id(story)
        entry = _KNOWN[key] = (weakref.ref(story, lambda _: _KNOWN.pop(key, None)), {})
    answers = entry[1]
    if question not in answers:
        answers[question] = work()
    return answers[question]  # type: ignore[no-any-return]


def scene_graph(story: Story) -> dict[str, tuple[str, ...]]:
    """Each scene's choices' targets, in order (a target named twice is listed twice): a call
    leads to its sub-scene, then to its `goto`; a `return` leads wherever the call came from."""
    moves = story.graph.moves
    return _known(story, "graph", lambda: {scene_id: tuple(t for m in moves(scene_id) for t in m.targets) for scene_id in story.graph.ids})


def static_reach(story: Story, starts: Sequence[str]) -> set[str]:
    """Scenes reachable from `starts` ignoring conditions: what could be met at most."""
    return set(_known(story, ("reach", tuple(starts)), lambda: _reach(scene_graph(story), starts)))


def _reach(graph: dict[str, tuple[str, ...]], starts: Sequence[str]) -> frozenset[str]:
    seen = set(starts)
    queue = deque(starts)
    while queue:
        for target in graph[queue.popleft()]:
            if target not in seen:
                seen.add(target)
                queue.append(target)
    return frozenset(seen)


def all_conditions(story: Story) -> Iterator[Condition]:
    """Every condition in the story: on choices, on blocks of effects and on passages of text."""
    yield from story.guards()
    for facts in story.facts.values():
        yield from facts.passage_guards


def condition_reads(story: Story) -> tuple[list[str], list[str]]:
    """The variables and the scenes (through `visited`) that choice conditions read.

    Only these can decide which choices are open, so they are all a search must keep.
    """
    names, scenes = _known(story, "reads", lambda: _reads(story))
    return list(names), list(scenes)


def _reads(story: Story) -> tuple[list[str], list[str]]:
    names: set[str] = set()
    scenes: set[str] = set()
    for guard in _distinct(story.guards()):
        names |= guard.reads
        scenes |= guard.visited
    return sorted(names), sorted(scenes)


def _distinct(guards: Iterator[Condition]) -> list[Condition]:
    """Each condition once (a story shares one compiled condition among the choices that repeat it)."""
    return list({id(g): g for g in guards}.values())


def counted_choices(story: Story) -> list[str]:
    """The choices whose counts decide what is open: read through `taken()`, or once-only."""
    return list(_known(story, "counted", lambda: _counted(story)))


def _counted(story: Story) -> list[str]:
    keys = {key for guard in _distinct(story.guards()) for key in guard.taken}
    keys |= {move.key for move in story.graph.all_moves() if move.once}
    return sorted(keys)


def variables_read(story: Story, *, text: bool = True) -> set[str]:
    """Variables any condition (choice, passage or effect) reads, and with `text` any text
    (`{name}`, `{if …}`) too."""
    read: set[str] = set()
    for condition in _known(story, "conditions", lambda: _distinct(all_conditions(story))):
        read |= condition.reads
    if text:
        for facts in story.facts.values():
            read |= facts.text_reads
    return read


def variables_written(story: Story) -> set[str]:
    """Variables some effect may change: of a choice, or of entering a scene."""
    from .rules import effect_writes

    written: set[str] = set()
    plain: set[tuple[Any, ...]] = set()  # many moves share their adds and sets
    more: dict[int, Effect] = {}
    for move in story.graph.all_moves():
        for part in (move.adds, move.sets):
            if part not in plain:
                plain.add(part)
                written.update(name for name, *_ in part)
        for block in move.more:
            more[id(block)] = block
    written |= effect_writes(more.values())
    for blocks in story.enter.values():
        written |= effect_writes(blocks)
    return written


__all__ = [
    "all_conditions",
    "condition_reads",
    "counted_choices",
    "static_reach",
    "variables_read",
    "variables_written",
]
