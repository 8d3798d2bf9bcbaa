"""A check or load after an edit compiles only the files that changed, and gives exactly what a
check or load from scratch gives; anything it cannot be sure of is compiled whole."""

from __future__ import annotations

import shutil
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest
from test_playcache import _block, _play, _shape

from game.engine import StoryError, checkcache, checks, compiling, loader, playcache
from game.engine.checkcache import check_with_cache
from game.engine.compiler import load_story
from game.engine.story import SceneTable

BUILTIN = Path(__file__).resolve().parent.parent / "scenes"


@pytest.fixture(autouse=True)
def settled_at_once(monkeypatch: pytest.MonkeyPatch) -> None:
    """Files written by a test are vouched for by their stamps at once (an author's edit waits
    `SETTLED_NS`); every edit below changes the file's size, so its stamp changes too."""
    monkeypatch.setattr(playcache, "SETTLED_NS", 0)
    monkeypatch.setattr(checkcache, "SETTLED_NS", 0)


class Compiles:
    """What the loads since the last `clear` did: stories read (and compiled) whole, and the files
    whose scenes were compiled one by one."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch) -> None:
        self.whole = 0
        self.files: list[str] = []
        whole, some = loader.read_source, compiling.compile_scenes

        def read_source(*args: Any) -> Any:
            self.whole += 1
            return whole(*args)

        def compile_scenes(meta: Any, ids: Any, keys: Any, items: list[Any]) -> Any:
            self.files += sorted({Path(item.file).name for item in items})
            return some(meta, ids, keys, items)

        monkeypatch.setattr(loader, "read_source", read_source)
        monkeypatch.setattr(compiling, "compile_scenes", compile_scenes)

    def clear(self) -> None:
        self.whole, self.files = 0, []


@pytest.fixture
def compiles(monkeypatch: pytest.MonkeyPatch) -> Compiles:
    return Compiles(monkeypatch)


@contextmanager
def _no_cache(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    with monkeypatch.context() as m:
        m.setenv("CANDID_NO_CACHE", "1")
        yield


def _fresh_report(folder: Path, monkeypatch: pytest.MonkeyPatch) -> dict[str, Any]:
    with _no_cache(monkeypatch):
        return check_with_cache(folder).as_dict()


def _copy(tmp_path: Path, source: Path) -> Path:
    folder = tmp_path / "story"
    shutil.copytree(source, folder, ignore=shutil.ignore_patterns("translations"))
    return folder


def _edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, old
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


NEW_SCENE = """
  - id: board_a1_aside
    act: 1
    title: An aside
    roles: [board]
    label: dramatised
    text: "A short aside, written for this test{extra}."
    choices:
      - id: back
        text: "Back to the meeting."
        goto: board_a1_million
