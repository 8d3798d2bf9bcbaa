"""Play in a browser: `candid serve` (needs the `web` extra, textual-serve)."""

from .address import banner, check_address, is_loopback, is_loopback_name, url_for
from .games import IDLE_MINUTES, MAX_PLAYERS, VisitorGame, terminal_size
from .server import MAX_MESSAGE, GameServer, game_command, serve

__all__ = [
    "IDLE_MINUTES",
    "MAX_MESSAGE",
    "MAX_PLAYERS",
    "GameServer",
    "VisitorGame",
    "banner",
    "check_address",
    "game_command",
    "is_loopback",
    "is_loopback_name",
    "serve",
    "terminal_size",
    "url_for",
]
