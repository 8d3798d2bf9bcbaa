"""The fast YAML path and the parsed-file cache give exactly what a full parse gives, or step aside."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from game.engine import StoryError, yamlfast, yamlsrc
from game.engine.cache import cache_home
from game.engine.checks import check_story
from game.engine.compiler import load_story

ROOT = Path(__file__).resolve().parent.parent
TINY = ROOT / "tests" / "stories" / "tiny"
FIXTURES = sorted((ROOT / "tests").rglob("*.yaml")) + sorted((ROOT / "scenes").rglob("*.yaml"))


def _full(text: str) -> object:
    try:
        return yamlsrc._full_load(text)
    except yamlsrc.YamlProblems as exc:
        return [(p.line, p.col, p.code) for p in exc.problems]


@pytest.mark.parametrize("path", FIXTURES, ids=lambda p: str(p.relative_to(ROOT)))
def test_fast_path_agrees_with_the_full_parse_on_every_fixture(path: Path) -> None:
    text = path.read_text(encoding="utf-8", errors="surrogateescape")
    try:
        fast = yamlfast.fast_load(text)
    except Exception:
        return  # stepped aside: the full parse decides
    assert fast == _full(text)


TOKENS = [*":-[]{}&*!|>'\"#,?~\n  abcyn019._<=\\", "\r", "\x85", "\x07", "\\e", "\\x1b"]
YAMLISH = st.lists(st.sampled_from(TOKENS), max_size=60).map("".join)


@given(YAMLISH)
@settings(max_examples=400, deadline=None)
def test_fast_path_agrees_with_the_full_parse_or_steps_aside(text: str) -> None:
    try:
        fast = yamlfast.fast_load(text)
    except Exception:
        return
    assert fast == _full(text)


def test_positions_come_from_marks_without_keeping_the_tree() -> None:
    doc = yamlsrc.parse_bytes(b"scenes:\n  - id: a\n    choices:\n      - {id: x}\n      - id: y\n")
    assert doc._tree is None
    assert doc.position(("scenes", 0)) == (2, 5)
    assert doc.position(("scenes", 0, "choices", 1)) == (5, 9)
    assert doc._tree is None
    assert doc.position(("scenes", 0, "choices", 0, "id")) == (4, 14)
    assert doc._tree is not None


def _copy(tmp_path: Path) -> Path:
    folder = tmp_path / "story"
    shutil.copytree(TINY, folder)
    return folder


def _cache_files() -> list[Path]:
    home = cache_home()
    assert home is not None
    return sorted((home / "stories").glob("*.json"))


def _wheres(folder: Path) -> list[tuple[str, int, int]]:
    story = load_story(folder)
    return [(s.where.file, s.where.line, s.where.col) for s in story.scenes.values()] + [
        (c.where.file, c.where.line, c.where.col) for c in story.choices()
    ]


def test_second_load_comes_from_the_cache_and_matches_the_first(tmp_path: Path) -> None:
    folder = _copy(tmp_path)
    first = load_story(folder)
    assert len(_cache_files()) == 1
    second = load_story(folder)
    assert second.fingerprint == first.fingerprint
    assert [s.model for s in second.scenes.values()] == [s.model for s in first.scenes.values()]
    assert _wheres(folder) == _wheres(folder)


def test_an_edited_file_is_read_again(tmp_path: Path) -> None:
    folder = _copy(tmp_path)
    load_story(folder)
    scenes = folder / "scenes.yaml"
    scenes.write_text(scenes.read_text(encoding="utf-8").replace("title: Launch", "title: Lift-off"), encoding="utf-8")
    assert load_story(folder).scenes["launch"].model.title == "Lift-off"


def test_errors_in_a_cached_file_point_where_a_full_parse_does(tmp_path: Path) -> None:
    folder = _copy(tmp_path)
    load_story(folder)
    endings = folder / "endings.yaml"
    endings.write_text(endings.read_text(encoding="utf-8").replace("id: end_secret", "id: end_hidden"), encoding="utf-8")
    with pytest.raises(StoryError) as cached:
        load_story(folder)
    shutil.rmtree(cache_home() or tmp_path / "none")
    with pytest.raises(StoryError) as fresh:
        load_story(folder)
    assert cached.value.diagnostics == fresh.value.diagnostics
    assert any(d.code == "unknown-scene" and d.line > 1 for d in fresh.value.diagnostics)


@pytest.mark.parametrize(
    "damage",
    [
        lambda text: text[: len(text) // 2],
        lambda text: "[]",
        lambda text: text.replace('\\"scenes\\"', '\\"scenez\\"'),
        lambda text: text.replace('\\"act\\": 2', '\\"act\\": \\"two\\"'),
    ],
    ids=["truncated", "not-an-object", "unknown-key", "wrong-type"],
)
def test_a_damaged_cache_is_never_trusted_blindly(tmp_path: Path, damage: object) -> None:
    folder = _copy(tmp_path)
    expected = load_story(folder)
    [cache_file] = _cache_files()
    assert callable(damage)
    before = cache_file.read_text(encoding="utf-8")
    after = damage(before)
    assert after != before
    cache_file.write_text(after, encoding="utf-8")
    story = load_story(folder)
    assert [s.model for s in story.scenes.values()] == [s.model for s in expected.scenes.values()]


def test_cache_written_by_other_engine_code_is_ignored(tmp_path: Path) -> None:
    folder = _copy(tmp_path)
    load_story(folder)
    [cache_file] = _cache_files()
    data = json.loads(cache_file.read_text(encoding="utf-8"))
    data["engine"] = "0" * 64
    data["files"] = {name: [digest, json.dumps([{"scenes": []}, []])] for name, (digest, _) in data["files"].items()}
    cache_file.write_text(json.dumps(data), encoding="utf-8")
    assert set(load_story(folder).scenes) == {"start", "launch", "held", "end_real", "end_alt", "end_secret"}


def test_cache_can_be_turned_off(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CANDID_NO_CACHE", "1")
    assert check_story(_copy(tmp_path)).errors == []
    assert cache_home() is None
    monkeypatch.delenv("CANDID_NO_CACHE")
    assert _cache_files() == []


def test_check_report_is_remembered_until_a_file_changes(tmp_path: Path) -> None:
    from game.engine.checkcache import check_with_cache

    folder = _copy(tmp_path)
    first = check_with_cache(folder)
    assert first.story is not None
    again = check_with_cache(folder)
    assert again.story is None  # came from the cache
    assert (again.diagnostics, again.stats) == (first.diagnostics, first.stats)
    scenes = folder / "scenes.yaml"
    scenes.write_text(scenes.read_text(encoding="utf-8").replace("goto: end_alt", "goto: end_nowhere"), encoding="utf-8")
    changed = check_with_cache(folder)
    assert [d.code for d in changed.errors] == ["unknown-scene"]
    assert [d.code for d in check_with_cache(folder).errors] == ["unknown-scene"]


def test_cli_check_prints_the_same_from_the_cache(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from game.cli import main

    folder = _copy(tmp_path)
    (folder / "extra.yaml").write_text(
        "scenes:\n  - {id: lonely, act: 1, title: Alone, roles: [hero], label: dramatised, text: Nobody comes., "
        "ending: {title: Alone, epilogue: Still alone.}}\n",
        encoding="utf-8",
    )
    outputs = []
    for _ in range(2):
        assert main(["check", str(folder)]) == 0
        outputs.append(capsys.readouterr().out)
    assert outputs[0] == outputs[1]
    assert "unreachable-ending" in outputs[0]


def test_a_loaded_story_is_freed_when_dropped(tmp_path: Path) -> None:
    import weakref

    from game.engine.session import Session

    story = load_story(_copy(tmp_path))
    session = Session.new(story, "hero")
    session.choose("hold")  # builds the machine, which refers back to the story
    gone = weakref.ref(story)
    del story, session
    assert gone() is None  # no cycle: the collector is frozen out of loaded stories
