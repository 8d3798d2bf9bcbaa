"""Player settings: theme, text reveal speed, reduced motion. JSON in the config folder."""

from __future__ import annotations

import json
import os
from dataclasses import asdict, dataclass, fields
from pathlib import Path

from ..engine.saves import atomic_write

REVEAL_SPEEDS: dict[str, int] = {"instant": 0, "fast": 300, "slow": 60}
"""Text reveal speeds in characters per second; 0 shows the text at once."""

REPLAY_PACES: dict[str, float] = {"slow": 12.0, "steady": 7.0, "brisk": 4.0}
"""Seconds per scene when replay advances by itself."""

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
        return settings

    def save(self, folder: Path) -> None:
        atomic_write(folder / "settings.json", json.dumps(asdict(self), indent=1).encode())

    @property
    def replay_seconds(self) -> float:
        return REPLAY_PACES[self.replay_pace]

    @property
    def reveal_speed(self) -> int:
        return 0 if self.reduced_motion else REVEAL_SPEEDS[self.reveal]
