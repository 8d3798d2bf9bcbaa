"""The game in a browser: textual-serve runs one `candid play` process per browser connection.

Each visitor is known by a random token in a cookie, and their game process gets its own
CANDID_HOME (`<home>/<token>`), so saves of different visitors never mix and a returning visitor
(same browser) finds their autosave again. A connection without a valid cookie gets a fresh folder.
"""

from __future__ import annotations

import asyncio
import ipaddress
import logging
import os
import re
import secrets
import shlex
import socket
import sys
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import aiohttp_jinja2
from aiohttp import WSCloseCode, web
from textual_serve.app_service import AppService
from textual_serve.server import Server

COOKIE = "candid_player"
COOKIE_MAX_AGE = 365 * 24 * 3600
TOKEN = re.compile(r"^[A-Za-z0-9_-]{32,64}$")
TEMPLATES = Path(__file__).parent / "templates"
LOOPBACK_NAMES = frozenset({"localhost", "127.0.0.1", "::1"})
QUIT_GRACE = 10.0
# The page reports its terminal size; a forged one must not make a game allocate a giant screen.
MAX_COLUMNS, MAX_ROWS = 500, 200

log = logging.getLogger("candid.web")


def is_loopback(host: str) -> bool:
    """Whether binding to `host` keeps the server on this machine only."""
    if host.lower() == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def _is_unspecified(host: str) -> bool:
    try:
        return ipaddress.ip_address(host).is_unspecified
    except ValueError:
        return False


def new_token() -> str:
    return secrets.token_urlsafe(32)


def game_command(story: Path | None, lang: str | None = None) -> str:
    """The shell command textual-serve starts for each visitor: this Python, this package, this story, this language."""
    argv = [sys.executable, "-m", "game", "play"]
    if story is not None:
        argv.append(str(story.resolve()))
    if lang:
        argv += ["--lang", lang]
    return shlex.join(argv)


class VisitorGame(AppService):
    """One visitor's game process, with its own save folder."""

    def __init__(self, command: str, *, home: Path, **kwargs: Any) -> None:
        super().__init__(command, **kwargs)
        self.home = home
        self.drawn = False
        self.browser_focused: bool | None = None

    # Textual's web driver blurs the app as it starts. A focus the page sends while the game is still
    # starting is handled before that blur and lost, and the app stays blurred (its footer of keys
    # stays empty). So the page's focus changes wait for the game's first frame.
    async def focus(self) -> None:
        self.browser_focused = True
        if self.drawn:
            await super().focus()

    async def blur(self) -> None:
        self.browser_focused = False
        if self.drawn:
            await super().blur()

    async def on_data(self, payload: bytes) -> None:
        await super().on_data(payload)
        if not self.drawn:
            self.drawn = True
            if self.browser_focused is not None:
                await (super().focus() if self.browser_focused else super().blur())

    async def run(self) -> None:
        """Run the game; when its process ends without saying so (it crashed), close the page's
        connection too, so the page says the game has closed rather than freezing on its last frame."""
        await super().run()
        await self.remote_close()

    async def set_terminal_size(self, width: int, height: int) -> None:
        await super().set_terminal_size(*terminal_size(width, height))

    def _build_environment(self, width: int = 80, height: int = 24) -> dict[str, str]:
        env = super()._build_environment(*terminal_size(width, height))
        env["CANDID_HOME"] = str(self.home)
        # The child runs `python -m game`: make sure it finds this very package, wherever we run from.
        package_root = str(Path(__file__).resolve().parents[2])
        env["PYTHONPATH"] = os.pathsep.join(p for p in (package_root, env.get("PYTHONPATH", "")) if p)
        return env

    async def stop(self) -> None:
        """Stop as textual-serve does, then reap the process: a game that ignores "quit" is killed."""
        await super().stop()
        process = self._process
        if process is None:
            return
        try:
            await asyncio.wait_for(process.wait(), QUIT_GRACE)
        except TimeoutError:
            process.kill()
            await process.wait()


