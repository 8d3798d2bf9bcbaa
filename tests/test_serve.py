"""`candid serve` without a browser: the command line, the page, cookies, and one save folder per visitor."""

from __future__ import annotations

import asyncio
import importlib.util
import socket
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from game.cli import build_parser, main

ROOT = Path(__file__).resolve().parents[1]
TINY = ROOT / "tests" / "stories" / "tiny"

# Stands in for `candid play`: speaks textual-serve's protocol, shows its CANDID_HOME, exits on "quit".
FAKE_GAME = textwrap.dedent(
    """
    import json, os, sys
    out, inp = sys.stdout.buffer, sys.stdin.buffer
    out.write(b"__GANGLION__\\n")
    home = os.environ["CANDID_HOME"].encode()
    out.write(b"D" + len(home).to_bytes(4, "big") + home)
    out.flush()
    while kind := inp.read(1):
        payload = inp.read(int.from_bytes(inp.read(4), "big"))
        if kind == b"M" and json.loads(payload)["type"] == "quit":
            break
    """
)


@pytest.fixture
def home(candid_home: Path) -> Path:
    """Where the server keeps its visitors' folders."""
    return candid_home / "web"


@pytest.fixture
def web() -> None:
    if importlib.util.find_spec("textual_serve") is None:
        pytest.fail("textual-serve is not installed: pip install -e '.[web]' (CI installs it)", pytrace=False)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def test_serve_defaults_to_loopback_port_8000() -> None:
    parser, commands = build_parser()
    assert "serve" in commands
    args = parser.parse_args(["serve"])
    assert (args.story, args.host, args.port) == (None, "127.0.0.1", 8000)
    args = parser.parse_args(["serve", str(TINY), "--host", "0.0.0.0", "--port", "9000"])
    assert (args.story, args.host, args.port) == (str(TINY), "0.0.0.0", 9000)


