"""What `check` found: the diagnostics and the story's statistics.

Its own module so that a report from the cache can be rebuilt without loading the engine.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from .errors import Diagnostic, Severity

if TYPE_CHECKING:
    from .compiler import Story


@dataclass(slots=True)
class Report:
    diagnostics: list[Diagnostic]
    stats: dict[str, int] = field(default_factory=dict)
    story: Story | None = None

    @property
    def errors(self) -> list[Diagnostic]:
        return [d for d in self.diagnostics if d.severity is Severity.ERROR]

    @property
    def warnings(self) -> list[Diagnostic]:
        return [d for d in self.diagnostics if d.severity is Severity.WARNING]

    def as_dict(self) -> dict[str, object]:
        return {"diagnostics": [d.as_dict() for d in self.diagnostics], "stats": self.stats}
