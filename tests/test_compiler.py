"""The story compiler: everything is validated before the `transitions` machine is built from callables."""

from __future__ import annotations

from pathlib import Path

import pytest
from helpers import MINI_STORY, write_story

from game.engine import StoryError
from game.engine.compiler import Story, build_machine, load_story
from game.engine.session import Session

SCENES = Path("tests/stories/bad/unknown_key/scenes.yaml").read_text().replace("titel", "title")


def test_machine_has_no_auto_transitions_and_triggers_are_scene_choice(tiny_story: Story) -> None:
    machine = build_machine(tiny_story)
    triggers = set(machine.events)
    assert not any(t.startswith("to_") for t in triggers)
    assert triggers == {c.key for c in tiny_story.choices()}
    assert triggers == {"start.ship", "start.hold", "launch.wait", "launch.secret", "held.relent", "held.give_up"}
    assert set(machine.get_triggers("start")) == {"start.ship", "start.hold"}
    assert machine.get_triggers("end_real") == []
    assert set(machine.states) == set(tiny_story.scenes)


def test_machine_only_tracks_the_scene_and_follows_the_kernel(tiny_story: Story) -> None:
    """Guards and effects are the kernel's (rules.step): the machine has none to decide twice."""
    for event in build_machine(tiny_story).events.values():
        for transitions in event.transitions.values():
            for transition in transitions:
                assert not transition.conditions and not transition.after and not transition.before
    session = Session.new(tiny_story)
    session.choose("hold")
    marker = session._marker
    assert marker is not None and marker.state == "held" == session.scene_id


def test_the_machine_grows_as_play_goes(tiny_story: Story) -> None:
    """Play adds a state and a transition when it first takes them, nothing before."""
    machine = tiny_story.machine
    assert (list(machine.states), list(machine.events)) == ([], [])
    session = Session.new(tiny_story)
    session.choose("hold")
    assert (list(machine.states), list(machine.events)) == (["start", "held"], ["start.hold"])
    session.choose("relent")
    again = Session.new(tiny_story)
    again.choose("hold")  # taken before: nothing new
    assert list(machine.states) == ["start", "held", session.scene_id]
    assert list(machine.events) == ["start.hold", "held.relent"]
    assert machine.events["held.relent"].transitions["held"][0].dest == session.scene_id


def test_machine_is_built_once(tiny_story: Story) -> None:
    assert tiny_story.machine is tiny_story.machine


def test_choice_destinations_and_guards(tiny_story: Story) -> None:
    secret = tiny_story.scenes["launch"].choice("secret")
    assert secret is not None
    assert (secret.key, secret.goto, secret.guard is not None) == ("launch.secret", "end_secret", True)
    transition = build_machine(tiny_story).events["launch.secret"].transitions["launch"][0]
    assert transition.dest == "end_secret"
    assert tiny_story.scenes["launch"].historical_choice is tiny_story.scenes["launch"].choice("wait")
    assert tiny_story.scenes["held"].historical_choice is None


def test_scene_positions_are_recorded(tiny_story: Story) -> None:
    start = tiny_story.scenes["start"]
    assert (Path(start.where.file).name, start.where.line, start.where.col) == ("scenes.yaml", 2, 5)
    hold = start.choice("hold")
    assert hold is not None
    assert (hold.where.line, hold.where.col) == (26, 9)


def test_header_and_clamp(tiny_story: Story) -> None:
    assert tiny_story.header(tiny_story.scenes["start"]) == "Tue 15 Nov 2022 · 09:00 PT · An office"
    assert tiny_story.header(tiny_story.scenes["end_real"]) == "Mon 5 Dec 2022"
    assert tiny_story.header(tiny_story.scenes["held"]) == ""
    assert (tiny_story.clamp("trust", -5), tiny_story.clamp("trust", 50), tiny_story.clamp("trust", 500)) == (0, 50, 100)


def test_fingerprint_is_stable_and_follows_the_files(tmp_path: Path) -> None:
    folder = write_story(tmp_path, scenes=SCENES)
    first = load_story(folder).fingerprint
    assert load_story(folder).fingerprint == first
    (folder / "scenes.yaml").write_text(SCENES.replace("It ends.", "It ends here."))
    assert load_story(folder).fingerprint != first


