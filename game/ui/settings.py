"""Player settings: theme, text reveal, reduced motion, replay pace, text width, spoilers, reading first. JSON in the config folder."""

from __future__ import annotations

import json
import os
from dataclasses import asdict, dataclass, fields
from pathlib import Path

from ..engine.i18n import N_, _
from ..engine.saves import atomic_write

REVEAL_SPEEDS: dict[str, int] = {"instant": 0, "fast": 300, "slow": 60}
"""Text reveal speeds in characters per second; 0 shows the text at once."""

REPLAY_PACES: dict[str, int] = {"slow": 160, "steady": 230, "brisk": 320}
"""Reading speeds in words a minute: replay's auto-advance gives each scene the time its text takes."""
PACE_NAMES = {"slow": N_("slow"), "steady": N_("steady"), "brisk": N_("brisk")}


def pace_name(pace: str) -> str:
    """A replay pace as the player reads it: `steady`, `gemächlich`."""
    return _(PACE_NAMES[pace]) if pace in PACE_NAMES else pace


MIN_SCENE_SECONDS = 4.0
"""Even a scene of a few words stays this long, so the choice and the record beside it can be seen."""

TEXT_WIDTHS: dict[str, int | None] = {"narrow": 60, "medium": 72, "wide": 100, "full": None}
"""Longest line of scene text in columns; None runs the text to the edge of its column."""

DEFAULT_THEME = "textual-dark"


def config_home() -> Path:
    """The user config folder; `CANDID_HOME` overrides it, as it does the data folder."""
    override = os.environ.get("CANDID_HOME")
    if override:
        return Path(override)
    import platformdirs

    return Path(platformdirs.user_config_dir("candid", appauthor=False))


@dataclass(slots=True)
class Settings:
    theme: str = DEFAULT_THEME
    reveal: str = "instant"
    reduced_motion: bool = False
    replay_pace: str = "steady"
    language: str = ""
    """The language chosen in Settings; empty: `--lang`, else the environment's."""
    text_width: str = "medium"
    show_ahead: bool = False
    """The timeline (`t`) lists the record still ahead, with history's choices: spoilers, so off at first."""
    read_first: bool = True
    """The choices wait until the scene's text is read; off, they show with the text at once."""

    @classmethod
    def load(cls, folder: Path) -> Settings:
        """The saved settings; anything missing, mistyped or unreadable falls back to the default."""
        try:
            data = json.loads((folder / "settings.json").read_text("utf-8"))
        except (OSError, ValueError):
            return cls()
        if not isinstance(data, dict):
            return cls()
        settings = cls()
        for f in fields(cls):
            value = data.get(f.name)
            if isinstance(value, type(getattr(settings, f.name))):
                setattr(settings, f.name, value)
        if settings.reveal not in REVEAL_SPEEDS:
            settings.reveal = "instant"
        if settings.replay_pace not in REPLAY_PACES:
            settings.replay_pace = "steady"
        if settings.text_width not in TEXT_WIDTHS:
            settings.text_width = "medium"
        return settings

    def save(self, folder: Path) -> None:
        atomic_write(folder / "settings.json", json.dumps(asdict(self), indent=1).encode())

    def reading_seconds(self, words: int, characters: int = 0) -> float:
        """How long replay stays on a scene of `words` words: reading time at the chosen pace, plus
        the time the typewriter takes to show `characters` characters."""
        reveal = characters / self.reveal_speed if self.reveal_speed else 0.0
        return max(MIN_SCENE_SECONDS, 60.0 * words / REPLAY_PACES[self.replay_pace]) + reveal

    @property
    def text_columns(self) -> int | None:
        return TEXT_WIDTHS[self.text_width]

    @property
    def reveal_speed(self) -> int:
        return 0 if self.reduced_motion else REVEAL_SPEEDS[self.reveal]
