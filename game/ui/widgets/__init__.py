"""Reusable widgets of the game screens."""

from .choices import ChoiceList
from .footer import Footer
from .panels import TimelineColumn, TimelinePanel, VarPanel, bar
from .scene_map import SceneMap
from .scene_text import ReadOnLine, SceneText

__all__ = ["ChoiceList", "Footer", "ReadOnLine", "SceneMap", "SceneText", "TimelineColumn", "TimelinePanel", "VarPanel", "bar"]
