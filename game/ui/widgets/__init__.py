"""Reusable widgets of the game screens."""

from .choices import ChoiceList
from .panels import TimelineColumn, TimelinePanel, VarPanel, bar
from .scene_map import SceneMap
from .scene_text import ReadOnLine, SceneText

__all__ = ["ChoiceList", "ReadOnLine", "SceneMap", "SceneText", "TimelineColumn", "TimelinePanel", "VarPanel", "bar"]