class GameServer(Server):
    """textual-serve's server with per-visitor save folders, our own page and same-origin checks."""

    def __init__(self, command: str, *, home: Path, host: str, port: int, title: str) -> None:
        super().__init__(command, host=host, port=port, title=title, templates_path=TEMPLATES)
        self.home = home
        self.loopback = is_loopback(host)
        self.sockets: set[web.WebSocketResponse] = set()

    def initialize_logging(self) -> None:
        super().initialize_logging()
        # One line per request is noise for a room of players; failures still show.
        logging.getLogger("aiohttp.access").setLevel(logging.WARNING)

    async def on_startup(self, app: web.Application) -> None:
        """textual-serve prints its logo here; `candid serve` says what it serves itself."""

    async def on_shutdown(self, app: web.Application) -> None:
        """On Ctrl+C, close every game's connection: each handler then quits its game (autosaved)
        instead of aiohttp waiting out its shutdown timeout for players to leave."""
        await asyncio.gather(*(ws.close(code=WSCloseCode.GOING_AWAY, message=b"server stopped") for ws in list(self.sockets)))

    def visitor_home(self, token: str | None) -> Path:
        """The save folder for a cookie value; anything but a well-formed token gets a folder of its own."""
        if token is None or not TOKEN.match(token):
            token = new_token()
        home = self.home / token
        home.mkdir(parents=True, exist_ok=True, mode=0o700)
        return home

    def host_allowed(self, request: web.Request) -> bool:
        """On loopback, only loopback host names: a web page elsewhere cannot reach us by DNS rebinding."""
        if not self.loopback:
            return True
        hostname = urlsplit(f"//{request.host}").hostname or ""
        return hostname.lower() in LOOPBACK_NAMES or hostname == self.host

    @staticmethod
    def same_origin(request: web.Request) -> bool:
        """Browsers send Origin with WebSocket handshakes: refuse games opened from other sites' pages."""
        origin = request.headers.get("Origin")
        if origin is None:
            return True
        return urlsplit(origin).netloc.lower() == request.host.lower()

    async def handle_index(self, request: web.Request) -> web.StreamResponse:
        if not self.host_allowed(request):
            raise web.HTTPMisdirectedRequest(text="This game is served on this machine only.")
        scheme = "wss" if request.secure else "ws"
        context = {
            "title": self.title,
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
        # Mirrors textual-serve's handler, which builds a plain AppService; ours adds the visitor's folder.
        if not (self.host_allowed(request) and self.same_origin(request)):
            raise web.HTTPForbidden(text="This game only accepts connections from its own page.")
        home = self.visitor_home(request.cookies.get(COOKIE))
        websocket = web.WebSocketResponse(heartbeat=15)
        width = _to_int(request.query.get("width", ""), 80)
        height = _to_int(request.query.get("height", ""), 24)
        game: VisitorGame | None = None
        self.sockets.add(websocket)
        try:
            await websocket.prepare(request)
            game = VisitorGame(
                self.command,
                home=home,
                write_bytes=websocket.send_bytes,
                write_str=websocket.send_str,
                close=websocket.close,
                download_manager=self.download_manager,
                debug=self.debug,
            )
            await game.start(width, height)
            await self._process_messages(websocket, game)
        except Exception:
            log.exception("a game connection failed")
        finally:
            self.sockets.discard(websocket)
            if game is not None:
                await game.stop()
        return websocket


def terminal_size(width: object, height: object) -> tuple[int, int]:
    """A size the page reported, made sane: whole cells, at least 1, at most MAX_COLUMNS by MAX_ROWS."""
    columns = width if isinstance(width, int) else 80
    rows = height if isinstance(height, int) else 24
    return max(1, min(MAX_COLUMNS, columns)), max(1, min(MAX_ROWS, rows))


def _to_int(value: str, default: int) -> int:
    try:
        return int(value)
    except ValueError:
        return default


def url_for(host: str, port: int) -> str:
    return f"http://[{host}]:{port}/" if ":" in host else f"http://{host}:{port}/"


def banner(title: str, host: str, port: int, home: Path) -> list[str]:
    """What `candid serve` says at start: where to go, who can reach it, where saves go."""
    lines = [f"Serving {title} at {url_for(host, port)}"]
    if is_loopback(host):
        lines.append("Loopback only: just this machine can play. To let others on your network play, use --host 0.0.0.0.")
    else:
        lines.append(
            f"Warning: listening on {host}, not loopback: anyone who can reach this machine on port {port} can play "
            "(there is no password). Use this only on a network you trust."
        )
        if _is_unspecified(host):
            lines.append(f"Others open http://{socket.gethostname()}:{port}/ or this machine's address.")
    lines.append(f"Each browser gets its own game and save folder under {home}.")
    lines.append("Press Ctrl+C to stop.")
    return lines


def check_address(host: str, port: int) -> None:
    """Bind and release the address, so a busy port or unknown host is reported before the banner. Raises OSError."""
    family, kind, proto, _, address = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)[0]
    with socket.socket(family, kind, proto) as probe:
        # As aiohttp will: a port left in TIME_WAIT by a previous run is free to use.
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        probe.bind(address)


def serve(story: Path | None, *, title: str, host: str, port: int, home: Path, lang: str | None = None) -> None:
    """Run the server until Ctrl+C. Raises OSError when the address cannot be bound."""
    GameServer(game_command(story, lang), home=home, host=host, port=port, title=title).serve()
