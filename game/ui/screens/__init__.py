"""The game's screens."""

from .dialogs import ConfirmScreen, InfoScreen, RoleScreen, SlotNameScreen, TimelineScreen, TooSmallScreen
from .ending import EndingScreen
from .gallery import GalleryScreen
from .load import LoadScreen
from .map import MapScreen
from .play import PlayScreen
from .replay import ReplayScreen
from .settings import SettingsScreen
from .title import TitleScreen

__all__ = [
    "ConfirmScreen",
    "EndingScreen",
    "GalleryScreen",
    "InfoScreen",
    "LoadScreen",
    "MapScreen",
    "PlayScreen",
    "ReplayScreen",
    "RoleScreen",
    "SettingsScreen",
    "SlotNameScreen",
    "TimelineScreen",
    "TitleScreen",
    "TooSmallScreen",
]
