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
    from .compiler import CompiledScene, Story
    from .conditions import Condition
    from .textlang import Template

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
    """Each scene's choices' targets, in order (a target named twice is listed twice)."""
    return _known(story, "graph", lambda: {scene_id: _targets(scene) for scene_id, scene in story.scenes.items()})


def _targets(scene: CompiledScene) -> tuple[str, ...]:
    return tuple(t for c in scene.choices for t in c.targets)


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


def choice_guards(story: Story) -> Iterator[Condition]:
    """The conditions that decide what happens in play: on choices, and on blocks of effects (of
    choices and of entering scenes), which decide what the choices will later see."""
    for choice in story.choices():
        if choice.guard is not None:
            yield choice.guard
        yield from (block.guard for block in choice.move.more if block.guard is not None)
    for blocks in story.enter.values():
        yield from (block.guard for block in blocks if block.guard is not None)


def all_conditions(story: Story) -> Iterator[Condition]:
    """Every condition in the story: on choices, on blocks of effects and on passages of text."""
    yield from choice_guards(story)
    for scene in story.scenes.values():
        for passage in scene.passages:
            if passage.guard is not None:
                yield passage.guard


def condition_reads(story: Story) -> tuple[list[str], list[str]]:
    """The variables and the scenes (through `visited`) that choice conditions read.

    Only these can decide which choices are open, so they are all a search must keep.
    """
    names, scenes = _known(story, "reads", lambda: _reads(story))
    return list(names), list(scenes)


def _reads(story: Story) -> tuple[list[str], list[str]]:
    names: set[str] = set()
    scenes: set[str] = set()
    for guard in _distinct(choice_guards(story)):
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
    keys = {key for guard in _distinct(choice_guards(story)) for key in guard.taken}
    keys |= {choice.key for choice in story.choices() if choice.move.once}
    return sorted(keys)


def scene_templates(scene: CompiledScene) -> Iterator[Template]:
    """Every piece of a scene's text that may read the state."""
    for passage in scene.passages:
        yield passage.template
        if passage.else_template is not None:
            yield passage.else_template
    for choice in scene.choices:
        yield choice.label
        if choice.reason is not None:
            yield choice.reason
    if scene.epilogue is not None:
        yield scene.epilogue


def variables_read(story: Story, *, text: bool = True) -> set[str]:
    """Variables any condition (choice, passage or effect) reads, and with `text` any text
    (`{name}`, `{if …}`) too."""
    read: set[str] = set()
    for condition in all_conditions(story):
        read |= condition.reads
    if text:
        for scene in story.scenes.values():
            for template in scene_templates(scene):
                read |= template.names
    return read


def variables_written(story: Story) -> set[str]:
    """Variables some effect may change: of a choice, or of entering a scene."""
    from .effects import effect_writes

    written: set[str] = set()
    for choice in story.choices():
        written |= choice.writes
    for blocks in story.enter.values():
        written |= effect_writes(blocks)
    return written


__all__ = [
    "all_conditions",
    "choice_guards",
    "condition_reads",
    "counted_choices",
    "scene_templates",
    "static_reach",
    "variables_read",
    "variables_written",
]
