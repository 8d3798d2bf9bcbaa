"""The checker on real-sized stories: forgetting what nothing ahead reads, a budget in states,
what a sample missed, dead ends proved or disproved, and the condition warnings."""

from __future__ import annotations

import time
from pathlib import Path

import pytest
from authoring_support import STORY_HEAD, run, scene, write_story

from bench.checkstory import write as write_checkstory
from game.engine.checks import check_story
from game.engine.compiler import load_story
from game.engine.explore import explore_states
from game.engine.liveness import Live, ahead, components


@pytest.fixture(autouse=True)
def _home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CANDID_HOME", str(tmp_path / "home"))


def _story(tmp_path: Path, variables: str, *scenes: str) -> Path:
    return write_story(tmp_path / "s", STORY_HEAD + "  variables:\n" + variables, "scenes:\n" + "".join(scenes))


def test_components_come_out_sinks_first() -> None:
    graph = {"a": ("b",), "b": ("c", "a"), "c": ("d",), "d": ("c",), "e": ()}
    found = [sorted(c) for c in components(graph)]
    assert sorted(map(tuple, found)) == [("a", "b"), ("c", "d"), ("e",)]
    assert found.index(["c", "d"]) < found.index(["a", "b"])


def test_what_lies_ahead_is_joined_over_loops() -> None:
    graph = {"a": ("b",), "b": ("c", "a"), "c": ("d",), "d": ("c",), "e": ("a",)}
    own = {"a": 1, "d": 2, "e": 4}
    assert ahead(graph, own) == {"a": 3, "b": 3, "c": 2, "d": 2, "e": 7}


def test_a_long_chain_needs_no_deep_recursion() -> None:
    n = 50_000
    graph = {f"s{i}": (f"s{i + 1}",) for i in range(n)} | {f"s{n}": ()}
    masks = ahead(graph, {f"s{n}": 1})
    assert masks["s0"] == 1 and len(masks) == n + 1


def test_a_variable_is_forgotten_after_its_last_reader(tmp_path: Path) -> None:
    folder = _story(
        tmp_path,
        "    x: {type: int, default: 0, min: 0, max: 5}\n",
        scene("one", "{id: up, text: Up, goto: one, once: true, effects: {add: {x: 3}}}", '{id: go, text: Go, goto: two, if: "x < 9"}'),
        scene("two", "{id: a, text: A, goto: three, effects: {add: {x: 1}}}", "{id: b, text: B, goto: three}"),
        scene("three", "{id: z, text: Z, goto: end}"),
        scene("end", ending=True),
    )
    story = load_story(folder)
    live = Live(story, ["x"], [], ["one.up"])
    assert live.at("one") is None  # x and the once-only count are both still read here
    assert live.at("two") == ((False,), (), (False,))
    found = explore_states(story)
    # one: x = 0 or 3 (up taken or not); two, three, end: one state each, x forgotten.
    assert found.exhaustive and found.states == 5


def test_the_check_story_is_searched_to_the_end_in_seconds(tmp_path: Path) -> None:
    """A smaller cut of bench/checkstory.py (the 130-scene bench): exhaustive, no sampling, and
    far fewer states than the same search keeps when it forgets nothing."""
    folder = write_checkstory(tmp_path / "cs", scenes=45)
    story = load_story(folder)
    assert len(story.meta.variables) == 25
    started = time.process_time()
    found = explore_states(story)
    assert found.exhaustive and found.stuck == {}
    elapsed = time.process_time() - started
    everything = explore_states(story, max_states=found.states * 4, forget=False)
    assert not everything.exhaustive  # more than four times as many states without forgetting
    assert elapsed < 60  # a guard against a search that no longer folds, not a timing
    report = check_story(folder)
    assert report.stats["exhaustive"] == 1
    assert not any(d.code in ("sampled", "dead-end", "stuck") for d in report.diagnostics)


