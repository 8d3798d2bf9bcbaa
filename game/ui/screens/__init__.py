"""The game's screens, each imported when first asked for: the title screen, which a player sees
first, does not wait for the play screen and the others to be imported."""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .dialogs import ConfirmScreen, InfoScreen, RoleScreen, SlotNameScreen, TimelineScreen, TooSmallScreen
    from .ending import EndingScreen
    from .gallery import GalleryScreen
    from .load import LoadScreen
    from .map import MapScreen
    from .play import PlayScreen
    from .replay import ReplayScreen
    from .settings import SettingsScreen
    from .title import TitleScreen

MODULES = {
    "ConfirmScreen": "dialogs",
    "InfoScreen": "dialogs",
    "RoleScreen": "dialogs",
    "SlotNameScreen": "dialogs",
    "TimelineScreen": "dialogs",
    "TooSmallScreen": "dialogs",
    "EndingScreen": "ending",
    "GalleryScreen": "gallery",
    "LoadScreen": "load",
    "MapScreen": "map",
    "PlayScreen": "play",
    "ReplayScreen": "replay",
    "SettingsScreen": "settings",
    "TitleScreen": "title",
}


def __getattr__(name: str) -> Any:
    if name not in MODULES:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    return getattr(importlib.import_module(f".{MODULES[name]}", __name__), name)


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
