"""Play in a browser: `candid serve` (needs the `web` extra, textual-serve)."""

from .server import GameServer, banner, check_address, game_command, is_loopback, serve

__all__ = ["GameServer", "banner", "check_address", "game_command", "is_loopback", "serve"]
