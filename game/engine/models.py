"""The scene format: pydantic models for story and scene files.

Every field carries a docstring; the docstrings become the JSON Schema's descriptions and the
reference part of docs/AUTHORING.md. Models forbid unknown keys so a misspelt key is an error.
"""

from __future__ import annotations

from datetime import date
from enum import StrEnum
from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field, StrictInt, StringConstraints, ValidationInfo, field_validator, model_validator
from pydantic_core import PydanticCustomError

# Re-exported: the scene format names them, and they were defined here before `record.py`.
from .record import WHEN_PATTERN as WHEN_PATTERN
from .record import Label as Label
from .record import format_when as format_when
from .record import parse_when as parse_when

ID_PATTERN = r"^[a-z][a-z0-9_]*$"
"""Scene, choice, variable and role ids: lower case, digits and underscores, starting with a letter."""

Id = Annotated[str, StringConstraints(pattern=ID_PATTERN, max_length=64)]
ShortText = Annotated[str, StringConstraints(min_length=1, max_length=400)]
LongText = Annotated[str, StringConstraints(min_length=1, max_length=20_000)]
Condition = Annotated[str, StringConstraints(min_length=1, max_length=500)]
Number = Annotated[StrictInt, Field(ge=-(10**9), le=10**9)]
"""Whole numbers written in story files are bounded; values reached in play are not (saves take any int)."""


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, use_attribute_docstrings=True)


class VarType(StrEnum):
    INT = "int"
    BOOL = "bool"
    STR = "str"
    ENUM = "enum"


_PY_TYPES = {VarType.INT: int, VarType.BOOL: bool, VarType.STR: str, VarType.ENUM: str}
EnumValue = Annotated[str, StringConstraints(pattern=r"^\S(.*\S)?$", max_length=64)]


class Source(_Model):
    """A published source for a historical beat."""

    outlet: ShortText
    """Who published it: a newspaper, a blog, a book, a post on X."""
    title: ShortText
    """The title of the article, post or book, as published."""
    date: Annotated[str, StringConstraints(pattern=r"^\d{4}(-\d{2}(-\d{2})?)?$")]
    """Publication date, `YYYY-MM-DD` (or `YYYY-MM`, `YYYY` when that is all that is known)."""
    url: Annotated[str, StringConstraints(pattern=r"^https?://\S+$", max_length=500)] | None = None
    """Address of the source, if known."""

    @field_validator("date")
    @classmethod
    def _real_date(cls, value: str) -> str:
        year, month, day = ([int(p) for p in value.split("-")] + [1, 1])[:3]
        try:
            date(year, month, day)
        except ValueError as exc:
            raise ValueError(f"{value!r} is not a real date: {exc}") from None
        return value


class History(_Model):
    """What really happened at this point, with its sources."""

    summary: LongText
    """What really happened, in the story's own words. Shown in replay and "what really happened"."""
    sources: list[Source] = Field(min_length=1)
    """At least one source: outlet, title and date."""


class Passage(_Model):
    """A paragraph of scene text shown only when its condition holds."""

    text: LongText
    """The paragraph shown when `if` holds (or always, without `if`)."""
    if_: Condition | None = Field(default=None, alias="if")
    """A condition (see the condition language); without it the passage always shows."""
    else_: LongText | None = Field(default=None, alias="else")
    """A paragraph shown instead when `if` does not hold."""
    dramatised: bool = False
    """Marks an invented line or exchange inside a historical scene; the player is told."""

    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True, use_attribute_docstrings=True)

    @model_validator(mode="after")
    def _else_needs_if(self) -> Passage:
        if self.else_ is not None and self.if_ is None:
            raise ValueError("`else` without `if` is never shown")
        return self


TextItem = Annotated[str, StringConstraints(min_length=1, max_length=20_000)] | Passage


class Effects(_Model):
    """Changes to variables: when a choice is taken, or when a scene is entered."""

    add: dict[Id, Number] = Field(default_factory=dict)
    """Add (or with a negative number, subtract) to int variables; results are clamped to range."""
    set: dict[Id, Number | bool | str] = Field(default_factory=dict)
    """Set variables to a value of their declared type."""
    roll: dict[Id, Annotated[list[Number], Field(min_length=2, max_length=2)]] = Field(default_factory=dict)
    """Set int variables to a seeded random whole number from `[low, high]` (both included)."""
    if_: Condition | None = Field(default=None, alias="if")
    """Apply these effects only when this condition holds (checked after the effects listed before them)."""

    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True, use_attribute_docstrings=True)

    @field_validator("roll")
    @classmethod
    def _ranges(cls, value: dict[str, list[int]]) -> dict[str, list[int]]:
        for name, (low, high) in value.items():
            if low > high:
                raise ValueError(f"roll {name}: {low} is greater than {high}")
        return value


