"""One visitor's game process: started in a process group of its own, ended for sure.

textual-serve starts each game through `/bin/sh` and, to stop it, sends "quit" and then waits for
it with no deadline; a game that does not listen (busy, or flooded with input) outlived its
visitor. Here the game is started directly (no shell) as the leader of a new process group, asked
to quit, given QUIT_GRACE seconds, and then the whole group is killed. On Linux the game also dies
with the server, whatever kills the server.
"""

from __future__ import annotations

import asyncio
import contextlib
import ctypes
import os
import shlex
import signal
import sys
import time
from asyncio.subprocess import PIPE, Process
from pathlib import Path
from typing import Any

from textual_serve.app_service import AppService

QUIT_GRACE = 3.0
"""Seconds a game gets to quit on its own before its process group is killed."""
# The page reports its terminal size; a forged one must not make a game allocate a giant screen.
MAX_COLUMNS, MAX_ROWS = 500, 200
STDIN_RATE = 4096.0
"""Bytes per second of keyboard input passed on to a game (a burst of STDIN_BURST is fine). Every
byte of input costs the game kilobytes to parse: a flood is slowed down, never buffered."""
STDIN_BURST = 8192.0
MAX_PLAYERS = 20
"""Games running at once, by default (`candid serve --max-players`)."""
IDLE_MINUTES = 30.0
"""Minutes without input after which a game is closed, by default (`--idle-minutes`)."""

_PR_SET_PDEATHSIG = 1


def _die_with_parent() -> None:  # pragma: no cover - runs in the child between fork and exec
    with contextlib.suppress(Exception):
        ctypes.CDLL(None).prctl(_PR_SET_PDEATHSIG, signal.SIGKILL)


def terminal_size(width: object, height: object) -> tuple[int, int]:
    """A size the page reported, made sane: whole cells, at least 1, at most MAX_COLUMNS by MAX_ROWS."""
    columns = width if isinstance(width, int) and not isinstance(width, bool) else 80
    rows = height if isinstance(height, int) and not isinstance(height, bool) else 24
    return max(1, min(MAX_COLUMNS, columns)), max(1, min(MAX_ROWS, rows))


def kill_group(process: Process) -> None:
    """Kill a game and everything it started (it leads its own process group)."""
    with contextlib.suppress(ProcessLookupError, PermissionError):
        os.killpg(process.pid, signal.SIGKILL)


class InputBudget:
    """A token bucket for keyboard input: `spend` waits until the bytes fit the rate."""

    def __init__(self, rate: float = STDIN_RATE, burst: float = STDIN_BURST) -> None:
        self.rate, self.burst = rate, burst
        self.tokens = burst
        self.at = time.monotonic()

    async def spend(self, size: int) -> None:
        now = time.monotonic()
        self.tokens = min(self.burst, self.tokens + (now - self.at) * self.rate)
        self.at = now
        self.tokens -= size
        if self.tokens < 0:
            await asyncio.sleep(-self.tokens / self.rate)


class VisitorGame(AppService):
    """One visitor's game process, with its own save folder and the shared story cache."""

    def __init__(self, command: str, *, home: Path, cache: Path | None = None, **kwargs: Any) -> None:
        super().__init__(command, **kwargs)
        self.home = home
        self.cache = cache
        self.drawn = False
        self.browser_focused: bool | None = None
        self.budget = InputBudget()

    @property
    def process(self) -> Process | None:
        return self._process

    async def _open_app_process(self, width: int = 80, height: int = 24) -> Process:
        environment = self._build_environment(width=width, height=height)
        self._process = process = await asyncio.create_subprocess_exec(
            *shlex.split(self.command),
            stdin=PIPE,
            stdout=PIPE,
            stderr=PIPE,
            env=environment,
            start_new_session=True,
            preexec_fn=_die_with_parent if sys.platform.startswith("linux") else None,
        )
        assert process.stdin is not None
        self._stdin = process.stdin
        return process

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

    async def type(self, data: bytes) -> None:
        """Pass keyboard input on, at most at the input rate."""
        await self.budget.spend(len(data))
        await self.send_bytes(data)

    async def run(self) -> None:
        """Run the game; when its process ends without saying so (it crashed), close the page's
        connection too, so the page says the game has closed rather than freezing on its last frame."""
        await super().run()
        with contextlib.suppress(Exception):
            await self.remote_close()

    async def set_terminal_size(self, width: int, height: int) -> None:
        await super().set_terminal_size(*terminal_size(width, height))

    def _build_environment(self, width: int = 80, height: int = 24) -> dict[str, str]:
        env = super()._build_environment(*terminal_size(width, height))
        env["CANDID_HOME"] = str(self.home)
        if self.cache is not None:
            # Every visitor plays the same story: one cache of it serves them all.
            env["CANDID_CACHE"] = str(self.cache)
        # The child runs `python -m game`: make sure it finds this very package, wherever we run from.
        package_root = str(Path(__file__).resolve().parents[2])
        env["PYTHONPATH"] = os.pathsep.join(p for p in (package_root, env.get("PYTHONPATH", "")) if p)
        return env

    async def stop(self) -> None:
        """Ask the game to quit, give it QUIT_GRACE seconds, then kill its process group. Always
        returns within about twice QUIT_GRACE, and the group is gone even if this is cancelled."""
        process, task = self._process, self._task
        self._task = None
        if process is None:
            return
        try:
            with contextlib.suppress(Exception):
                await self._download_manager.cancel_app_downloads(app_service_id=self.app_service_id)
            if process.returncode is None:
                with contextlib.suppress(Exception):
                    await asyncio.wait_for(self.send_meta({"type": "quit"}), QUIT_GRACE / 2)
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(process.wait(), QUIT_GRACE)
        finally:
            kill_group(process)
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(process.wait(), QUIT_GRACE)
        if task is not None:
            with contextlib.suppress(Exception, asyncio.CancelledError):
                await asyncio.wait_for(task, QUIT_GRACE)


__all__ = ["IDLE_MINUTES", "MAX_PLAYERS", "QUIT_GRACE", "InputBudget", "VisitorGame", "kill_group", "terminal_size"]
