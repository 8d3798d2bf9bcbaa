"""Plain mode: the game as lines on stdout, choices from stdin, run as a real process."""

from __future__ import annotations

import io
import subprocess
import sys
import tempfile
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from game.engine.compiler import Story, load_story
from game.engine.saves import SaveStore
from game.engine.session import Session
from game.plain import run_plain

TINY = "tests/stories/tiny"


def play(stdin: str, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "game", "play", TINY, "--plain", *args],
        input=stdin,
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_reaches_an_ending() -> None:
    done = play("1\n1\n")
    assert done.returncode == 0, done.stderr
    out = done.stdout
    assert "=== Act 1: One ===" in out and "## The decision" in out
    assert "Tue 15 Nov 2022 · 09:00 PT · An office · historical" in out
    assert "You stand at the window. [bold]Not markup[/bold]." in out
    assert "  -  The secret door (locked: You never told anyone.)" in out
    assert "*** THE END: History ***" in out
    assert out.rstrip().endswith("You followed history at every decision.")
    assert done.stderr == ""


def test_leaving_history_reports_divergence() -> None:
    out = play("2\n2\n").stdout
    assert "*** THE END: Never ***" in out
    assert 'Divergence from history: 2 of 2 (100%). First departure: The decision, Tue 15 Nov 2022 · 09:00 PT, choosing "Hold it".' in out


def test_u_undoes() -> None:
    out = play("2\nu\n1\nu\nu\n").stdout
    assert out.count("## The decision") == 3
    assert out.count("(undone)") == 2
    assert "(nothing to undo)" in out
    assert out.index("## Held back") < out.index("## Launch")


def test_save_then_load_in_a_new_process_resumes_exactly() -> None:
    first = play("2\ns mine\n")
    assert first.returncode == 0
    assert "(saved as 'mine')" in first.stdout
    second = play("l mine\nu\n1\n")
    assert second.returncode == 0, second.stderr
    after_load = second.stdout.split("(loaded 'mine')", 1)[1]
    assert after_load.lstrip().startswith("=== Act 2: Two ===\n\n## Held back")
    assert "## The decision" in after_load  # undo after loading goes back past the save point
    assert "*** THE END" not in after_load
    third = play("l mine\n2\n")
    assert "*** THE END: Never ***" in third.stdout


def test_end_of_input_mid_game_exits_0() -> None:
    done = play("1\n")
    assert done.returncode == 0 and "## Launch" in done.stdout and "THE END" not in done.stdout
    assert play("").returncode == 0


def test_q_quits() -> None:
    done = play("q\n1\n1\n")
    assert done.returncode == 0 and "## Launch" not in done.stdout


def test_bad_input_lines_get_a_message_and_no_crash() -> None:
    lines = [
        "abc",
        "0",
        "3",
        "-1",
        "99999999999999999999",
        "9" * 5000,
        "²",
        "١",
        "1.5",
        "s ../evil",
        "l nothing",
        "l",
        "s a/b",
        "   ",
        "h",
        "?",
    ]
    done = play("\n".join(lines) + "\n1\n1\n")
    assert done.returncode == 0, done.stderr
    assert "Traceback" not in done.stdout + done.stderr
    out = done.stdout
    assert out.count("(unknown command") == 5  # abc, -1, ², ١, 1.5
    assert out.count("(choose 1 to 2)") == 4
    assert "(save problem: slot name '../evil'" in out
    assert "(save problem: no save named 'nothing')" in out
    assert "(save problem: no save named 'quicksave')" in out
    assert "(save problem: slot name 'a/b'" in out
    assert out.count("Type a choice number") == 7  # 5 unknown commands, h and ?
    assert "*** THE END: History ***" in out


def test_invalid_utf8_on_stdin_does_not_crash() -> None:
    done = subprocess.run(
        [sys.executable, "-m", "game", "play", TINY, "--plain"], input=b"\xff\xfe\n1\n1\n", capture_output=True, timeout=60
    )
    assert done.returncode == 0
    assert b"Traceback" not in done.stderr
    assert b"THE END" in done.stdout


def test_corrupt_save_is_reported_with_where_it_went(candid_home: Path) -> None:
    play("s broken\n")
    save = candid_home / "saves" / "tiny" / "broken.json"
    save.write_text("{not json")
    out = play("l broken\n").stdout
    assert "(save problem: save 'broken' is not valid JSON (corrupt); moved to " in out
    assert not save.exists()
    assert len(list((candid_home / "saves" / "tiny" / "quarantine").iterdir())) == 1