EffectList = Effects | list[Effects]
"""One block of effects, or a list applied in order (each may have its own `if`)."""


def effect_blocks(effects: EffectList) -> list[Effects]:
    return effects if isinstance(effects, list) else [effects]


class Choice(_Model):
    """One option the player can take in a scene."""

    id: Id
    """Stable id, unique within its scene; saves and recorded paths refer to it."""
    text: ShortText
    """What the player sees in the list of choices."""
    goto: Id | None = None
    """Id of the scene this choice leads to (with `call`: the scene to come back to)."""
    call: Id | None = None
    """Play this sub-scene first; a choice there with `return: true` comes back to `goto`."""
    return_: bool = Field(default=False, alias="return")
    """Leave a sub-scene: go back to the `goto` of the choice that called it (instead of a `goto`)."""
    if_: Condition | None = Field(default=None, alias="if")
    """Condition for the choice to be offered; when it fails the choice is locked."""
    locked_reason: ShortText | None = None
    """Why the choice is locked, in words for the player (shown to authors regardless)."""
    once: bool = False
    """Offered only until it has been taken once."""
    fallback: bool = False
    """Offered only when no other choice of the scene is open: the way on when all else is closed."""
    auto: bool = False
    """Taken without asking when it is the only choice open: the scene's text is shown before the next one's."""
    effects: EffectList = Field(default_factory=list)
    """Changes to variables when the choice is taken."""
    reply: LongText | None = None
    """Text shown after the choice is taken, before the next scene's text."""
    historical: bool = False
    """This is what really happened. At most one choice per scene is historical."""
    note: LongText | None = None
    """Why this choice matters: shown in replay next to the historical option."""

    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True, use_attribute_docstrings=True)

    @model_validator(mode="after")
    def _reason_needs_if(self) -> Choice:
        if self.locked_reason is not None and self.if_ is None:
            raise ValueError("`locked_reason` without `if` is never shown: the choice is never locked")
        if self.return_ == (self.goto is not None):
            raise ValueError("a choice needs `goto` (where it leads) or `return: true` (back from a sub-scene), not both")
        if self.call is not None and self.return_:
            raise ValueError("`call` needs a `goto` to come back to, not `return`")
        return self


class Ending(_Model):
    """Marks a scene as an ending."""

    title: ShortText
    """The ending's name, shown on the ending screen and in "endings found"."""
    epilogue: LongText
    """What became of everyone, set against what really happened."""
    historical: bool = False
    """This ending is what really happened."""


class Scene(_Model):
    """A scene: a moment of the story with its text and its choices (or an ending)."""

    id: Id
    """Stable id, unique in the story."""
    act: StrictInt = Field(ge=1, le=99)
    """The act this scene belongs to (see the story's `acts`)."""
    title: ShortText
    """A short title for the scene, shown in the header, the log and the graph."""
    when: str | None = None
    """In-world date and time: `YYYY-MM-DD HH:MM`, `YYYY-MM-DD` or `YYYY-MM`. Required on historical scenes."""
    approximate: bool = False
    """The date is approximate (shown as "around ...")."""
    tz: Annotated[str, StringConstraints(min_length=1, max_length=10)] | None = None
    """Time zone shown after the time; defaults to the story's `tz`."""
    place: ShortText | None = None
    """Where the scene happens."""
    roles: list[Id] = Field(min_length=1)
    """The roles this scene belongs to."""
    label: Label | None = None
    """historical, dramatised or counterfactual, shown to the player in words. Required unless the
    story is fiction (no labels, dates, sources or historical choices anywhere)."""
    text: list[TextItem] | LongText
    """Scene text: one string, or a list of paragraphs and conditional passages."""
    history: History | None = None
    """What really happened here, with sources. Required on historical scenes."""
    weight: StrictInt = Field(default=1, ge=0, le=10)
    """How much leaving history at this decision counts toward divergence (0 to 10)."""
    effects: EffectList = Field(default_factory=list)
    """Changes to variables each time the scene is entered, before its text is shown."""
    choices: list[Choice] = Field(default_factory=list)
    """The choices; empty only on endings."""
    ending: Ending | None = None
    """Present on ending scenes, which have no choices."""

    @field_validator("when")
    @classmethod
    def _when(cls, value: str | None) -> str | None:
        if value is not None:
            parse_when(value)
        return value

    @model_validator(mode="after")
    def _shape(self) -> Scene:
        if self.ending is not None and self.choices:
            raise ValueError("an ending scene has no choices")
        if self.ending is None and not self.choices:
            raise ValueError("a scene needs choices or an `ending`")
        seen: set[str] = set()
        dupes: set[str] = set()
        for choice in self.choices:  # one pass: a scene may hold tens of thousands of choices
            (dupes if choice.id in seen else seen).add(choice.id)
        if dupes:
            raise ValueError(f"duplicate choice id {min(dupes)!r}")
        if sum(c.historical for c in self.choices) > 1:
            raise ValueError("at most one choice per scene may be `historical`")
        if self.label is Label.HISTORICAL:
            if self.when is None:
                raise ValueError("a historical scene needs `when`")
            if self.history is None:
                raise ValueError("a historical scene needs `history` with at least one source")
        return self

    @property
    def paragraphs(self) -> list[TextItem]:
        return [self.text] if isinstance(self.text, str) else list(self.text)


