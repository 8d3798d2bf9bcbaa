"""`candid serve` survives its visitors: real servers, real games, real WebSockets on 127.0.0.1.

Each test starts the server as a child process and counts its game processes through /proc, so what
is asserted is what a machine running `serve` would see: how many games run, how much memory they
hold, and that none outlives its connection or the server.
"""

from __future__ import annotations

import asyncio
import json
import secrets
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

pytest.importorskip("textual_serve")
pytestmark = pytest.mark.skipif(not sys.platform.startswith("linux"), reason="counts processes through /proc")

import aiohttp  # noqa: E402

from bench.serveload import Served, alive, connect, first_frame, keys, rss_kib  # noqa: E402
from game.web.games import QUIT_GRACE  # noqa: E402
from game.web.server import IDLE_CLOSE, MAX_MESSAGE  # noqa: E402

TINY = Path(__file__).resolve().parent / "stories" / "tiny"
GONE_WITHIN = 2 * QUIT_GRACE + 3
"""Seconds within which a game process must be gone once its connection is."""


Serve = Callable[..., Served]


@pytest.fixture
def serve(tmp_path: Path) -> Iterator[Serve]:
    """Start `candid serve` on the tiny story with these extra options; stopped after the test."""
    started: list[Served] = []

    def start(*extra: str) -> Served:
        served = Served(TINY, tmp_path / f"home{len(started)}", *extra)
        started.append(served)
        return served

    yield start
    for served in started:
        served.close()


async def gone(pids: list[int], within: float = GONE_WITHIN) -> bool:
    deadline = time.monotonic() + within
    while any(alive(p) for p in pids):
        if time.monotonic() > deadline:
            return False
        await asyncio.sleep(0.05)
    return True


async def closed(ws: aiohttp.ClientWebSocketResponse, within: float = 60) -> int | None:
    """Read until the server closes the connection; its close code."""
    async with asyncio.timeout(within):
        while not ws.closed:
            message = await ws.receive()
            if message.type in (aiohttp.WSMsgType.CLOSE, aiohttp.WSMsgType.CLOSED, aiohttp.WSMsgType.ERROR):
                break
    return ws.close_code


async def pong(ws: aiohttp.ClientWebSocketResponse) -> None:
    """The server still answers this connection."""
    await ws.send_str(json.dumps(["ping", "still here"]))
    async with asyncio.timeout(30):
        while True:
            message = await ws.receive()
            assert message.type in (aiohttp.WSMsgType.TEXT, aiohttp.WSMsgType.BINARY)
            if message.type == aiohttp.WSMsgType.TEXT and json.loads(message.data) == ["pong", "still here"]:
                return


async def test_an_oversized_message_ends_that_game_only(serve: Serve) -> None:
    served = serve()
    async with aiohttp.ClientSession() as session:
        bystander = await connect(session, served, secrets.token_urlsafe(32))
        flooder = await connect(session, served, secrets.token_urlsafe(32))
        await asyncio.gather(first_frame(bystander), first_frame(flooder))
        games = served.games()
        assert len(games) == 2
        # The largest message allowed, twice: input is rationed, so the game's memory stays modest.
        for _ in range(2):
            await flooder.send_str(json.dumps(["stdin", "x" * (MAX_MESSAGE - 100)]))
        await asyncio.sleep(2)
        assert max(rss_kib(p) for p in games) < 300 * 1024
        await flooder.send_str(json.dumps(["stdin", "x" * 400_000]))
        assert await closed(flooder) == aiohttp.WSCloseCode.MESSAGE_TOO_BIG
        deadline = time.monotonic() + GONE_WITHIN
        while len(served.games()) > 1 and time.monotonic() < deadline:
            await asyncio.sleep(0.05)
        assert len(served.games()) == 1
        await pong(bystander)
        await bystander.close()
    assert await gone(games)
    assert "Traceback" not in served.text()


async def test_a_full_server_says_so_and_frees_the_seat_when_a_player_leaves(serve: Serve) -> None:
    served = serve("--max-players", "1")
    async with aiohttp.ClientSession() as session:
        first = await connect(session, served, secrets.token_urlsafe(32))
        await first_frame(first)
        page = await session.get(served.url + "/")
        assert page.status == 503
        assert "the server is full" in await page.text()
        with pytest.raises(aiohttp.WSServerHandshakeError) as refused:
            await connect(session, served, secrets.token_urlsafe(32))
        assert refused.value.status == 503
        games = served.games()
        await first.close()
        assert await gone(games)
        again = await session.get(served.url + "/")
        assert again.status == 200


async def test_an_idle_game_is_closed_with_its_game_saved(serve: Serve) -> None:
    served = serve("--idle-minutes", "0.1")
    player = secrets.token_urlsafe(32)
    async with aiohttp.ClientSession() as session:
        ws = await connect(session, served, player)
        await first_frame(ws)
        games = served.games()
        await keys(ws, "111")  # a new game, the first role, the first choice: autosaved
        assert await closed(ws, within=60) == IDLE_CLOSE
    assert await gone(games)
    autosave = served.home / "web" / player / "saves" / "tiny" / "autosave.json"
    assert json.loads(autosave.read_text())["path"] == ["start.ship"]


async def test_games_end_when_their_connections_drop_and_all_on_ctrl_c(serve: Serve) -> None:
    served = serve()
    anonymous_before = set()
    async with aiohttp.ClientSession() as session:
        sockets = [await connect(session, served, secrets.token_urlsafe(32)) for _ in range(3)]
        anonymous = await connect(session, served)  # no cookie: a script, not the page
        await asyncio.gather(*(first_frame(ws) for ws in [*sockets, anonymous]))
        anonymous_before = {p.name for p in (served.home / "web").iterdir()}
        games = served.games()
        assert len(games) == 4
        await sockets[0].close()
        await anonymous.close()
        deadline = time.monotonic() + GONE_WITHIN
        while len(served.games()) > 2 and time.monotonic() < deadline:
            await asyncio.sleep(0.05)
        assert len(served.games()) == 2
        seconds, survivors = served.interrupt()
    assert survivors == [] and served.process.returncode is not None
    assert seconds < GONE_WITHIN
    assert await gone(games, within=0)
    folders = {p.name for p in (served.home / "web").iterdir()}
    # Three players' folders and one shared story cache; the cookie-less folder went with its game.
    assert "cache" in folders and len(folders) == 4 and len(anonymous_before) == 5
    assert not any((served.home / "web" / name / "cache").exists() for name in folders)
    assert "Traceback" not in served.text()


async def test_malformed_messages_are_ignored_with_one_line_of_log(serve: Serve) -> None:
    served = serve()
    async with aiohttp.ClientSession() as session:
        ws = await connect(session, served, secrets.token_urlsafe(32))
        await first_frame(ws)
        junk = ["not json", "[]", "{}", "[1, 2]", '["resize", "wide"]', '["stdin", 5]', '["resize", {"width": true}]', "[" * 5000]
        for message in junk:
            await ws.send_str(message)
        await ws.send_bytes(b"\x00\xff")
        await pong(ws)
        await ws.close()
    log = served.text()
    assert "Traceback" not in log
    assert log.count("ignored a malformed message") == 1
    assert len(log.splitlines()) < 15
