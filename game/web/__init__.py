"""Play in a browser: `candid serve` (needs the `web` extra, textual-serve)."""

from .server import GameServer, banner, game_command, is_loopback, serve

__all__ = ["GameServer", "banner", "game_command", "is_loopback", "serve"]