def test_role_and_warps() -> None:
    out = play("2\n", "--role", "other", "--from", "launch", "--set", "told=true", "--set", "trust=5").stdout
    assert "## Launch" in out and "## The decision" not in out
    assert "  2. The secret door" in out
    assert "*** THE END: Secret ***" in out


def test_a_new_process_can_resume_the_autosave() -> None:
    play("2\n1\n")
    out = play("l autosave\n").stdout
    assert "## Launch" in out.split("(loaded 'autosave')")[1]


def test_run_plain_in_process(tiny_story: Story) -> None:
    out = io.StringIO()
    session = Session.new(tiny_story)
    assert run_plain(tiny_story, session, io.StringIO("2\n1\n2\n"), out, SaveStore(tiny_story)) == 0
    assert session.path == ["start.hold", "held.relent", "launch.secret"]
    assert "*** THE END: Secret ***" in out.getvalue()


def test_run_plain_without_saves(tiny_story: Story) -> None:
    out = io.StringIO()
    assert run_plain(tiny_story, Session.new(tiny_story), io.StringIO("s x\nl x\n"), out, None) == 0
    assert out.getvalue().count("(saving is off)") == 2


def test_starting_at_an_ending_shows_it_and_exits(tiny_story: Story) -> None:
    out = io.StringIO()
    assert run_plain(tiny_story, Session.new(tiny_story, start="end_alt"), io.StringIO("1\n"), out, None) == 0
    assert "*** THE END: Never ***" in out.getvalue()


LINES = st.one_of(
    st.sampled_from(["1", "2", "3", "0", "u", "undo", "s", "l", "s a", "l a", "s ../x", "l nope", "h", "?", "", "  2  "]),
    st.text(max_size=12).filter(lambda t: "\n" not in t and "\r" not in t and t.strip() not in ("q", "quit")),
)


@given(st.lists(LINES, max_size=25))
@settings(max_examples=150, deadline=None)
def test_any_input_lines_are_handled(lines: list[str]) -> None:
    story = load_story(TINY)
    with tempfile.TemporaryDirectory() as home:
        out = io.StringIO()
        session = Session.new(story)
        assert run_plain(story, session, io.StringIO("".join(f"{line}\n" for line in lines)), out, SaveStore(story, Path(home))) == 0
    assert "## The decision" in out.getvalue()


def test_plain_mode_records_endings_and_autosaves_like_the_full_screen_game(candid_home: Path) -> None:
    from game.engine.saves import AUTOSAVE, Profile

    story = load_story(TINY)
    assert play("1\n", "--role", "hero").returncode == 0
    assert Profile().endings_found(story) == set()
    assert SaveStore(story).load(AUTOSAVE).session.path == ["start.ship"]
    done = subprocess.run(
        f"yes 1 | {sys.executable} -m game play {TINY} --plain --role hero",
        shell=True,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 0 and "*** THE END: History ***" in done.stdout
    assert Profile().endings_found(story) == {"end_real"}
    assert SaveStore(story).load(AUTOSAVE).session.path == ["start.ship", "launch.wait"]


def test_a_new_game_does_not_overwrite_the_autosave_until_its_first_choice(candid_home: Path) -> None:
    from game.engine.saves import AUTOSAVE

    story = load_story(TINY)
    play("2\n")
    play("q\n")
    assert SaveStore(story).load(AUTOSAVE).session.path == ["start.hold"]


def test_a_meter_line_shows_what_the_choice_changed_and_the_stats_now() -> None:
    out = play("2\n1\n").stdout
    after_hold = out.split("> Hold it")[1]
    assert after_hold.lstrip().startswith("[Trust −50; now Trust 0]")
    after_relent = out.split("> Relent")[1]
    assert not after_relent.lstrip().startswith("[")


def test_w_tells_what_really_happened_where_the_player_left_history() -> None:
    out = play("w\n2\nw\n").stdout
    first, second = out.split("> Hold it")
    assert "(You have not chosen anything yet. Once a choice of yours leaves history, w shows what really happened there.)" in first
    assert "You chose: Hold it\nHistory chose: Ship it" in second
    assert "What really happened: It shipped." in second
    assert '  - Blog, "Shipped", 2022-11-30' in second
    assert "Why it matters: This is what happened." in second


def test_a_huge_unknown_command_is_quoted_back_short(tiny_story: Story) -> None:
    out = io.StringIO()
    huge = "\x1b]0;x" + "y" * 10_000_000
    assert run_plain(tiny_story, Session.new(tiny_story), io.StringIO(huge + "\n"), out, None) == 0
    echo = next(line for line in out.getvalue().splitlines() if "unknown command" in line)
    assert len(echo) < 300 and "\x1b" not in echo