def test_max_states_is_a_budget_in_states(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    folder = write_checkstory(tmp_path / "cs", scenes=45)
    code, out, _ = run(capsys, "check", str(folder), "--max-states", "50")
    assert code == 0
    assert "over 50 states; raise it with --max-states" in out
    assert "states searched (then sampled)" in out
    again = run(capsys, "check", str(folder), "--max-states", "50")[1]
    assert again == out  # the same budget gives the same report, however busy the machine
    with pytest.raises(SystemExit):
        run(capsys, "check", str(folder), "--max-states", "0")
    assert "not a whole number above 0" in capsys.readouterr().err


def test_dead_end_is_withdrawn_where_the_search_proves_no_one_is_stuck(tmp_path: Path) -> None:
    folder = _story(
        tmp_path,
        "    told: {type: bool, default: false}\n",
        scene("one", "{id: tell, text: Tell, goto: held, effects: {set: {told: true}}}", "{id: out, text: Out, goto: end}"),
        scene("held", '{id: a, text: A, goto: end, if: "told"}', '{id: b, text: B, goto: one, if: "told"}'),
        scene("end", ending=True),
    )
    assert "dead-end" in {d.code for d in check_story(folder, exhaustive=False).diagnostics}
    codes = {d.code for d in check_story(folder).diagnostics}
    assert "dead-end" not in codes and "stuck" not in codes


@pytest.mark.parametrize(
    ("first", "second", "warned"),
    [
        ("told", "not told", False),
        ("n > 3", "n <= 3", False),
        ("n < 3", "n >= 3", False),
        ("mood == 'calm'", "mood != 'calm'", False),
        ("mood in ['calm']", "mood not in ['calm']", False),
        ("n > 3", "n < 3", True),
        ("told", "n > 3", True),
    ],
)
def test_opposite_conditions_leave_no_dead_end(tmp_path: Path, first: str, second: str, warned: bool) -> None:
    folder = _story(
        tmp_path,
        "    told: {type: bool, default: false}\n    n: {type: int, default: 0, min: 0, max: 9}\n"
        "    mood: {type: enum, values: [calm, grim], default: calm}\n",
        scene(
            "one",
            f'{{id: a, text: A, goto: end, if: "{first}", effects: {{set: {{told: true, mood: grim}}, add: {{n: 4}}}}}}',
            f'{{id: b, text: B, goto: one, if: "{second}", effects: {{add: {{n: 1}}}}}}',
        ),
        scene("end", ending=True),
    )
    codes = {d.code for d in check_story(folder, exhaustive=False).diagnostics}
    assert ("dead-end" in codes) is warned


def test_not_before_a_comparison_is_flagged(tmp_path: Path) -> None:
    folder = _story(
        tmp_path,
        "    told: {type: bool, default: false}\n",
        scene(
            "one",
            '{id: a, text: A, goto: end, if: "not told == true", effects: {set: {told: true}}}',
            '{id: b, text: B, goto: end, if: "not (told == true)"}',
            "{id: c, text: C, goto: end}",
        ),
        scene("end", ending=True),
    )
    found = [d for d in check_story(folder).diagnostics if d.code == "not-compare"]
    assert len(found) == 1 and found[0].line == 9  # the first choice only: brackets say what is meant
    assert "`not told == true` means `not (told == true)` here" in found[0].message


def test_write_only_and_never_assigned(tmp_path: Path) -> None:
    folder = _story(
        tmp_path,
        "    tally: {type: int, default: 0}\n    mood: {type: str, default: calm}\n",
        scene(
            "one",
            "{id: a, text: A, goto: end, effects: {add: {tally: 1}, set: {mood: grim}}}",
            "{id: b, text: B, goto: end, if: \"mood == 'grimm' or mood in ['calm', 'gloomy']\"}",
        ),
        scene("end", ending=True),
    )
    found = {(d.code, d.message) for d in check_story(folder).diagnostics if d.code in ("write-only", "never-assigned")}
    assert found == {
        ("write-only", "variable 'tally' is changed but never read: no condition or text uses it, and it is not `visible`"),
        ("never-assigned", "'mood' is compared with 'grimm' but never set to it (it can be 'calm', 'grim')"),
        ("never-assigned", "'mood' is compared with 'gloomy' but never set to it (it can be 'calm', 'grim')"),
    }


def test_a_condition_text_repeated_is_flagged_at_every_place(tmp_path: Path) -> None:
    # Each distinct text is read once; every place it stands still gets its warning.
    folder = _story(
        tmp_path,
        "    told: {type: bool, default: false}\n",
        scene(
            "one",
            '{id: a, text: A, goto: two, if: "not told == true"}',
            "{id: c, text: C, goto: two}",
        ),
        scene(
            "two",
            '{id: a, text: A, goto: end, if: "not told == true"}',
            '{id: b, text: B, goto: end, if: " not told == true "}',
            "{id: c, text: C, goto: end}",
        ),
        scene("end", ending=True),
    )
    found = sorted(d.line for d in check_story(folder).diagnostics if d.code == "not-compare")
    story = load_story(folder)
    places = sorted(c.where.line for c in story.choices() if c.guard is not None)
    assert len(places) == 3 and found == places


def test_answers_about_a_story_are_copies(tmp_path: Path) -> None:
    from game.engine.analysis import condition_reads, counted_choices, static_reach

    folder = _story(
        tmp_path,
        "    told: {type: bool, default: false}\n",
        scene("one", '{id: a, text: A, goto: two, if: "told", once: true}', "{id: c, text: C, goto: two}"),
        scene("two", "{id: a, text: A, goto: end}"),
        scene("end", ending=True),
        scene("lost", "{id: a, text: A, goto: end}"),
    )
    story = load_story(folder)
    static_reach(story, ["one"]).clear()
    condition_reads(story)[0].clear()
    counted_choices(story).clear()
    assert static_reach(story, ["one"]) == {"one", "two", "end"}
    assert static_reach(story, ["lost"]) == {"lost", "end"}
    assert condition_reads(story) == (["told"], [])
    assert counted_choices(story) == ["one.a"]
    again = load_story(folder)  # another story object: answers of its own
    assert static_reach(again, ["one", "lost"]) == {"one", "two", "end", "lost"}
