"""`candid serve` in a real browser: Debian's headless Chromium driven by Playwright's Python package.

The game is drawn by xterm.js in the page; its text is read from xterm's buffer. textual.js keeps its
Terminal to itself, so an init script catches it as it is built (the wrapper sets `fitAddon` right
after `terminal`). Any failure leaves a screenshot; set CANDID_SCREENSHOTS=DIR to keep every
screenshot (title, scene, ending) in DIR for review.
"""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from game.engine.compiler import load_story
from game.engine.saves import AUTOSAVE, SaveStore

pytestmark = pytest.mark.browser

ROOT = Path(__file__).resolve().parents[1]
TINY = ROOT / "tests" / "stories" / "tiny"
CHROMIUM = Path(os.environ.get("CANDID_CHROMIUM", "/usr/bin/chromium"))
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
WAIT_MS = 30_000

CATCH_TERMINAL = """
Object.defineProperty(Object.prototype, "fitAddon", {
  configurable: true,
  set(value) {
    Object.defineProperty(this, "fitAddon", {value, writable: true, configurable: true});
    window.__candidTerminal = this.terminal;
  },
});
"""

SCREEN_TEXT = """
() => {
  const term = window.__candidTerminal;
  if (!term) return "";
  const buffer = term.buffer.active;
  const rows = [];
  for (let y = 0; y < term.rows; y++) {
    const line = buffer.getLine(buffer.viewportY + y);
    rows.push(line ? line.translateToString(true) : "");
  }
  return rows.join("\\n");
}
"""


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture
def shots(tmp_path: Path) -> Path:
    folder = Path(os.environ.get("CANDID_SCREENSHOTS") or tmp_path / "screenshots")
    folder.mkdir(parents=True, exist_ok=True)
    return folder


@pytest.fixture(scope="module")
def playwright() -> Iterator[Any]:
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        pytest.fail("the browser tests need Playwright's Python package: pip install playwright (not `playwright install`)", pytrace=False)
    if not CHROMIUM.exists():
        pytest.fail(f"the browser tests need Chromium at {CHROMIUM}: apt-get install chromium (or set CANDID_CHROMIUM)", pytrace=False)
    with sync_playwright() as p:
        yield p


@pytest.fixture
def open_browser(playwright: Any, tmp_path: Path) -> Iterator[Any]:
    """Start a visitor's browser: its own Chromium with a fresh profile, so its own cookies."""
    from playwright.sync_api import Error

    contexts: list[Any] = []

    def start(name: str, **device: Any) -> Any:
        """`device` overrides the desktop window (a phone: viewport, is_mobile, has_touch)."""
        try:
            context = playwright.chromium.launch_persistent_context(
                str(tmp_path / f"profile-{name}"),
                executable_path=str(CHROMIUM),
                headless=True,
                args=CHROMIUM_ARGS,
                **{"viewport": {"width": 1200, "height": 800}, **device},
            )
        except Error as exc:
            pytest.fail(f"Chromium at {CHROMIUM} could not start, so the browser test cannot run: {exc}", pytrace=False)
        contexts.append(context)
        context.add_init_script(CATCH_TERMINAL)
        return context

    yield start
    for context in contexts:
        context.close()


@dataclass
class Served:
    url: str
    homes: Path
    """The folder that holds one save folder per visitor."""
    process: subprocess.Popen[bytes]


@pytest.fixture
def server(tmp_path: Path) -> Iterator[Served]:
    """`candid serve` on the tiny story, on a free loopback port."""
    home = tmp_path / "home"
    port = free_port()
    log = tmp_path / "serve.log"
    env = {**os.environ, "CANDID_HOME": str(home)}
    with log.open("w") as out:
        process = subprocess.Popen(
            [sys.executable, "-m", "game", "serve", str(TINY), "--port", str(port)],
            cwd=ROOT,
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
        )
    try:
        deadline = time.monotonic() + 60
        while True:
            if process.poll() is not None:
                pytest.fail(f"candid serve exited with {process.returncode}:\n{log.read_text()}", pytrace=False)
            try:
                socket.create_connection(("127.0.0.1", port), timeout=1).close()
                break
            except OSError:
                if time.monotonic() > deadline:
                    pytest.fail(f"candid serve did not listen on port {port}:\n{log.read_text()}", pytrace=False)
                time.sleep(0.1)
        yield Served(f"http://127.0.0.1:{port}/", home / "web", process)
    finally:
        process.send_signal(signal.SIGINT)
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