"""

EDITS: dict[str, Callable[[Path], str]] = {}


def edit(name: str) -> Callable[[Callable[[Path], str]], Callable[[Path], str]]:
    def register(fn: Callable[[Path], str]) -> Callable[[Path], str]:
        EDITS[name] = fn
        return fn

    return register


@edit("title")
def _title(folder: Path) -> str:
    _edit(folder / "board" / "act1.yaml", "title: The memo", "title: The memo, again")
    return "act1.yaml"


@edit("text")
def _text(folder: Path) -> str:
    _edit(folder / "board" / "act2.yaml", "text:", "text:\n      - A new first paragraph.")
    return "act2.yaml"


@edit("condition")
def _condition(folder: Path) -> str:
    _edit(folder / "board" / "act1.yaml", 'if: "b_launch_rule"', 'if: "b_launch_rule and mission > 3"')
    return "act1.yaml"


@edit("effects")
def _effects(folder: Path) -> str:
    _edit(folder / "board" / "act1.yaml", "add: {cohesion: 5}", "add: {cohesion: 7, mission: -1}")
    return "act1.yaml"


@edit("goto")
def _goto(folder: Path) -> str:
    _edit(folder / "board" / "act1.yaml", "goto: board_a1_cf_written_account", "goto: board_a1_trust_safety")
    return "act1.yaml"


@edit("historical choice")
def _historical_choice(folder: Path) -> str:
    _edit(folder / "board" / "act1.yaml", "        historical: true\n", "")
    return "act1.yaml"


@edit("new scene")
def _new_scene(folder: Path) -> str:
    path = folder / "board" / "act1.yaml"
    path.write_text(path.read_text(encoding="utf-8").rstrip("\n") + "\n" + NEW_SCENE.format(extra=""), encoding="utf-8")
    return "act1.yaml"


@edit("new file")
def _new_file(folder: Path) -> str:
    (folder / "board" / "aside.yaml").write_text("scenes:" + NEW_SCENE.format(extra=" in a file of its own"), encoding="utf-8")
    return "aside.yaml"


@pytest.mark.parametrize("change", list(EDITS))
def test_an_edit_compiles_only_its_file_and_checks_as_a_fresh_check_does(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, compiles: Compiles, change: str
) -> None:
    folder = _copy(tmp_path, BUILTIN)
    before = check_with_cache(folder).as_dict()
    assert compiles.whole == 1
    compiles.clear()
    changed = EDITS[change](folder)
    after = check_with_cache(folder)
    assert (compiles.whole, compiles.files) == (0, [changed])
    assert after.as_dict() == _fresh_report(folder, monkeypatch)
    if change in ("text", "new scene", "new file", "historical choice"):
        assert after.as_dict() != before  # words and scenes are counted, the historical path followed
    compiles.clear()
    assert check_with_cache(folder).as_dict() == after.as_dict()
    assert after.story is not None and load_story(folder).fingerprint == after.story.fingerprint
    assert (compiles.whole, compiles.files) == (0, [])  # remembered: nothing compiled again


@pytest.mark.parametrize("change", ["title", "condition", "effects", "new scene"])
def test_a_story_loaded_after_an_edit_plays_as_one_compiled_whole(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, change: str) -> None:
    folder = _copy(tmp_path, BUILTIN)
    load_story(folder)
    EDITS[change](folder)
    edited = load_story(folder)
    assert isinstance(edited.scenes, SceneTable)  # from the cached form, not compiled whole
    with _no_cache(monkeypatch):
        whole = load_story(folder)
    assert (edited.fingerprint, edited.files, list(edited.scenes)) == (whole.fingerprint, whole.files, list(whole.scenes))
    assert (edited.endings, edited.fiction, edited.basics) == (whole.endings, whole.fiction, whole.basics)
    assert {k: [_block(b) for b in v] for k, v in edited.enter.items()} == {k: [_block(b) for b in v] for k, v in whole.enter.items()}
    for scene_id in whole.scenes:
        assert [_shape(m) for m in edited.moves(scene_id)] == [_shape(m) for m in whole.moves(scene_id)]
        assert edited.facts[scene_id] == _facts_by_text(whole.facts[scene_id], edited.facts[scene_id])
    for seed in range(10):
        assert _play(edited, seed) == _play(whole, seed)


def _facts_by_text(whole: Any, edited: Any) -> Any:
    """`whole`'s facts with its conditions replaced by `edited`'s where their texts agree
    (compiled conditions compare by identity)."""
    if [g.text for g in whole.passage_guards] != [g.text for g in edited.passage_guards]:
        return whole
    return type(whole)(**{**{f: getattr(whole, f) for f in whole.__dataclass_fields__}, "passage_guards": edited.passage_guards})


@pytest.mark.parametrize(
    "change",
    ["remove scene", "rename choice", "duplicate id", "missing label", "story.yaml", "broken file"],
)
def test_what_an_edit_cannot_be_sure_of_is_compiled_whole(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, compiles: Compiles, change: str
) -> None:
    folder = _copy(tmp_path, BUILTIN)
    check_with_cache(folder)
    compiles.clear()
    act1 = folder / "board" / "act1.yaml"
    if change == "remove scene":
        # The counterfactual memo scene is named by a choice in an unchanged part of the story.
        text = act1.read_text(encoding="utf-8")
        start = text.index("\n  - id: board_a1_cf_written_account")
        end = text.index("\n  - id: ", start + 10)
        act1.write_text(text[:start] + text[end:], encoding="utf-8")
    elif change == "rename choice":
        _edit(act1, "id: file_memo", "id: file_the_memo")
    elif change == "duplicate id":
        (folder / "board" / "again.yaml").write_text("scenes:" + NEW_SCENE.format(extra="").replace("board_a1_aside", "board_a1_million"))
    elif change == "missing label":
        (folder / "board" / "aside.yaml").write_text("scenes:" + NEW_SCENE.format(extra="").replace("    label: dramatised\n", ""))
    elif change == "story.yaml":
        _edit(folder / "story.yaml", "title:", "title: ")
    elif change == "broken file":
        _edit(act1, "goto: board_a1_million", "goto: board_a1_milion")
    report = check_with_cache(folder)
    assert compiles.whole == 1 and compiles.files in ([], ["act1.yaml"])
    assert report.as_dict() == _fresh_report(folder, monkeypatch)
    if change in ("duplicate id", "missing label", "broken file", "remove scene"):
        assert report.errors, change


def test_a_broken_file_fixed_again_is_compiled_alone(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, compiles: Compiles) -> None:
    folder = _copy(tmp_path, BUILTIN)
    first = check_with_cache(folder).as_dict()
    act3 = folder / "board" / "act3.yaml"
    good = act3.read_text(encoding="utf-8")
    act3.write_text(good.replace("scenes:", "scenes: [", 1), encoding="utf-8")
    broken = check_with_cache(folder)
    assert [d.code for d in broken.errors] and Path(broken.errors[0].file).name == "act3.yaml"
    compiles.clear()
    act3.write_text(good + "\n", encoding="utf-8")  # as it was, one byte longer
    assert check_with_cache(folder).as_dict() == first
    assert (compiles.whole, compiles.files) == (0, ["act3.yaml"])
    assert first == _fresh_report(folder, monkeypatch)


def test_a_fiction_that_gains_a_label_is_compiled_whole(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, compiles: Compiles) -> None:
    """One label makes a fiction a docudrama, whose every scene then needs a label."""
    folder = _copy(tmp_path, Path("examples/clockwork"))
    assert load_story(folder).fiction
    compiles.clear()
    _edit(folder / "stranger.yaml", "  - id: watchman\n", "  - id: watchman\n    label: dramatised\n")
    report = check_with_cache(folder)
    assert compiles.whole == 1
    assert report.as_dict() == _fresh_report(folder, monkeypatch)
    assert any("needs `label`" in d.message for d in report.errors)


def test_a_file_changed_as_it_was_cached_is_read_again(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, compiles: Compiles) -> None:
    """A file changed within SETTLED_NS of a load may change again within the same timestamp:
    the cache keeps no stamp for it, and the next load reads and hashes it (and compiles it only
    if its bytes differ)."""
    monkeypatch.setattr(playcache, "SETTLED_NS", 3600 * 10**9)
    folder = _copy(tmp_path, Path("examples/night_ferry"))
    load_story(folder)  # every file is new: nothing is cached
    assert playcache.read_data(folder) is None
    monkeypatch.setattr(playcache, "SETTLED_NS", 0)
    load_story(folder)
    time.sleep(0.3)
    act1 = folder / "act1.yaml"
    _edit(act1, "text:", "text:\n      - A new first paragraph.")
    # Settled: everything but act1, changed 0.3 s after the rest.
    copied, edited = (folder / "story.yaml").stat().st_ctime_ns, act1.stat().st_ctime_ns
    monkeypatch.setattr(playcache, "SETTLED_NS", time.time_ns() - (copied + edited) // 2)
    compiles.clear()
    load_story(folder)  # act1 compiled alone; its stamp is not kept
    assert (compiles.whole, compiles.files) == (0, ["act1.yaml"])
    data = playcache.read_data(folder)
    assert data is not None
    stamps = dict(data["files"])
    assert stamps[str(act1)] is None and all(v is not None for k, v in stamps.items() if k != str(act1))
    compiles.clear()
    assert isinstance(load_story(folder).scenes, SceneTable)
    assert (compiles.whole, compiles.files) == (0, [])  # read and hashed again: the same bytes


def test_an_edit_with_an_error_is_reported_where_it_is(tmp_path: Path) -> None:
    folder = _copy(tmp_path, BUILTIN)
    load_story(folder)
    _edit(folder / "board" / "act2.yaml", "goto:", "goto: nowhere_at_all #")
    with pytest.raises(StoryError) as caught:
        load_story(folder)
    assert [(Path(d.file).name, d.code) for d in caught.value.diagnostics] == [("act2.yaml", "unknown-scene")]


class Checks:
    """How many times the rules of `check` ran (not a remembered report)."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch) -> None:
        self.runs = 0
        real = checks.check_loaded

        def check_loaded(*args: Any, **kwargs: Any) -> Any:
            self.runs += 1
            return real(*args, **kwargs)

        monkeypatch.setattr(checks, "check_loaded", check_loaded)