class SceneFile(_Model):
    """A scene file: one or more scenes."""

    scenes: list[Scene] = Field(min_length=1)
    """The scenes in this file."""


class Variable(_Model):
    """A story variable, declared with its type, default and range."""

    type: VarType
    """int, bool, str, or enum (one of a fixed list of `values`)."""
    default: Number | bool | str
    """Starting value; must match `type` (for an enum, one of its `values`)."""
    values: list[EnumValue] | None = None
    """The values an enum variable can take (required for `type: enum`, and only there)."""
    min: Number | None = None
    """Lowest value of an int variable; effects are clamped to it."""
    max: Number | None = None
    """Highest value of an int variable; effects are clamped to it."""
    label: ShortText | None = None
    """Name shown to the player; defaults to the id."""
    visible: bool = False
    """Show this variable in the side panel."""
    roles: list[Id] | None = None
    """Roles that see it in the side panel (all roles when absent)."""
    description: ShortText | None = None
    """One line explaining the variable, for the help screen and authors."""

    @field_validator("default")
    @classmethod
    def _default_typed(cls, value: int | bool | str, info: ValidationInfo) -> int | bool | str:
        kind = info.data.get("type")
        if isinstance(kind, VarType) and type(value) is not _PY_TYPES[kind]:
            # As `string_type`, the loader can explain an unquoted `no` or `1.10` that YAML read as non-text.
            code = "string_type" if kind is VarType.STR else "value_error"
            raise PydanticCustomError(code, "default {value} is not of type {kind}", {"value": repr(value), "kind": kind.value})
        return value

    @model_validator(mode="after")
    def _typed(self) -> Variable:
        if self.type is not VarType.INT and (self.min is not None or self.max is not None):
            raise ValueError("only int variables have `min` and `max`")
        if self.min is not None and self.max is not None and self.min > self.max:
            raise ValueError("`min` is greater than `max`")
        if self.type is VarType.INT and not _within(self.default, self.min, self.max):
            raise ValueError("`default` is outside `min`..`max`")
        if (self.type is VarType.ENUM) != (self.values is not None):
            raise ValueError("`values` belongs with `type: enum`, and an enum needs `values`")
        if self.values is not None and (not self.values or len(set(self.values)) != len(self.values)):
            raise ValueError("`values` lists each value once, at least one")
        return self


class Role(_Model):
    """A role the player can take."""

    name: ShortText
    """Shown on the title screen: "The board", "A staff member"."""
    description: ShortText
    """One or two lines shown when choosing a role."""
    start: Id
    """The scene this role starts in."""


class StoryMeta(_Model):
    """Story-level metadata."""

    id: Id
    """Stable story id; saves name it."""
    title: ShortText
    """The story's title."""
    version: Annotated[str, StringConstraints(pattern=r"^\d+\.\d+(\.\d+)?$")]
    """Story version, `MAJOR.MINOR[.PATCH]`; saves record it."""
    premise: ShortText | None = None
    """One line shown under the title."""
    tz: Annotated[str, StringConstraints(min_length=1, max_length=10)] = "PT"
    """Default time zone name shown after scene times."""
    acts: dict[StrictInt, ShortText] = Field(default_factory=dict)
    """Act number to act title."""
    roles: dict[Id, Role] = Field(min_length=1)
    """The playable roles."""
    variables: dict[Id, Variable] = Field(default_factory=dict)
    """Declared variables."""
    historical_paths: dict[Id, list[Annotated[str, StringConstraints(pattern=r"^[a-z][a-z0-9_]*\.[a-z][a-z0-9_]*$")]]] = Field(
        default_factory=dict
    )
    """Recorded historical path per role as `scene.choice` ids; `candid check` compares it with the story."""
    files: list[str] | None = None
    """Scene files to load (paths relative to the story folder, globs allowed); default: every `*.yaml` but story.yaml."""


class StoryFile(_Model):
    """The story file, `story.yaml`, at the root of the story folder."""

    story: StoryMeta
    """Story metadata."""


def _within(value: object, low: int | None, high: int | None) -> bool:
    assert isinstance(value, int)
    return (low is None or value >= low) and (high is None or value <= high)