class Visitor:
    """One browser tab on the game, with helpers that read the terminal's text."""

    def __init__(self, page: Any, name: str, shots: Path) -> None:
        self.page = page
        self.name = name
        self.shots = shots

    def screen(self) -> str:
        return str(self.page.evaluate(SCREEN_TEXT))

    def wait_for(self, *texts: str) -> None:
        """Wait until the terminal shows every one of `texts`."""
        from playwright.sync_api import TimeoutError as PlaywrightTimeout

        try:
            self.page.wait_for_function(
                f"(texts) => {{ const screen = ({SCREEN_TEXT})(); return texts.every(t => screen.includes(t)); }}",
                arg=list(texts),
                timeout=WAIT_MS,
            )
        except PlaywrightTimeout:
            raise AssertionError(f"{self.name}: the page never showed {texts!r}; it shows:\n{self.screen()}") from None

    def press(self, *keys: str) -> None:
        for key in keys:
            self.page.keyboard.press(key)

    def shot(self, label: str) -> Path:
        path = self.shots / f"{self.name}-{label}.png"
        self.page.screenshot(path=str(path))
        return path

    @contextmanager
    def recording(self) -> Iterator[None]:
        """On failure, keep a screenshot and name it in the error."""
        try:
            yield
        except BaseException as exc:
            path = self.shot("failure")
            exc.add_note(f"screenshot of {self.name}'s page: {path}")
            raise


def visit(open_browser: Any, url: str, name: str, shots: Path) -> Visitor:
    page = open_browser(name).new_page()
    # No click: the page gives the game the keyboard once it is drawn (a click is a game event too).
    page.goto(url)
    return Visitor(page, name, shots)


def saved_scene(visitor_home: Path) -> tuple[str, list[str]]:
    """The scene and path of a visitor's autosave, read back through the engine."""
    loaded = SaveStore(load_story(TINY), home=visitor_home).load(AUTOSAVE)
    return loaded.session.scene_id, [step.choice_id for step in loaded.session.history]


def start_new_game(visitor: Visitor) -> None:
    """From the title screen: New game, then the first role."""
    visitor.wait_for("Tiny", "New game")
    visitor.press("1")
    visitor.wait_for("Hero")
    visitor.press("1")
    visitor.wait_for("The decision", "You stand at the window", "Ship it")  # the choices shown: keys choose


def visitor_homes(homes: Path) -> list[Path]:
    """The visitors' save folders (beside them, the story cache all games share)."""
    return [p for p in homes.iterdir() if p.name != "cache"]


def test_a_visitor_plays_to_an_ending(server: Served, open_browser: Any, shots: Path) -> None:
    url, homes = server.url, server.homes
    alice = visit(open_browser, url, "alice", shots)
    with alice.recording():
        # The footer of keys shows only when the game knows the page has the focus.
        alice.wait_for("Tiny", "New game", "q Quit")
        alice.shot("title")
        start_new_game(alice)
        # Story text is shown as written, never read as markup.
        alice.wait_for("[bold]Not markup[/bold]", "Ship it", "Hold it", "u Undo")
        alice.shot("scene")
        alice.press("1")
        alice.wait_for("Launch", "It is out.", "Wait and see")
        alice.press("1")
        alice.wait_for("History", "It happened like this.", "m Title screen")
        alice.shot("ending")
    (home,) = visitor_homes(homes)
    assert saved_scene(home) == ("end_real", ["ship", "wait"])


def test_the_transcript_downloads_in_the_browser(server: Served, open_browser: Any, shots: Path, tmp_path: Path) -> None:
    alice = visit(open_browser, server.url, "alice", shots)
    with alice.recording():
        start_new_game(alice)
        alice.press("2")
        alice.wait_for("You held it back.")
        alice.press("2")
        alice.wait_for("Never", "Export transcript")
        with alice.page.expect_download(timeout=WAIT_MS) as download:
            alice.press("e")
        saved = tmp_path / "transcript.md"
        download.value.save_as(saved)
    assert download.value.suggested_filename.startswith("tiny-")
    text = saved.read_text("utf-8")
    assert text.startswith("# Tiny") and "**You chose:** Hold it" in text
    # Nothing is left on the server: the player has the only copy.
    assert not list(server.homes.glob("*/transcripts"))


