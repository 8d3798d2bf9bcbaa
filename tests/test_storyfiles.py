"""Listing and reading a story's files: the same files pathlib's glob finds, each read once."""

from __future__ import annotations

import builtins
import os
from pathlib import Path
from typing import Any

import pytest

from game.engine import StoryError, storyfiles
from game.engine.checkcache import check_with_cache
from game.engine.compiler import load_story

ROOT = Path(__file__).resolve().parent.parent
TINY = ROOT / "tests" / "stories" / "tiny"


def _tree(root: Path) -> Path:
    for rel in ["a.yaml", "b.yml", "sub/c.yaml", "sub/deep/d.yaml", "sub/e.txt", "other/f.yaml", ".hidden.yaml", "story.yaml"]:
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text("x: 1\n")
    return root


PATTERNS = [["**/*.yaml", "**/*.yml"], ["sub/*.yaml"], ["sub/**/*.yaml", "other/f.yaml"], ["*/*.yaml"], ["nothing/*"]]


@pytest.mark.parametrize("patterns", PATTERNS)
def test_listing_finds_what_pathlib_glob_finds(tmp_path: Path, patterns: list[str]) -> None:
    root = _tree(tmp_path)
    expected = sorted(
        {p for pattern in patterns for p in root.glob(pattern) if p.is_file() and p.name != "story.yaml" and not p.name.startswith(".")},
        key=lambda p: p.parts,
    )
    files, problems = storyfiles.list_files(root, patterns)
    assert (files, problems) == (expected, [])


def test_read_files_names_reads_and_hashes_each_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    root = _tree(tmp_path / "story")
    monkeypatch.chdir(tmp_path)
    files, _ = storyfiles.read_files(root, ["**/*.yaml"])
    assert [f.name for f in files] == [os.path.join("story", n) for n in ["a.yaml", "other/f.yaml", "sub/c.yaml", "sub/deep/d.yaml"]]
    assert {f.raw for f in files} == {b"x: 1\n"}
    assert len({f.digest for f in files}) == 1 and len(files[0].digest) == 64


def test_a_link_out_of_the_folder_is_a_problem_not_a_file(tmp_path: Path) -> None:
    root = _tree(tmp_path / "story")
    (tmp_path / "outside.yaml").write_text("x: 2\n")
    (root / "link.yaml").symlink_to(tmp_path / "outside.yaml")
    files, problems = storyfiles.list_files(root, ["*.yaml"])
    assert [f.name for f in files] == ["a.yaml"]
    assert len(problems) == 1 and "points outside the story folder" in problems[0]


def test_too_many_files_are_refused_before_any_is_read(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    story = tmp_path / "story"
    story.mkdir()
    (story / "story.yaml").write_text((TINY / "story.yaml").read_text())
    for i in range(3):
        (story / f"s{i}.yaml").write_text("scenes: []\n")
    monkeypatch.setenv("CANDID_MAX_FILES", "2")
    opened: list[str] = []
    real_open = builtins.open

    def spy(file: Any, *args: Any, **kwargs: Any) -> Any:
        opened.append(str(file))
        return real_open(file, *args, **kwargs)

    monkeypatch.setattr(builtins, "open", spy)
    with pytest.raises(StoryError) as caught:
        load_story(story)
    [diag] = caught.value.diagnostics
    assert diag.code == "too-many-files"
    assert "3 scene files; the limit is 2 (set CANDID_MAX_FILES to raise it)" in diag.message
    assert not [name for name in opened if name.endswith(("s0.yaml", "s1.yaml", "s2.yaml"))]


def test_a_cold_check_reads_each_scene_file_once(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CANDID_HOME", str(tmp_path / "home"))
    reads: list[str] = []
    real_read = storyfiles._read

    def spy(file: storyfiles.SourceFile) -> storyfiles.SourceFile:
        reads.append(file.name)
        return real_read(file)

    monkeypatch.setattr(storyfiles, "_read", spy)
    first = check_with_cache(TINY)
    assert reads and len(reads) == len(set(reads))
    reads.clear()
    (tmp_path / "home" / "cache" / "checks").mkdir(parents=True, exist_ok=True)
    again = check_with_cache(TINY)  # answered from the report cache: one read of each file
    assert len(reads) == len(set(reads)) and again.diagnostics == first.diagnostics


def _aged(folder: Path) -> None:
    """Files last changed a minute ago: settled, so their stamps may be trusted."""
    for path in folder.rglob("*.yaml"):
        info = path.stat()
        os.utime(path, ns=(info.st_atime_ns, info.st_mtime_ns - 60_000_000_000))


def test_an_unchanged_settled_story_is_answered_without_reading_its_scene_files(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    story = tmp_path / "story"
    story.mkdir()
    for path in TINY.iterdir():
        (story / path.name).write_bytes(path.read_bytes())
    _aged(story)
    reads: list[str] = []
    real_read = storyfiles._read

    def spy(file: storyfiles.SourceFile) -> storyfiles.SourceFile:
        reads.append(file.name)
        return real_read(file)

    monkeypatch.setattr(storyfiles, "_read", spy)
    first = check_with_cache(story)
    reads.clear()
    assert check_with_cache(story).diagnostics == first.diagnostics
    assert reads == []


def test_an_edit_that_keeps_size_and_modification_time_is_still_seen(tmp_path: Path) -> None:
    story = tmp_path / "story"
    story.mkdir()
    for path in TINY.iterdir():
        (story / path.name).write_bytes(path.read_bytes())
    _aged(story)
    assert check_with_cache(story).errors == []
    scene = next(p for p in story.glob("*.yaml") if p.name != "story.yaml")
    info = scene.stat()
    text = scene.read_text()
    broken = text.replace("goto:", "gota:", 1)
    assert len(broken) == len(text) and broken != text
    scene.write_text(broken)
    os.utime(scene, ns=(info.st_atime_ns, info.st_mtime_ns))  # the modification time put back
    assert [d.code for d in check_with_cache(story).errors] == ["unknown-key"]


def test_a_file_changed_just_before_a_check_is_read_again_by_the_next(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A file written moments before a check may change again within the same timestamp: its stamp
    is not trusted next time, while the settled files are still answered from their stamps."""
    story = tmp_path / "story"
    story.mkdir()
    for path in TINY.iterdir():
        (story / path.name).write_bytes(path.read_bytes())
    _aged(story)
    fresh = next(p for p in sorted(story.glob("*.yaml")) if p.name != "story.yaml")
    fresh.write_bytes(fresh.read_bytes())  # changed now: not settled
    reads: list[str] = []
    real_read = storyfiles._read

    def spy(file: storyfiles.SourceFile) -> storyfiles.SourceFile:
        reads.append(Path(file.path).name)
        return real_read(file)

    monkeypatch.setattr(storyfiles, "_read", spy)
    first = check_with_cache(story)
    reads.clear()
    assert check_with_cache(story).diagnostics == first.diagnostics
    assert reads == [fresh.name]
