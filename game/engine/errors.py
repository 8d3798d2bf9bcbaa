"""Our own error types: every problem with a story or a save is one of these, never a traceback."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class Severity(StrEnum):
    ERROR = "error"
    WARNING = "warning"
    INFO = "info"


@dataclass(frozen=True, slots=True)
class Diagnostic:
    """One finding about a story, with its source position."""

    file: str
    line: int
    col: int
    severity: Severity
    code: str
    message: str

    def __str__(self) -> str:
        # File names and messages may quote what is on disk: shown, never obeyed, by a terminal.
        from .safetext import visible, visible_name

        file = visible_name(self.file)
        where = f"{file}:{self.line}:{self.col}" if self.line else file
        return f"{where}: {self.severity.value}: {visible(self.message)} [{self.code}]"

    def as_dict(self) -> dict[str, object]:
        return {
            "file": self.file,
            "line": self.line,
            "col": self.col,
            "severity": self.severity.value,
            "code": self.code,
            "message": self.message,
        }


class CandidError(Exception):
    """Base of the errors the UI and CLI show to people. `title` is a short heading."""

    title = "Error"

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class StoryError(CandidError):
    """A story could not be loaded; `diagnostics` holds every error found."""

    title = "The story has errors"

    def __init__(self, diagnostics: list[Diagnostic]) -> None:
        self.diagnostics = diagnostics
        errors = [d for d in diagnostics if d.severity is Severity.ERROR]
        super().__init__("\n".join(str(d) for d in errors) or "story failed to load")


class ConditionError(CandidError):
    """A condition expression is not valid; `offset` is the column inside the expression."""

    title = "Bad condition"

    def __init__(self, message: str, offset: int = 0) -> None:
        super().__init__(message)
        self.offset = offset


class ChoiceError(CandidError):
    """A choice that is not available was asked for."""

    title = "Choice not available"


class SaveError(CandidError):
    """A save could not be read or written; `moved_to` names where a bad save was set aside."""

    title = "Save problem"

    def __init__(self, message: str, moved_to: str | None = None) -> None:
        super().__init__(message)
        self.moved_to = moved_to
