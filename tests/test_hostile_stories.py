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


async def test_the_scene_map_shows_a_thousand_nested_branches(tmp_path: Path) -> None:
    from helpers import write_story
    from textual.app import App, ComposeResult

    from game.engine.compiler import load_story
    from game.engine.graph import scene_outline
    from game.ui.widgets import SceneMap
    from game.ui.widgets.scene_map import MAX_NESTING

    depth = 1000
    first = "choices: [{id: stay, text: Stay, goto: end}, {id: leave, text: Leave, goto: s1}]"
    scenes = ["scenes:", f"  - {{id: start, act: 1, title: Start, roles: [hero], text: Go., {first}}}"]
    for i in range(1, depth):
        scenes.append(
            f"  - {{id: s{i}, act: 1, title: S{i}, roles: [hero], text: Deeper., "
            f"choices: [{{id: down, text: Down, goto: s{i + 1}}}, {{id: out, text: Out, goto: end}}]}}"
        )
    scenes.append(f"  - {{id: s{depth}, act: 1, title: Bottom, roles: [hero], text: Bottom., ending: {{title: Bottom, epilogue: Done.}}}}")
    scenes.append("  - {id: end, act: 1, title: End, roles: [hero], text: End., ending: {title: End, epilogue: Done.}}")
    story = load_story(write_story(tmp_path / "deep", start="\n".join(scenes) + "\n"))

    class Host(App[None]):
        def compose(self) -> ComposeResult:
            yield SceneMap()

    app = Host()
    async with app.run_test(size=(100, 30)) as pilot:
        tree = app.query_one(SceneMap)
        tree.show(scene_outline(story, "hero"), "start")
        await pilot.pause()
        seen, deepest, stack = set(), 0, [(tree.root, 0)]
        while stack:
            node, level = stack.pop()
            deepest = max(deepest, level)
            if node.data is not None:
                seen.add(node.data.scene_id)
            stack += [(child, level + 1) for child in node.children]
        assert {f"s{i}" for i in range(1, depth + 1)} <= seen
        assert deepest <= MAX_NESTING + 1


@pytest.mark.parametrize(
    ("file", "old", "new"),
    [
        ("scenes.yaml", "act: 1\n    title: The decision", "act: true\n    title: The decision"),
        ("scenes.yaml", "act: 1\n    title: The decision", "act: '1'\n    title: The decision"),
        ("scenes.yaml", "weight: 2\n", "weight: 2.0\n"),
        ("scenes.yaml", "add: {trust: 20}", "add: {trust: true}"),
        ("story.yaml", "acts: {1: One, 2: Two}", "acts: {1: One, '1': Uno, 2: Two}"),
    ],
)
def test_numbers_are_numbers_not_look_alikes(tmp_path: Path, file: str, old: str, new: str) -> None:
    from game.engine.compiler import load_story
    from game.engine.errors import StoryError

    story = tmp_path / "story"
    shutil.copytree(TINY, story)
    path = story / file
    assert old in path.read_text()
    path.write_text(path.read_text().replace(old, new, 1))
    with pytest.raises(StoryError) as refused:
        load_story(story)
    assert "should be a valid integer" in str(refused.value)