def test_an_edit_no_rule_reads_gets_the_remembered_report(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, compiles: Compiles) -> None:
    """In a story without history no rule of `check` reads a title: after renaming a scene the
    remembered report is given again (what a fresh check says); a word more in a text is counted,
    so it is checked again."""
    from bench.gen import generate

    folder = generate(tmp_path / "gen", 60)
    first = check_with_cache(folder).as_dict()
    ran = Checks(monkeypatch)
    compiles.clear()
    scene = folder / "scenes" / "s00030.yaml"
    _edit(scene, "title: Scene ", "title: The scene numbered ")
    assert check_with_cache(folder).as_dict() == first
    assert (ran.runs, compiles.whole, compiles.files) == (0, 0, ["s00030.yaml"])
    assert first == _fresh_report(folder, monkeypatch)
    ran.runs = 0
    _edit(scene, "text: >-\n      ", "text: >-\n      Again ")
    again = check_with_cache(folder).as_dict()
    assert ran.runs == 1 and again != first
    assert again == _fresh_report(folder, monkeypatch)


def test_in_a_story_with_history_a_title_is_checked_again(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The historical-path rule reads the scenes themselves: with a scene labelled historical,
    any change to a scene is checked again."""
    folder = _copy(tmp_path, BUILTIN)
    check_with_cache(folder)
    ran = Checks(monkeypatch)
    _title(folder)
    assert check_with_cache(folder).as_dict() == _fresh_report(folder, monkeypatch)
    assert ran.runs == 2  # this check, and the fresh one


def test_a_renamed_file_is_compiled_alone_and_its_scenes_move_with_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, compiles: Compiles
) -> None:
    """A file renamed so that it sorts elsewhere: its scenes are read again, the story's order of
    scenes is the new order of files, and the report is a fresh check's."""
    folder = _copy(tmp_path, BUILTIN)
    check_with_cache(folder)
    compiles.clear()
    (folder / "board" / "act1.yaml").rename(folder / "board" / "zz_act1.yaml")
    report = check_with_cache(folder)
    assert (compiles.whole, compiles.files) == (0, ["zz_act1.yaml"])
    assert report.story is not None
    with _no_cache(monkeypatch):
        whole = load_story(folder)
    assert (list(report.story.scenes), report.story.files) == (list(whole.scenes), whole.files)
    assert report.as_dict() == _fresh_report(folder, monkeypatch)
