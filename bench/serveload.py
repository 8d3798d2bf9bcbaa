"""A load test of `candid serve`: N simultaneous players over real WebSockets on 127.0.0.1.

    python -m bench.serveload [--players 30] [--story tests/stories/tiny]

Starts the server as a child process, connects the players at once (each waits for its game's first
frame, then plays a few keys), and prints the memory of the server and of each game process, and
how long Ctrl+C (SIGINT) takes until the server and every game process are gone. The tests use the
same `Served` harness with fewer players.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import os
import secrets
import signal
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import aiohttp

ROOT = Path(__file__).resolve().parents[1]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _status(pid: int) -> dict[str, str]:
    try:
        text = Path(f"/proc/{pid}/status").read_text()
    except OSError:
        return {}
    return dict(line.split(":\t", 1) for line in text.splitlines() if ":\t" in line)


def alive(pid: int) -> bool:
    """Running (a zombie waiting to be reaped does not count)."""
    state = _status(pid).get("State", "")
    return bool(state) and not state.startswith("Z")


def rss_kib(pid: int) -> int:
    return int(_status(pid).get("VmRSS", "0 kB").split()[0])


def children(pid: int) -> list[int]:
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit() and _status(int(entry.name)).get("PPid") == str(pid) and alive(int(entry.name)):
            found.append(int(entry.name))
    return found


class Served:
    """`candid serve` in a child process, with its log in a file."""

    def __init__(self, story: Path, home: Path, *extra: str) -> None:
        self.port = free_port()
        self.home = home
        self.log_path = home / "serve.log"
        home.mkdir(parents=True, exist_ok=True)
        env = {**os.environ, "CANDID_HOME": str(home), "PYTHONPATH": str(ROOT)}
        self.log = self.log_path.open("wb")
        argv = [sys.executable, "-m", "game", "serve", str(story), "--port", str(self.port), *extra]
        self.process = subprocess.Popen(argv, cwd=ROOT, env=env, stdout=self.log, stderr=subprocess.STDOUT, start_new_session=True)
        self.url = f"http://127.0.0.1:{self.port}"
        deadline = time.monotonic() + 60
        while "Press Ctrl+C" not in self.text():
            if self.process.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError(f"serve did not start: {self.text()}")
            time.sleep(0.05)
        # The banner is printed just before the server binds; wait until it accepts connections.
        while True:
            try:
                socket.create_connection(("127.0.0.1", self.port), timeout=1).close()
                break
            except OSError:
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.05)

    def text(self) -> str:
        return self.log_path.read_text(errors="replace")

    def games(self) -> list[int]:
        return children(self.process.pid)

    def interrupt(self, timeout: float = 60) -> tuple[float, list[int]]:
        """Ctrl+C: seconds until the server and all its games are gone, and any game still alive."""
        games = self.games()
        start = time.monotonic()
        self.process.send_signal(signal.SIGINT)
        with contextlib.suppress(subprocess.TimeoutExpired):
            self.process.wait(timeout)
        while any(alive(p) for p in games) and time.monotonic() - start < timeout:
            time.sleep(0.02)
        return time.monotonic() - start, [p for p in games if alive(p)]

    def close(self) -> None:
        if self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait()
        self.log.close()


async def connect(session: aiohttp.ClientSession, served: Served, cookie: str | None = None) -> aiohttp.ClientWebSocketResponse:
    headers = {"Origin": served.url, **({"Cookie": f"candid_player={cookie}"} if cookie else {})}
    return await session.ws_connect(f"{served.url}/ws?width=80&height=24", headers=headers)


async def first_frame(ws: aiohttp.ClientWebSocketResponse, timeout: float = 120) -> bytes:
    """The game's first screen output: it has started and drawn."""
    async with asyncio.timeout(timeout):
        while True:
            message = await ws.receive()
            if message.type == aiohttp.WSMsgType.BINARY:
                return bytes(message.data)
            if message.type in (aiohttp.WSMsgType.CLOSE, aiohttp.WSMsgType.CLOSED, aiohttp.WSMsgType.ERROR):
                raise RuntimeError("the game closed before drawing")


async def keys(ws: aiohttp.ClientWebSocketResponse, text: str) -> None:
    for key in text:
        await ws.send_str(json.dumps(["stdin", key]))
        await asyncio.sleep(0.3)


async def drain(ws: aiohttp.ClientWebSocketResponse, seconds: float) -> None:
    with_deadline = time.monotonic() + seconds
    while (left := with_deadline - time.monotonic()) > 0:
        try:
            await ws.receive(timeout=left)
        except TimeoutError:
            return


async def load(players: int, story: Path, home: Path) -> dict[str, float]:
    served = Served(story, home, "--max-players", str(players))
    try:
        server_idle = rss_kib(served.process.pid)
        async with aiohttp.ClientSession() as session:
            started = time.monotonic()
            sockets = await asyncio.gather(*(connect(session, served, secrets.token_urlsafe(32)) for _ in range(players)))
            await asyncio.gather(*(first_frame(ws) for ws in sockets))
            all_drawn = time.monotonic() - started
            # Each player starts a game and takes a choice, and the screens settle.
            await asyncio.gather(*(keys(ws, "11") for ws in sockets))
            await asyncio.gather(*(drain(ws, 3) for ws in sockets))
            games = served.games()
            per_game = [rss_kib(p) for p in games]
            server = rss_kib(served.process.pid)
            seconds, survivors = served.interrupt()
    finally:
        served.close()
    return {
        "players": players,
        "games running": len(games),
        "seconds until every game drew": round(all_drawn, 1),
        "server RSS idle (MiB)": round(server_idle / 1024, 1),
        "server RSS with players (MiB)": round(server / 1024, 1),
        "server MiB per player": round((server - server_idle) / 1024 / players, 2),
        "game RSS mean (MiB)": round(sum(per_game) / max(1, len(per_game)) / 1024, 1),
        "game RSS max (MiB)": round(max(per_game, default=0) / 1024, 1),
        "all games total (MiB)": round(sum(per_game) / 1024, 1),
        "Ctrl+C until all gone (s)": round(seconds, 2),
        "processes surviving": len(survivors),
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.serveload", description=__doc__.splitlines()[0])
    parser.add_argument("--players", type=int, default=30)
    parser.add_argument("--story", type=Path, default=ROOT / "tests" / "stories" / "tiny")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as home:
        result = asyncio.run(load(args.players, args.story, Path(home)))
    width = max(map(len, result))
    for name, value in result.items():
        print(f"{name:<{width}}  {value}")
    return 1 if result["processes surviving"] else 0


if __name__ == "__main__":
    raise SystemExit(main())
