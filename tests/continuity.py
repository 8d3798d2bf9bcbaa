"""Continuity probes: text the story shows must never contradict the state that shows it.

A probe names a pattern of words and the fact those words assert about the play-through. The
continuity suite (`tests/test_continuity.py`) walks many seeded random play-throughs per role,
records every paragraph shown with the state it was shown in, and fails when a paragraph matches a
probe's pattern while the probe's fact does not hold. Probes for each role live in
`tests/probes_board.py` and `tests/probes_staff.py` as a list named `PROBES`
(imported as `from continuity import Probe, Seen`: pytest puts `tests/` on the path).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field

Value = bool | int | str


@dataclass(frozen=True, slots=True)
class Seen:
    """What the player had met when a paragraph was shown."""

    scene: str
    """The scene showing the paragraph."""
    vars: Mapping[str, Value]
    """The variables at that moment (before the scene's choice is taken)."""
    visits: Mapping[str, int]
    """How often each scene has been entered on this path so far (the current scene included)."""
    path: tuple[str, ...]
    """The `scene.choice` keys taken so far, in order."""

    def visited(self, scene_id: str) -> bool:
        return self.visits.get(scene_id, 0) > 0

    def took(self, key: str) -> bool:
        """`key` is `scene.choice`: the player took that choice earlier on this path."""
        return key in self.path


@dataclass(frozen=True, slots=True)
class Probe:
    """A sentence pattern and the fact it asserts.

    `pattern` is a regular expression searched (case-sensitive) in every paragraph shown to `role`;
    `scenes`, when given, limits the probe to those scene ids. `holds(seen)` must be True wherever
    the pattern matches, or the suite fails with `why`.
    """

    name: str
    role: str
    pattern: str
    holds: Callable[[Seen], bool]
    why: str
    scenes: frozenset[str] | None = None
    compiled: re.Pattern[str] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "compiled", re.compile(self.pattern))

    def applies(self, scene: str, text: str) -> bool:
        return (self.scenes is None or scene in self.scenes) and self.compiled.search(text) is not None
