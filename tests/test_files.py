"""Player files are written whole, and only as regular files: a FIFO or device is never replaced."""

from __future__ import annotations

import os
import stat
import subprocess
import sys
from pathlib import Path

import pytest

from game.engine.files import atomic_write

TINY = Path(__file__).resolve().parent / "stories" / "tiny"


def test_atomic_write_refuses_a_fifo_and_leaves_it(tmp_path: Path) -> None:
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    with pytest.raises(OSError, match="not a regular file"):
        atomic_write(fifo, b"text")
    assert stat.S_ISFIFO(fifo.stat().st_mode)
    assert list(tmp_path.iterdir()) == [fifo]


def test_atomic_write_refuses_a_device(tmp_path: Path) -> None:
    with pytest.raises(OSError, match="not a regular file"):
        atomic_write(Path("/dev/null"), b"text")
    assert stat.S_ISCHR(os.stat("/dev/null").st_mode)


def test_atomic_write_replaces_a_regular_file(tmp_path: Path) -> None:
    target = tmp_path / "t.md"
    target.write_text("old")
    atomic_write(target, b"new")
    assert target.read_text() == "new"


@pytest.mark.parametrize("kind", ["fifo", "device", "folder"])
def test_transcript_to_anything_but_a_file_is_refused_before_play(tmp_path: Path, kind: str) -> None:
    target = {"fifo": tmp_path / "pipe", "device": Path("/dev/null"), "folder": tmp_path}[kind]
    if kind == "fifo":
        os.mkfifo(target)
    env = {**os.environ, "CANDID_HOME": str(tmp_path / "home")}
    done = subprocess.run(
        [sys.executable, "-m", "game", "play", str(TINY), "--plain", "--transcript", str(target)],
        input="1\n",
        capture_output=True,
        text=True,
        env=env,
        timeout=60,
        check=False,
    )
    assert done.returncode == 1
    assert "--transcript" in done.stderr and "Traceback" not in done.stderr
    assert done.stdout == ""
    if kind == "fifo":
        assert stat.S_ISFIFO(target.stat().st_mode)


def test_a_crash_of_the_full_screen_game_exits_non_zero(tiny_story: object, candid_home: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from game.ui import app as app_module

    app = app_module.make_app(tiny_story)  # type: ignore[arg-type]

    def crash() -> None:
        raise RuntimeError("a bug")

    monkeypatch.setattr(app, "get_default_screen", crash)
    run = app.run
    monkeypatch.setattr(app, "run", lambda: run(headless=True))
    assert app_module._run(app) == 1


async def test_settings_naming_a_theme_that_is_not_installed_opens(tiny_story: object, candid_home: Path) -> None:
    import json

    from textual.widgets import Select

    from game.ui import make_app
    from game.ui.screens import SettingsScreen
    from game.ui.settings import Settings, config_home

    Settings().save(config_home())
    path = next(config_home().glob("*.json"))
    path.write_text(json.dumps({**json.loads(path.read_text()), "theme": "no-such-theme"}))
    app = make_app(tiny_story)  # type: ignore[arg-type]
    async with app.run_test(size=(80, 24)) as pilot:
        app.push_screen(SettingsScreen())
        await pilot.pause()
        assert app.screen.query_one("#theme", Select).value == app.theme
