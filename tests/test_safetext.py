"""Control characters from saves, `--set`, file names and stories are shown, never obeyed."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from helpers import write_story
from hypothesis import given
from hypothesis import strategies as st

from game.engine.compiler import load_story
from game.engine.safetext import is_clean, visible, visible_name
from game.engine.saves import SaveStore, _checksum
from game.engine.session import Session
from game.ui import make_app

ATTACKS = [
    "\x1b]0;pwned\x07",  # retitle the window
    "\x1b]52;c;cHduZWQ=\x07",  # write the clipboard
    "\x1b[2J\x1b[H",  # clear the screen
    "\x9b2J",  # the same through the one-byte C1 CSI
    "admin\u202egnp.exe",  # bidi override: reads as "exe.png"
    "pay\u200bpal",  # zero-width space
    "\x00\x08\x7f",
]
# What a terminal acts on: C0 (but line feed), DEL, C1, bidi embeddings/overrides/isolates.
DANGEROUS = {
    *map(chr, range(0x20)),
    "\x7f",
    *map(chr, range(0x80, 0xA0)),
    *map(chr, range(0x202A, 0x202F)),
    *map(chr, range(0x2066, 0x206A)),
} - {"\n"}

STORY_WITH_TEXT = """\
scenes:
  - id: start
    act: 1
    title: The start
    roles: [hero]
    text: "Your mood is {mood}."
    choices:
      - {id: go, text: Go on, goto: end}
  - id: end
    act: 1
    title: The end
    roles: [hero]
    text: Done.
    ending: {title: Over, epilogue: "Still {mood}."}
"""


@pytest.mark.parametrize("attack", ATTACKS)
def test_visible_leaves_nothing_a_terminal_obeys(attack: str) -> None:
    for shown in (visible(attack), visible_name(attack)):
        assert not set(shown) & DANGEROUS
        assert "\u200b" not in shown


def test_escape_is_shown_as_a_picture_and_ordinary_text_is_untouched() -> None:
    assert visible("a\x1b[2Jb") == "a\u241b[2Jb"
    text = "Ça va? 日本語, עברית, emoji 👩‍💻, line\nbreak"
    assert visible(text) == text
    assert visible_name("two\nlines") == "two\u240alines"


@given(st.text())
def test_visible_is_safe_and_idempotent(text: str) -> None:
    shown = visible(text)
    assert not set(shown) & DANGEROUS
    assert visible(shown) == shown and is_clean(shown)


@pytest.fixture
def text_story(tmp_path: Path):  # type: ignore[no-untyped-def]
    return load_story(write_story(tmp_path / "story", start=STORY_WITH_TEXT))


def _craft(store: SaveStore, value: str, stored: str | None = None) -> None:
    """A save whose text variable starts as `value` (and is stored as `stored`, by default the
    same), checksum recomputed as an attacker would."""
    path = store.save(Session.new(store.story))
    data = json.loads(path.read_text())
    data["initial"]["mood"] = value
    data["vars"]["mood"] = value if stored is None else stored
    data["checksum"] = _checksum(data)
    path.write_text(json.dumps(data))


@pytest.mark.parametrize("attack", ATTACKS)
def test_a_crafted_save_cannot_put_escapes_in_the_game(text_story, candid_home: Path, attack: str) -> None:  # type: ignore[no-untyped-def]
    store = SaveStore(text_story)
    _craft(store, f"calm{attack}")
    try:
        session = store.load().session
    except Exception as exc:  # refusing it is as good as cleaning it
        assert not set(str(exc)) & DANGEROUS
        return
    shown = "".join(p.text for p in session.paragraphs())
    assert shown.startswith("Your mood is calm") and not set(shown) & DANGEROUS


async def test_the_full_screen_game_shows_a_crafted_value_visibly(text_story, candid_home: Path) -> None:  # type: ignore[no-untyped-def]
    store = SaveStore(text_story)
    # Stored as the game would have shown it, so the save passes its replay check and loads.
    _craft(store, "calm\x1b]0;pwned\x07", visible("calm\x1b]0;pwned\x07"))
    app = make_app(text_story)
    async with app.run_test(size=(80, 24)) as pilot:
        app.load_slot("autosave")
        await pilot.pause()
        assert app.screen.session.vars["mood"] == "calm\u241b]0;pwned\u2407"  # type: ignore[attr-defined]
        screen = app.export_screenshot()
        assert "pwned" in screen and "\u241b" in screen
        assert "\x1b" not in screen and "\x07" not in screen


def _candid(*args: str, home: Path, stdin: str = "") -> subprocess.CompletedProcess[str]:
    env = {"CANDID_HOME": str(home), "PATH": "/usr/bin:/bin"}
    return subprocess.run(
        [sys.executable, "-m", "game", *args], input=stdin, capture_output=True, text=True, env=env, timeout=60, check=False
    )


def test_set_values_reach_plain_mode_and_the_transcript_visibly(text_story, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    transcript = tmp_path / "t.md"
    result = _candid(
        "play",
        str(text_story.folder),
        "--plain",
        "--set",
        "mood=\x1b]0;pwned\x07\u202eevil",
        "--transcript",
        str(transcript),
        home=tmp_path / "h",
        stdin="1\n",
    )
    assert result.returncode == 0, result.stderr
    assert "Your mood is \u241b]0;pwned\u2407evil." in result.stdout
    for text in (result.stdout, transcript.read_text()):
        assert not set(text) & DANGEROUS


def test_check_shows_hostile_file_names_visibly(tmp_path: Path) -> None:
    folder = write_story(tmp_path / "story", start=STORY_WITH_TEXT)
    (folder / "bad\x1b]0;pwned\x07.yaml").write_text("scenes: [")
    result = _candid("check", "--quick", str(folder), home=tmp_path / "h")
    assert result.returncode == 1
    assert "bad\u241b]0;pwned\u2407.yaml" in result.stdout + result.stderr
    assert not set(result.stdout + result.stderr) & DANGEROUS


def test_a_bidi_override_in_story_text_is_an_error_with_its_position(tmp_path: Path) -> None:
    folder = write_story(tmp_path / "story", start=STORY_WITH_TEXT.replace("Done.", '"Done \\u202e."'))
    result = _candid("check", "--quick", str(folder), home=tmp_path / "h")
    assert result.returncode == 1
    assert "start.yaml:13:11" in result.stdout and "U+202E" in result.stdout