@pytest.mark.parametrize(
    ("story", "scenes", "fragment"),
    [
        (MINI_STORY + "  acts: {1: One}\n", SCENES.replace("act: 1\n    title: Finish", "act: 2\n    title: Finish"), "act 2 is not in"),
        (MINI_STORY + "  historical_paths: {villain: [start.go]}\n", SCENES, "no role 'villain'"),
        (MINI_STORY, SCENES.replace("{add: {trust: 1}}", "{set: {role: x}}"), "effects.set: unknown variable 'role'"),
        (MINI_STORY, SCENES.replace("{add: {trust: 1}}", "{add: {role: 1}}"), "effects.add: unknown variable 'role'"),
        (MINI_STORY, SCENES.replace("{add: {trust: 1}}", "{set: {trust: '3'}}"), "effects.set: 'trust' is int, not str"),
        (MINI_STORY.replace("    mood:", '    "true": {type: int, default: 0}\n    mood:'), SCENES, "`true` is reserved"),
        (MINI_STORY, SCENES.replace("goto: finish\n", "goto: start_\n", 1), "goto: no scene 'start_' (did you mean 'start'?)"),
    ],
)
def test_compile_errors(tmp_path: Path, story: str, scenes: str, fragment: str) -> None:
    with pytest.raises(StoryError) as caught:
        load_story(write_story(tmp_path, story, scenes=scenes))
    messages = [d.message for d in caught.value.diagnostics]
    assert any(fragment in m for m in messages), messages


def test_compile_errors_from_several_scenes_are_collected(tmp_path: Path) -> None:
    scenes = SCENES.replace("goto: finish\n", "goto: nowhere\n").replace("roles: [hero]", "roles: [nobody]", 1)
    with pytest.raises(StoryError) as caught:
        load_story(write_story(tmp_path, scenes=scenes))
    codes = sorted(d.code for d in caught.value.diagnostics)
    assert codes == ["unknown-role", "unknown-scene", "unknown-scene"]


def _generated_story(folder: Path, count: int, per_file: int = 1000) -> Path:
    """A chain of `count` scenes, each with a choice onward and a choice to the last scene."""
    write_story(folder, MINI_STORY.replace("start: start}", "start: s0}"))
    for first in range(0, count, per_file):
        lines = ["scenes:"]
        for i in range(first, min(first + per_file, count)):
            lines += [f"  - id: s{i}", "    act: 1", f"    title: Scene {i}", "    roles: [hero]", "    label: dramatised"]
            if i == count - 1:
                lines += ["    text: The end.", "    ending: {title: End, epilogue: Done.}"]
                continue
            lines += [
                f"    text: Scene number {i}.",
                "    choices:",
                f"      - {{id: next, text: Next, goto: s{i + 1}, effects: {{add: {{trust: 1}}}}}}",
                f'      - {{id: skip, text: Skip, goto: s{count - 1}, if: "trust > 3"}}',
            ]
        (folder / f"part{first // per_file:03}.yaml").write_text("\n".join(lines) + "\n")
    return folder


def test_ten_thousand_scenes_build_a_machine(tmp_path: Path) -> None:
    count = 10_000
    story = load_story(_generated_story(tmp_path, count))
    assert len(story.scenes) == count
    machine = build_machine(story)
    assert len(machine.events) == 2 * (count - 1)
    assert len(machine.states) == count
    session = Session.new(story)
    for _ in range(3):
        session.choose("next")
    session.choose("skip")
    assert session.ending is not None
    assert session.scene_id == f"s{count - 1}"
    assert len(story.machine.states) == 5  # play's own machine holds what play took


@pytest.mark.parametrize(
    ("condition", "col"),
    [
        ('"trust > 1 and trst > 1"', 28),
        ("'trust > 1 and trst > 1'", 28),
        ("trust > 1 and trst > 1", 27),
        ("'mood == \"x\" and trst > 1'", 30),
        # escapes make the source longer than the condition: point at its start rather than guess
        ('"mood == \\"x\\" and trst > 1"', 13),
        ("'mood == ''x'' and trst > 1'", 13),
        (">-\n          trst > 1", 13),
    ],
)
def test_condition_error_column_in_each_yaml_style(tmp_path: Path, condition: str, col: int) -> None:
    scenes = SCENES.replace('if: "trust > 1"', f"if: {condition}")
    with pytest.raises(StoryError) as caught:
        load_story(write_story(tmp_path, scenes=scenes))
    [diag] = caught.value.diagnostics
    assert "unknown variable 'trst'" in diag.message
    assert (diag.line, diag.col) == (12, col)


def test_loading_keeps_no_parsed_file_alive() -> None:
    """Loading freezes the collector over what it made, so anything left in a reference cycle would
    stay for good: once the story is built, no parsed file (with its text) may be left anywhere."""
    import gc

    from game.engine.yamlsrc import Document

    gc.unfreeze()
    gc.collect()
    before = {id(o) for o in gc.get_objects() if isinstance(o, Document)}
    story = load_story("tests/stories/tiny")
    gc.unfreeze()  # back where the collector can see them, without collecting anything yet
    left = [o for o in gc.get_objects() if isinstance(o, Document) and id(o) not in before]
    gc.collect()
    assert story.scenes and left == []
