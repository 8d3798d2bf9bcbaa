"""`candid graph`: what the author must see is marked, in Mermaid (via GraphMachine) and DOT."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from authoring_support import STORY_HEAD, TINY, run, scene, stories, write_story

from game.engine import CandidError
from game.engine.compiler import load_story
from game.engine.graph import OutlineEntry, dot, mermaid, render, scene_graph, scene_outline
from game.engine.replay import walk_history


@pytest.fixture(autouse=True)
def _home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CANDID_HOME", str(tmp_path / "home"))


@pytest.fixture
def marked(tmp_path: Path) -> Path:
    """A story with one of everything the graph marks: an ending, a dead end, an unreachable scene."""
    return write_story(
        tmp_path / "marked",
        STORY_HEAD + "  variables:\n    k: {type: bool, default: false}\n",
        "scenes:\n"
        + scene("one", "{id: go, text: Go, goto: two, historical: true}", '{id: trap, text: Trap, goto: trap, if: "not k"}')
        + scene("two", "{id: fin, text: Fin, goto: done}")
        + scene("trap", "{id: loop, text: Loop, goto: trap}")
        + scene("lost", "{id: back, text: Back, goto: one, effects: {set: {k: true}}}")
        + scene("done", ending=True),
    )


def _class_of(source: str, scene_id: str) -> str:
    match = re.search(rf"^\s*class id_{scene_id} s_(\w+)$", source, re.MULTILINE | re.IGNORECASE)
    assert match, f"no class line for {scene_id}"
    return match.group(1)


def test_mermaid_marks_everything(marked: Path) -> None:
    source = mermaid(scene_graph(load_story(marked)))
    assert source.lstrip("-\n").startswith('title: "T"')
    assert "stateDiagram-v2" in source
    assert "id_one --> id_two: ★ go" in source
    assert "id_one --> id_trap: trap" in source
    assert "[*] --> id_one" in source
    assert _class_of(source, "done") == "ending"
    assert _class_of(source, "trap") == "dead_end"
    assert _class_of(source, "lost") == "unreachable"
    assert _class_of(source, "one") == "start"
    assert _class_of(source, "two") == "scene"
    assert 'state "Lost (lost) · unreachable" as id_lost' in source


def test_historical_ending_is_its_own_class() -> None:
    source = render(load_story(TINY))
    assert _class_of(source, "end_real") == "historical_ending"
    assert _class_of(source, "end_alt") == "ending"
    assert "id_launch --> id_end_real: ★ wait" in source


def test_role_shows_only_what_it_can_reach(marked: Path) -> None:
    story = load_story(marked)
    graph = scene_graph(story, "a")
    assert set(graph.nodes) == {"one", "two", "trap", "done"}
    assert "lost" not in mermaid(graph)
    with pytest.raises(CandidError, match="no role 'zz'"):
        scene_graph(story, "zz")


def test_mermaid_keywords_as_scene_ids_stay_names(tmp_path: Path) -> None:
    folder = write_story(
        tmp_path / "kw",
        STORY_HEAD.replace("start: one", "start: note"),
        "scenes:\n" + scene("note", "{id: go, text: Go, goto: state}") + scene("state", ending=True),
    )
    source = mermaid(scene_graph(load_story(folder)))
    assert "id_note --> id_state: go" in source and "[*] --> id_note" in source


def test_every_role_start_is_an_entry(tmp_path: Path) -> None:
    head = STORY_HEAD + "    b: {name: B, description: Role b, start: two}\n"
    folder = write_story(
        tmp_path / "two_roles",
        head,
        "scenes:\n"
        + scene("one", "{id: go, text: Go, goto: done}", roles="[a]")
        + scene("two", "{id: go, text: Go, goto: done}", roles="[b]")
        + scene("done", ending=True, roles="[a, b]"),
    )
    story = load_story(folder)
    source = mermaid(scene_graph(story))
    assert "[*] --> id_one" in source and "[*] --> id_two" in source
    assert set(scene_graph(story, "b").nodes) == {"two", "done"}


def test_quotes_in_titles_do_not_break_labels(tmp_path: Path) -> None:
    folder = write_story(
        tmp_path / "q",
        STORY_HEAD,
        "scenes:\n"
        + scene("one", "{id: go, text: Go, goto: done}").replace("title: One", "title: 'Say \"hi\"; then go'")
        + scene("done", ending=True),
    )
    story = load_story(folder)
    source = mermaid(scene_graph(story))
    assert 'state "Say #quot;hi#quot;#59; then go (one) · start of a" as id_one' in source
    assert '"one" [label="Say \\"hi\\"; then go (one) · start of a"' in dot(scene_graph(story))


def test_dot_marks_and_is_balanced(marked: Path) -> None:
    text = dot(scene_graph(load_story(marked)))
    assert text.startswith("digraph story {") and text.rstrip().endswith("}")
    assert text.count("{") == text.count("}")
    assert '"one" -> "two" [label="★ go", penwidth=2, color="goldenrod"];' in text
    assert '"one" -> "trap" [label="trap", style=dashed];' in text
    assert '"lost" [label="Lost (lost) · unreachable", fillcolor="lightgrey"' in text
    assert '"start:a" -> "one"' in text


@pytest.mark.parametrize("story", stories(), ids=lambda p: p.name)
@pytest.mark.parametrize("fmt", ["mermaid", "dot"])
def test_cli_draws_every_story(story: Path, fmt: str, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(capsys, "graph", str(story), "--format", fmt)
    assert code == 0, err
    loaded = load_story(story)
    for scene_id in loaded.scenes:
        assert scene_id in out
    role = next(iter(loaded.meta.roles))
    code, out_role, _ = run(capsys, "graph", str(story), "--format", fmt, "--role", role)
    assert code == 0 and len(out_role) <= len(out)


def test_cli_unknown_role_is_a_clear_error(capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run(capsys, "graph", str(TINY), "--role", "ghost")
    assert code == 1 and "no role 'ghost'" in err


def _preorder(entries: list[OutlineEntry]) -> list[OutlineEntry]:
    found: list[OutlineEntry] = []
    stack = list(reversed(entries))
    while stack:
        entry = stack.pop()
        found.append(entry)
        stack += reversed(entry.children)
    return found


@pytest.mark.parametrize("story", stories(), ids=lambda p: p.name)
def test_outline_shows_each_scene_once_with_history_on_top(story: Path) -> None:
    loaded = load_story(story)
    for role in loaded.meta.roles:
        outline = scene_outline(loaded, role)
        history = [b.scene_id for b in walk_history(loaded, role).beats]
        assert [e.scene_id for e in outline.main][: len(history)] == history
        order = _preorder(outline.main)
        full = [e.scene_id for e in order if e.repeat is None]
        assert sorted(full) == sorted(scene_graph(loaded, role).nodes)
        position = {scene_id: i for i, scene_id in enumerate(e.scene_id if e.repeat is None else "" for e in order)}
        for i, entry in enumerate(order):
            if entry.repeat == "above":
                assert position[entry.scene_id] < i
            elif entry.repeat == "below":
                assert position[entry.scene_id] > i
        for entry in order:
            assert all(child.via is not None and child.via.scene_id == entry.scene_id for child in entry.children)


def test_outline_lists_what_no_role_reaches(marked: Path) -> None:
    outline = scene_outline(load_story(marked), "a")
    # History stops at `two`; its first choice carries the main line on.
    assert [(e.scene_id, e.via.id if e.via else None) for e in outline.main] == [("one", None), ("two", "go"), ("done", "fin")]
    trap = outline.main[0].children[0]
    assert (trap.scene_id, outline.graph.nodes["trap"].marks) == ("trap", ["dead_end"])
    assert [(c.scene_id, c.repeat) for c in trap.children] == [("trap", "above")]
    assert [n.id for n in outline.unreachable] == ["lost"]


def test_a_story_without_history_has_its_first_choices_as_main_line(tmp_path: Path) -> None:
    count = 1500
    chain = "".join(scene(f"s{i}", f"{{id: next, text: Next, goto: s{i + 1}}}") for i in range(count))
    folder = write_story(
        tmp_path / "chain", STORY_HEAD.replace("start: one", "start: s0"), "scenes:\n" + chain + scene(f"s{count}", ending=True)
    )
    outline = scene_outline(load_story(folder), "a")
    assert [e.scene_id for e in outline.main] == [f"s{i}" for i in range(count + 1)]
