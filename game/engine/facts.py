"""What is known of a scene without its model, as plain data: where things are written (`Where`)
and what `check` reads of it (`Facts`). Made when a scene is compiled (`compiling.scene_facts`),
kept in the play cache, and read by every whole-story rule of `check`."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from .conditions import Condition


@dataclass(frozen=True, slots=True)
class Where:
    """A place in a story file, for messages: the file's name in messages, line and column."""

    file: str
    line: int
    col: int


@dataclass(frozen=True, slots=True)
class Facts:
    """What `check` reads of a scene besides its moves, as plain data: positions, roles, label and
    date, the conditions on its passages, the variables its text reads, its size and a digest of
    what the coverage search reads. Kept in the play cache, so that a check after an edit compiles
    only the scenes that changed (`increment.py`); every whole-story rule of `check` reads these
    and the graph, never a scene's model."""

    where: Where
    places: tuple[Where, ...]
    """Each choice's position, in the order of the scene's moves."""
    roles: tuple[str, ...]
    label: str | None
    """The scene's `label`, as written (`historical`, `dramatised`, …)."""
    when: str | None
    docudrama: bool
    """Whether the scene says anything about the record (see `compiling.is_docudrama`)."""
    passage_guards: tuple[Condition, ...]
    text_reads: frozenset[str]
    """Variables any text of the scene reads (`{name}`, `{if …}`)."""
    words: int
    sources: int
    play: str
    """A digest of what the coverage search reads of the scene (ids, roles, weight, effects, the
    choices' targets, conditions, effects and flags, whether it ends): equal digests, equal search."""