def test_simultaneous_visitors_play_their_own_games(server: Served, open_browser: Any, shots: Path) -> None:
    url, homes = server.url, server.homes
    alice = visit(open_browser, url, "alice", shots)
    bob = visit(open_browser, url, "bob", shots)
    with alice.recording(), bob.recording():
        start_new_game(alice)
        start_new_game(bob)
        alice.press("1")
        bob.press("2")
        alice.wait_for("It is out.")
        bob.wait_for("You held it back.")
        bob.press("2")
        bob.wait_for("Never", "In reality it shipped.")
        assert "held it back" not in alice.screen()
        assert "It is out." not in bob.screen()
    saves = sorted(saved_scene(home) for home in visitor_homes(homes))
    assert saves == [("end_alt", ["hold", "give_up"]), ("launch", ["ship"])]


def test_a_returning_visitor_continues_their_game(server: Served, open_browser: Any, shots: Path) -> None:
    url, homes = server.url, server.homes
    alice = visit(open_browser, url, "alice", shots)
    with alice.recording():
        start_new_game(alice)
        alice.press("1")
        alice.wait_for("It is out.")
        alice.page.reload()
        alice.wait_for("Continue (Launch)")
        alice.press("2")
        alice.wait_for("It is out.", "Wait and see")
    assert len(visitor_homes(homes)) == 1


def test_stopping_the_server_closes_every_game(server: Served, open_browser: Any, shots: Path) -> None:
    alice = visit(open_browser, server.url, "alice", shots)
    with alice.recording():
        start_new_game(alice)
        server.process.send_signal(signal.SIGINT)
        # Without closing the games itself, aiohttp would wait a minute for players to leave.
        assert server.process.wait(timeout=20) == 0
        alice.page.wait_for_selector("body.-closed", timeout=WAIT_MS)
        assert alice.page.is_visible("text=The game has closed")


TERMINAL_SIZE = "() => { const t = window.__candidTerminal; return t ? [t.cols, t.rows] : [0, 0]; }"
CELL_OF = """
(text) => {
  const term = window.__candidTerminal;
  const buffer = term.buffer.active;
  for (let y = 0; y < term.rows; y++) {
    const x = buffer.getLine(buffer.viewportY + y).translateToString().indexOf(text);
    if (x >= 0) {
      const box = document.querySelector(".xterm-screen").getBoundingClientRect();
      const w = box.width / term.cols, h = box.height / term.rows;
      return [box.left + (x + 1.5) * w, box.top + (y + 0.5) * h];
    }
  }
  return null;
}
"""


def test_a_phone_gets_the_whole_game_and_plays_it_by_taps(server: Served, open_browser: Any, shots: Path) -> None:
    phone = open_browser("phone", viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True)
    bob = Visitor(phone.new_page(), "phone", shots)
    bob.page.goto(server.url)

    def tap(text: str) -> None:
        where = bob.page.evaluate(CELL_OF, text)
        assert where is not None, f"{text!r} is not on the screen:\n{bob.screen()}"
        bob.page.touchscreen.tap(*where)

    with bob.recording():
        bob.wait_for("Tiny", "New game")
        cols, rows = bob.page.evaluate(TERMINAL_SIZE)
        assert cols >= 60 and rows >= 20  # not the plea for a larger terminal
        assert "Please make the terminal" not in bob.screen()
        bob.shot("title")
        tap("New game")
        bob.wait_for("Choose your role")
        tap("Hero")
        bob.wait_for("The decision")
        for _ in range(6):  # read on by tapping the line that says there is more
            # The text may still be typing out: wait for the choices or the line that reads on.
            deadline = time.monotonic() + 10
            while time.monotonic() < deadline and not any(t in bob.screen() for t in ("Ship it", "More below")):
                time.sleep(0.2)
            time.sleep(0.5)  # as a reader would: a text that fits turns the line into its choices at once
            if "Ship it" in bob.screen():
                break
            tap("More below")
            time.sleep(0.3)
        bob.wait_for("Ship it")
        bob.shot("scene")
        tap("Ship it")
        bob.wait_for("Launch")
    (home,) = visitor_homes(server.homes)
    assert saved_scene(home) == ("launch", ["ship"])
