"""The game in a browser: textual-serve runs one `candid play` process per browser connection.

Each visitor is known by a random token in a cookie, and their game process gets its own
CANDID_HOME (`<home>/<token>`), so saves of different visitors never mix and a returning visitor
(same browser) finds their autosave again. A connection without a valid cookie (a script, not the
page) plays in a folder that is removed when it closes. All games share one story cache.

A visitor cannot take the server down: messages are capped at MAX_MESSAGE bytes and keyboard input
at a steady rate, at most `max_players` games run at once (others get a "server full" page), a
game with no input for `idle_minutes` is closed (its autosave stays), malformed messages are
ignored with one line of log, and every game process ends within seconds of its connection, and
all of them when the server stops.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
import re
import secrets
import shlex
import shutil
import sys
import time
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import aiohttp_jinja2
from aiohttp import WSCloseCode, WSMsgType, web
from textual_serve.server import Server

from .address import is_loopback, is_loopback_name
from .games import IDLE_MINUTES, MAX_PLAYERS, QUIT_GRACE, VisitorGame, kill_group
from .words import full_now, local_only, own_page_only, page_words

COOKIE = "candid_player"
COOKIE_MAX_AGE = 365 * 24 * 3600
TOKEN = re.compile(r"^[A-Za-z0-9_-]{32,64}$")
TEMPLATES = Path(__file__).parent / "templates"
MAX_MESSAGE = 16 * 1024
"""The largest WebSocket message read from a page; a larger one closes the connection (1009)."""
IDLE_CLOSE = 4000
"""The close code a page gets when its game was closed for being idle."""

log = logging.getLogger("candid.web")


def new_token() -> str:
    return secrets.token_urlsafe(32)


def game_command(story: Path | None, lang: str | None = None) -> str:
    """The command started for each visitor: this Python, this package, this story, this language (no shell runs it)."""
    argv = [sys.executable, "-m", "game", "play"]
    if story is not None:
        argv.append(str(story.resolve()))
    if lang:
        argv += ["--lang", lang]
    return shlex.join(argv)


def envelope(data: str) -> tuple[str, Any] | None:
    """A page message `[type, payload]`, or None when it is anything else."""
    try:
        message = json.loads(data)
    except (ValueError, RecursionError):
        return None
    if not isinstance(message, list) or not message or not isinstance(message[0], str):
        return None
    return message[0], message[1] if len(message) > 1 else None


class GameServer(Server):
    """textual-serve's server with per-visitor save folders, our own page, same-origin checks and limits."""

    def __init__(
        self,
        command: str,
        *,
        home: Path,
        host: str,
        port: int,
        title: str,
        max_players: int = MAX_PLAYERS,
        idle_minutes: float = IDLE_MINUTES,
    ) -> None:
        super().__init__(command, host=host, port=port, title=title, templates_path=TEMPLATES)
        self.home = home
        self.cache = home / "cache"
        self.loopback = is_loopback(host)
        self.max_players = max_players
        self.idle_seconds = idle_minutes * 60
        self.sockets: set[web.WebSocketResponse] = set()
        self.games: set[VisitorGame] = set()
        self.seats = 0
        """Games running or starting: counted before a game starts, so a rush cannot overfill."""

    def initialize_logging(self) -> None:
        super().initialize_logging()
        # One line per request is noise for a room of players; failures still show.
        logging.getLogger("aiohttp.access").setLevel(logging.WARNING)

    async def on_startup(self, app: web.Application) -> None:
        """textual-serve prints its logo here; `candid serve` says what it serves itself."""

    async def on_shutdown(self, app: web.Application) -> None:
        """On Ctrl+C, close every game's connection and stop every game (each is autosaved) at once;
        whatever is still running after the grace period is killed."""
        closing = [ws.close(code=WSCloseCode.GOING_AWAY, message=b"server stopped") for ws in list(self.sockets)]
        stopping = [game.stop() for game in list(self.games)]
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(asyncio.gather(*closing, *stopping, return_exceptions=True), 2 * QUIT_GRACE + 1)
        for game in list(self.games):
            if game.process is not None:
                kill_group(game.process)

    def full(self) -> bool:
        return self.seats >= self.max_players

    def visitor_home(self, token: str | None) -> tuple[Path, bool]:
        """The save folder for a cookie value, and whether it is temporary (no well-formed token)."""
        temporary = token is None or not TOKEN.match(token)
        home = self.home / (new_token() if temporary or token is None else token)
        home.mkdir(parents=True, exist_ok=True, mode=0o700)
        return home, temporary

    def host_allowed(self, request: web.Request) -> bool:
        """On loopback, only loopback host names: a web page elsewhere cannot reach us by DNS rebinding."""
        if not self.loopback:
            return True
        hostname = urlsplit(f"//{request.host}").hostname or ""
        return is_loopback_name(hostname) or hostname == self.host

    @staticmethod
    def same_origin(request: web.Request) -> bool:
        """Browsers send Origin with WebSocket handshakes: refuse games opened from other sites' pages."""
        origin = request.headers.get("Origin")
        if origin is None:
            return True
        return urlsplit(origin).netloc.lower() == request.host.lower()

    async def handle_index(self, request: web.Request) -> web.StreamResponse:
        if not self.host_allowed(request):
            raise web.HTTPMisdirectedRequest(text=local_only())
        if self.full():
            full = {"title": self.title, "words": page_words(self.max_players)}
            response = aiohttp_jinja2.render_template("full.html", request, full, status=503)
            response.headers["Retry-After"] = "60"
            response.headers["Cache-Control"] = "no-store"
            return response
        scheme = "wss" if request.secure else "ws"
        context: dict[str, object] = {
            "title": self.title,
            "words": page_words(self.max_players),
            "static_url": "/static/",
            "websocket_url": f"{scheme}://{request.host}/ws",
            "font_size": max(8, min(32, _to_int(request.query.get("fontsize", ""), 16))),
        }
        response = aiohttp_jinja2.render_template("index.html", request, context)
        token = request.cookies.get(COOKIE)
        if token is None or not TOKEN.match(token):
            response.set_cookie(COOKIE, new_token(), max_age=COOKIE_MAX_AGE, path="/", httponly=True, samesite="Strict")
        response.headers["Cache-Control"] = "no-store"
        return response

    async def handle_websocket(self, request: web.Request) -> web.WebSocketResponse:
        # Mirrors textual-serve's handler, which builds a plain AppService; ours adds the visitor's
        # folder, the limits, and a stop that always ends the process.
        if not (self.host_allowed(request) and self.same_origin(request)):
            raise web.HTTPForbidden(text=own_page_only())
        if self.full():
            raise web.HTTPServiceUnavailable(text=full_now(self.max_players))
        self.seats += 1
        home, temporary = self.visitor_home(request.cookies.get(COOKIE))
        websocket = web.WebSocketResponse(heartbeat=15, max_msg_size=MAX_MESSAGE)
        width = _to_int(request.query.get("width", ""), 80)
        height = _to_int(request.query.get("height", ""), 24)
        game: VisitorGame | None = None
        self.sockets.add(websocket)
        try:
            await websocket.prepare(request)
            game = VisitorGame(
                self.command,
                home=home,
                cache=self.cache,
                write_bytes=websocket.send_bytes,
                write_str=websocket.send_str,
                close=websocket.close,
                download_manager=self.download_manager,
                debug=self.debug,
            )
            self.games.add(game)
            await game.start(width, height)
            await self._process_messages(websocket, game)
        except Exception as exc:
            log.warning("a game connection failed: %s", type(exc).__name__)
        finally:
            self.sockets.discard(websocket)
            try:
                if game is not None:
                    await game.stop()
            finally:
                if game is not None:
                    self.games.discard(game)
                self.seats -= 1
                if temporary:
                    shutil.rmtree(home, ignore_errors=True)
        return websocket

    async def _process_messages(self, websocket: web.WebSocketResponse, game: VisitorGame) -> None:  # type: ignore[override]
        """Pass the page's messages on until it goes, sends something too large, or falls idle."""
        last_input = time.monotonic()
        ignored = 0
        while True:
            left = last_input + self.idle_seconds - time.monotonic()
            try:
                message = await websocket.receive(timeout=max(left, 0.01))
            except TimeoutError:
                await websocket.close(code=IDLE_CLOSE, message=b"closed after a long idle time; the game is saved")
                return
            if message.type != WSMsgType.TEXT:
                if message.type in (WSMsgType.CLOSE, WSMsgType.CLOSING, WSMsgType.CLOSED, WSMsgType.ERROR):
                    return
                continue
            parsed = envelope(message.data)
            kind, data = parsed if parsed is not None else ("", None)
            if kind == "stdin" and isinstance(data, str):
                last_input = time.monotonic()
                await game.type(data.encode("utf-8", "replace"))
            elif kind == "resize" and isinstance(data, dict):
                await game.set_terminal_size(data.get("width"), data.get("height"))  # type: ignore[arg-type]
            elif kind == "ping":
                await websocket.send_json(["pong", data])
            elif kind == "blur":
                await game.blur()
            elif kind == "focus":
                last_input = time.monotonic()
                await game.focus()
            else:
                ignored += 1
                if ignored == 1:
                    log.warning("ignored a malformed message from a page (further ones are ignored silently)")


def _to_int(value: str, default: int) -> int:
    try:
        return int(value)
    except ValueError:
        return default


def serve(
    story: Path | None,
    *,
    title: str,
    host: str,
    port: int,
    home: Path,
    lang: str | None = None,
    max_players: int = MAX_PLAYERS,
    idle_minutes: float = IDLE_MINUTES,
) -> None:
    """Run the server until Ctrl+C. Raises OSError when the address cannot be bound."""
    server = GameServer(
        game_command(story, lang), home=home, host=host, port=port, title=title, max_players=max_players, idle_minutes=idle_minutes
    )
    server.serve()
