"""What a save file holds, as pydantic validates it (saves are untrusted): apart from `saves.py`
so that starting the game does not import pydantic; a save is validated when one is read."""

from __future__ import annotations

import math
from typing import Annotated

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, StringConstraints

from .models import Id
from .savelimits import LATEST_TIME, MAX_PATH, SLOT_PATTERN, Value

ChoiceKey = Annotated[str, StringConstraints(pattern=r"^[a-z][a-z0-9_]*\.[a-z][a-z0-9_]*$", max_length=130)]
"""A step of a saved path, `scene.choice`: ids only, so nothing odd from a save reaches the screen."""


def _slot_name(value: str) -> str:
    if not SLOT_PATTERN.match(value):
        raise ValueError("not a slot name")
    return value


def _save_time(value: float) -> float:
    if not (math.isfinite(value) and 0 <= value <= LATEST_TIME):
        raise ValueError("not a time")
    return value


class SaveFile(BaseModel):
    """What a save file holds."""

    model_config = ConfigDict(extra="forbid")

    format: int
    story_id: Id
    story_version: str
    fingerprint: str
    role: Id
    start: Id
    initial: dict[Id, Value]
    seed: int = 0
    """The random stream's state at the start; release 1 saves have none (and drew nothing)."""
    path: list[ChoiceKey] = Field(max_length=MAX_PATH)
    scene: Id
    vars: dict[Id, Value]
    saved_at: Annotated[float, AfterValidator(_save_time)]
    slot: Annotated[str, AfterValidator(_slot_name)]
    checksum: str


__all__ = ["ChoiceKey", "SaveFile"]
