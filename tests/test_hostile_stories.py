"""Odd story folders get a clear error from check, play and serve, never a traceback or a hang."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

TINY = Path(__file__).resolve().parent / "stories" / "tiny"


def candid(*args: str, home: Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "CANDID_HOME": str(home)}
    return subprocess.run([sys.executable, "-m", "game", *args], input="", capture_output=True, text=True, env=env, timeout=60, check=False)


@pytest.mark.parametrize("pattern", ["", ".", "./", "***", "a**"])
def test_odd_files_patterns_are_reported_not_crashed_on(tmp_path: Path, pattern: str) -> None:
    story = tmp_path / "story"
    shutil.copytree(TINY, story)
    meta = story / "story.yaml"
    meta.write_text(meta.read_text().replace('  version: "1.0"\n', f'  version: "1.0"\n  files: ["{pattern}"]\n', 1))
    for command in (["check", "--quick"], ["play", "--plain"]):
        done = candid(*command, str(story), home=tmp_path / "home")
        assert done.returncode == 1, (command, done.stdout, done.stderr)
        output = done.stdout + done.stderr
        assert "Traceback" not in output
        assert f"`files` entry {pattern!r} is not a file pattern" in output


@pytest.mark.parametrize("kind", ["fifo", "huge", "dev-zero"])
def test_check_refuses_a_story_file_that_is_not_a_small_regular_file(tmp_path: Path, kind: str) -> None:
    story = tmp_path / "story"
    shutil.copytree(TINY, story)
    meta = story / "story.yaml"
    meta.unlink()
    if kind == "fifo":
        os.mkfifo(meta)
    elif kind == "huge":
        meta.write_bytes(b"# " + b"x" * (2 * 1024 * 1024))
    else:
        meta.symlink_to("/dev/zero")
    # The deadline in `candid` is the test: a read of a FIFO or /dev/zero would never end.
    for command in (["check"], ["play", "--plain"]):
        done = candid(*command, str(story), home=tmp_path / "home")
        assert done.returncode == 1, (kind, command, done.stdout, done.stderr)
        assert "Traceback" not in done.stdout + done.stderr
        assert "story.yaml" in done.stdout + done.stderr


def test_new_scene_into_a_folder_that_is_a_file_is_an_error(tmp_path: Path) -> None:
    story = tmp_path / "story"
    shutil.copytree(TINY, story)
    (story / "taken").write_text("a file, not a folder")
    done = candid("new", "fresh", "--story", str(story), "--dir", "taken", home=tmp_path / "home")
    assert done.returncode == 1
    assert "Traceback" not in done.stderr and "taken" in done.stderr