@pytest.mark.parametrize("port", ["0", "65536", "http", "-1"])
def test_serve_refuses_a_port_that_is_not_one(port: str, capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exited:
        main(["serve", "--port", port])
    assert exited.value.code == 2
    assert "not a port number" in capsys.readouterr().err


def test_serve_without_the_web_extra_says_how_to_install(monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    real = importlib.util.find_spec
    monkeypatch.setattr(importlib.util, "find_spec", lambda name, *a: None if name == "textual_serve" else real(name, *a))
    assert main(["serve", str(TINY)]) == 1
    err = capsys.readouterr().err
    assert "web extra" in err
    assert "pip install" in err


def test_serve_reports_a_broken_story_before_serving(tmp_path: Path, web: None, capsys: pytest.CaptureFixture[str]) -> None:
    story = tmp_path / "broken"
    story.mkdir()
    (story / "story.yaml").write_text("story:\n  id: broken\n  title: [not, a, title]\n")
    assert main(["serve", str(story)]) == 1
    captured = capsys.readouterr()
    assert "story.yaml:" in captured.err
    assert "Serving" not in captured.out


def test_serve_on_a_busy_port_fails_with_a_message(web: None) -> None:
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = busy.getsockname()[1]
        done = subprocess.run(
            [sys.executable, "-m", "game", "serve", str(TINY), "--port", str(port)],
            cwd=ROOT,
            capture_output=True,
            text=True,
            timeout=60,
        )
    assert done.returncode == 1
    assert f"cannot listen on 127.0.0.1:{port}" in done.stderr
    assert "Traceback" not in done.stderr
    assert "Serving" not in done.stdout


@pytest.mark.parametrize(
    ("host", "loopback"),
    [
        ("127.0.0.1", True),
        ("localhost", True),
        ("::1", True),
        ("127.0.0.2", True),
        ("localhost.", True),
        ("LOCALHOST", True),
        ("127.1", True),
        ("ip6-localhost", True),
        ("[::1]", True),
        ("0.0.0.0", False),
        ("192.168.1.5", False),
        ("::", False),
        ("example.org", False),
    ],
)
def test_is_loopback(web: None, host: str, loopback: bool) -> None:
    from game.web import is_loopback

    assert is_loopback(host) is loopback


def test_banner_says_loopback_only_or_warns(web: None, home: Path) -> None:
    from game.web import banner

    local = "\n".join(banner("Tiny", "127.0.0.1", 8000, home))
    assert "http://127.0.0.1:8000/" in local
    assert "just this machine" in local
    assert "Warning" not in local
    shared = "\n".join(banner("Tiny", "0.0.0.0", 8001, home))
    assert "Warning" in shared
    assert "not loopback" in shared
    assert str(home) in shared
    assert "http://[::1]:8000/" in "\n".join(banner("Tiny", "::1", 8000, home))


def test_game_command_runs_this_python_on_the_story(web: None) -> None:
    from game.web import game_command

    assert game_command(TINY).split()[:4] == [sys.executable, "-m", "game", "play"]
    assert game_command(TINY).endswith(str(TINY))
    assert game_command(None).endswith(" play")
    assert game_command(Path("odd story; rm -rf x")).endswith("'")


async def client_for(home: Path, command: str = "true"):  # type: ignore[no-untyped-def]
    from aiohttp.test_utils import TestClient, TestServer

    from game.web import GameServer

    server = GameServer(command, home=home, host="127.0.0.1", port=0, title="Tiny <b>story</b>")
    return TestClient(TestServer(await server._make_app(), host="127.0.0.1"))


async def test_page_sets_a_private_visitor_cookie_once(web: None, home: Path) -> None:
    async with await client_for(home) as client:
        first = await client.get("/")
        assert first.status == 200
        page = await first.text()
        assert "Tiny &lt;b&gt;story&lt;/b&gt;" in page
        assert "fonts.googleapis.com" not in page
        assert f"ws://127.0.0.1:{client.port}/ws" in page
        cookie = first.cookies["candid_player"]
        assert len(cookie.value) >= 32
        assert cookie["httponly"]
        assert cookie["samesite"] == "Strict"
        again = await client.get("/")
        assert "candid_player" not in again.cookies


async def test_page_replaces_a_malformed_cookie(web: None, home: Path) -> None:
    async with await client_for(home) as client:
        response = await client.get("/", headers={"Cookie": "candid_player=../../etc"})
        assert response.cookies["candid_player"].value != "../../etc"


async def test_loopback_server_refuses_foreign_host_names(web: None, home: Path) -> None:
    async with await client_for(home) as client:
        page = await client.get("/", headers={"Host": f"evil.example:{client.port}"})
        assert page.status == 421
        socket_ = await client.get("/ws", headers={"Host": "evil.example"})
        assert socket_.status == 403


async def test_game_socket_refuses_other_sites_pages(web: None, home: Path) -> None:
    from aiohttp import WSServerHandshakeError

    async with await client_for(home) as client:
        with pytest.raises(WSServerHandshakeError) as refused:
            await client.ws_connect("/ws", headers={"Origin": "http://evil.example"})
        assert refused.value.status == 403


async def visitor_home_seen(client, cookie: str | None) -> str:  # type: ignore[no-untyped-def]
    headers = {"Cookie": f"candid_player={cookie}"} if cookie else {}
    async with client.ws_connect("/ws", headers={**headers, "Origin": f"http://127.0.0.1:{client.port}"}) as ws:
        message = await ws.receive_bytes(timeout=30)
    return str(message.decode())


async def test_each_visitor_gets_their_own_save_folder(web: None, home: Path, tmp_path: Path) -> None:
    fake = tmp_path / "fake_game.py"
    fake.write_text(FAKE_GAME)
    alice, bob = "a" * 43, "b" * 43
    async with await client_for(home, f"{sys.executable} {fake}") as client:
        seen_alice = await visitor_home_seen(client, alice)
        seen_bob = await visitor_home_seen(client, bob)
        alice_again = await visitor_home_seen(client, alice)
        anonymous = await visitor_home_seen(client, None)
        forged = await visitor_home_seen(client, "..")
    assert seen_alice == str(home / alice) == alice_again
    assert seen_bob == str(home / bob)
    for other in (anonymous, forged):
        assert Path(other).parent == home
        assert other not in (seen_alice, seen_bob)
    assert anonymous != forged
    # A connection without the page's cookie played in a folder of its own, gone when it closed.
    assert sorted(p.name for p in home.iterdir()) == [alice, bob]


async def test_page_focus_waits_for_the_games_first_frame(web: None, home: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from textual_serve.download_manager import DownloadManager

    from game.web import VisitorGame

    sent: list[object] = []
    shown: list[bytes] = []

    async def write_bytes(data: bytes) -> None:
        shown.append(data)

    async def nothing(*_: object) -> None:
        return None

    async def send_meta(data: dict[str, object]) -> bool:
        sent.append(data["type"])
        return True

    game = VisitorGame("true", home=home, write_bytes=write_bytes, write_str=nothing, close=nothing, download_manager=DownloadManager())
    monkeypatch.setattr(game, "send_meta", send_meta)
    await game.blur()
    await game.focus()
    assert sent == []
    await game.on_data(b"first frame")
    assert shown == [b"first frame"]
    assert sent == ["focus"]
    await game.blur()
    assert sent == ["focus", "blur"]


def test_reported_terminal_sizes_are_made_sane(web: None) -> None:
    from game.web.games import MAX_COLUMNS, MAX_ROWS, terminal_size

    assert terminal_size(120, 40) == (120, 40)
    assert terminal_size(10**9, 10**9) == (MAX_COLUMNS, MAX_ROWS)
    assert terminal_size(-5, 0) == (1, 1)
    assert terminal_size("wide", None) == (80, 24)


async def test_a_game_that_crashes_closes_its_page(web: None, home: Path, tmp_path: Path) -> None:
    from aiohttp import WSMsgType

    crash = tmp_path / "crash.py"
    crash.write_text("import sys\nsys.stdout.buffer.write(b'__GANGLION__\\nD' + (5).to_bytes(4, 'big') + b'hello')\nsys.exit(3)\n")
    # A deadline, not a timing: without the fix the page would wait for ever.
    async with (
        asyncio.timeout(60),
        await client_for(home, f"{sys.executable} {crash}") as client,
        client.ws_connect("/ws", headers={"Origin": f"http://127.0.0.1:{client.port}"}) as ws,
    ):
        assert await ws.receive_bytes() == b"hello"
        closing = await ws.receive()
        assert closing.type in (WSMsgType.CLOSE, WSMsgType.CLOSED, WSMsgType.CLOSING)


async def test_the_page_is_laid_out_for_a_phone(web: None, home: Path) -> None:
    async with await client_for(home) as client:
        page = await (await client.get("/")).text()
        # Without it a phone lays the page out 980 pixels wide and shrinks it: the title is cut off.
        assert '<meta name="viewport" content="width=device-width' in page
        assert "fitFontSize()" in page  # the font shrinks until 60 columns fit (see the browser test)
